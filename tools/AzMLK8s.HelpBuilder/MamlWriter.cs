using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace AzMLK8s.HelpBuilder;

/// <summary>
/// Writes the MAML help file PowerShell reads for a binary module (en-US/AzMLK8s.dll-Help.xml): the author's text
/// from the markdown, the syntax and every parameter's binding from the cmdlet's attributes.
/// </summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static string Write(IEnumerable<(CmdletModel Cmdlet, HelpDocument Help)> commands)
    {
        var root = new XElement(
            Msh + "helpItems",
            new XAttribute("schema", "maml"),
            commands.Select(c => CommandElement(c.Cmdlet, c.Help)));
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static XElement CommandElement(CmdletModel cmdlet, HelpDocument help) => new(
        Command + "command",
        new XAttribute(XNamespace.Xmlns + "maml", Maml),
        new XAttribute(XNamespace.Xmlns + "command", Command),
        new XAttribute(XNamespace.Xmlns + "dev", Dev),
        new XElement(
            Command + "details",
            new XElement(Command + "name", cmdlet.Name),
            new XElement(Command + "verb", cmdlet.Verb),
            new XElement(Command + "noun", cmdlet.Noun),
            new XElement(Maml + "description", Paras(new[] { help.Synopsis }))),
        new XElement(Maml + "description", Paras(help.Description)),
        new XElement(Command + "syntax", cmdlet.SetNames.Select(set => SyntaxItem(cmdlet, set, help))),
        new XElement(
            Command + "parameters",
            cmdlet.Parameters.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Select(p => ParameterElement(cmdlet, p, help, null))),
        new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeElement("inputType", t))),
        new XElement(Command + "returnValues", help.Outputs.Select(t => TypeElement("returnValue", t))),
        new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(help.Notes))),
        new XElement(Command + "examples", help.Examples.Select(Example)),
        new XElement(
            Maml + "relatedLinks",
            Link("Online Version:", cmdlet.HelpUri),
            help.Links.Select(l => Link(l.Text, l.Uri))));

    private static XElement SyntaxItem(CmdletModel cmdlet, string set, HelpDocument help) => new(
        Command + "syntaxItem",
        new XElement(Maml + "name", cmdlet.Name),
        cmdlet.ParametersOf(set).Select(p => ParameterElement(cmdlet, p, help, set)));

    /// <summary>A parameter in one set's syntax (set given) or in the parameters section (how it binds in any set).</summary>
    private static XElement ParameterElement(CmdletModel cmdlet, ParameterModel parameter, HelpDocument help, string? set)
    {
        var entries = set is null ? cmdlet.SetNames.Where(parameter.InSet).Select(parameter.EntryFor).ToArray() : new[] { parameter.EntryFor(set) };
        var positions = entries.Select(e => e.Position).Distinct().ToArray();
        var position = positions.Length == 1 && positions[0] is { } p ? p.ToString(CultureInfo.InvariantCulture) : "named";
        var pipeline = new SetEntry(string.Empty, false, null, entries.Any(e => e.ByValue), entries.Any(e => e.ByPropertyName));
        var doc = help.Parameters[parameter.Name];
        var description = doc.Description.ToList();
        if (parameter.AcceptedValues.Count > 0)
        {
            description.Add($"Accepted values: {string.Join(", ", parameter.AcceptedValues)}.");
        }

        return new XElement(
            Command + "parameter",
            new XAttribute("required", entries.Any(e => e.Mandatory) ? "true" : "false"),
            new XAttribute("variableLength", parameter.TypeName.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false"),
            new XAttribute("globbing", parameter.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", MarkdownHelp.PipelineInput(pipeline)),
            new XAttribute("position", position),
            new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            new XElement(Maml + "Description", Paras(description)),
            set is not null && parameter.AcceptedValues.Count > 0
                ? new XElement(
                    Command + "parameterValueGroup",
                    parameter.AcceptedValues.Select(v => new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v)))
                : null,
            parameter.IsSwitch && set is not null
                ? null
                : new XElement(
                    Command + "parameterValue",
                    new XAttribute("required", parameter.IsSwitch ? "false" : "true"),
                    new XAttribute("variableLength", "false"),
                    parameter.TypeName),
            new XElement(Dev + "type", new XElement(Maml + "name", parameter.TypeFullName), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", doc.DefaultValue));
    }

    private static XElement TypeElement(string name, HelpType type) => new(
        Command + name,
        new XElement(Dev + "type", new XElement(Maml + "name", type.Name)),
        new XElement(Maml + "description", Paras(type.Description)));

    private static XElement Example(HelpExample example) => new(
        Command + "example",
        new XElement(Maml + "title", $"--------- {example.Title} ---------"),
        new XElement(Dev + "code", example.Code),
        new XElement(Dev + "remarks", Paras(example.Remarks)));

    private static XElement Link(string text, string? uri) => new(
        Maml + "navigationLink",
        new XElement(Maml + "linkText", text),
        new XElement(Maml + "uri", uri ?? string.Empty));

    private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs) =>
        paragraphs.Select(p => new XElement(Maml + "para", p));
}
