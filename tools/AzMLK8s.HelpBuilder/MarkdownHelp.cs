using System.Text;

namespace AzMLK8s.HelpBuilder;

/// <summary>
/// The parts of a cmdlet's markdown help that come from AzMLK8s.dll rather than from its author: the front matter,
/// the SYNTAX section, each parameter's yaml block (except its default value, which no attribute says) and the
/// headings of INPUTS and OUTPUTS. <see cref="Update"/> rewrites them from the cmdlet and keeps every word the author
/// wrote; the build fails when a file is not what Update would make of it, so the markdown never drifts from the code.
/// </summary>
internal static class MarkdownHelp
{
    public const string PlaceholderStart = "{{";
    public const string CommonParametersText =
        "This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, " +
        "-InformationVariable, -OutBuffer, -OutVariable, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and " +
        "-WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).";

    private static readonly string[] SectionOrder =
        { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

    private static readonly Dictionary<string, string> RiskMitigationText = new(StringComparer.Ordinal)
    {
        ["WhatIf"] = "Shows what would happen if the cmdlet runs. The cmdlet is not run: nothing is sent to Azure or the cluster.",
        ["Confirm"] = "Prompts you for confirmation before running the cmdlet.",
    };

    /// <summary>The text of a markdown file whose generated parts match the cmdlet; new sections get placeholders.</summary>
    public static string Update(string? markdown, CmdletModel cmdlet)
    {
        var sections = SplitSections(Lines(markdown ?? string.Empty));
        var unknown = sections.Keys.Where(k => !SectionOrder.Contains(k)).ToArray();
        if (unknown.Length > 0)
        {
            throw new HelpException($"unknown section(s) {string.Join(", ", unknown.Select(u => "## " + u))}; the sections are {string.Join(", ", SectionOrder)}.");
        }

        var text = new StringBuilder();
        text.Append("---\n")
            .Append("external help file: AzMLK8s.dll-Help.xml\n")
            .Append("Module Name: AzMLK8s\n")
            .Append($"online version: {cmdlet.HelpUri}\n")
            .Append("schema: 2.0.0\n")
            .Append("---\n\n")
            .Append($"# {cmdlet.Name}\n");
        foreach (var name in SectionOrder)
        {
            text.Append($"\n## {name}\n\n");
            var body = sections.GetValueOrDefault(name);
            var content = name switch
            {
                "SYNTAX" => Syntax(cmdlet),
                "PARAMETERS" => Parameters(body ?? new List<string>(), cmdlet),
                "INPUTS" => TypeSections(body, cmdlet.InputTypes.Count > 0 ? cmdlet.InputTypes : new[] { "None" }),
                "OUTPUTS" => TypeSections(body, cmdlet.OutputTypes),
                "EXAMPLES" => Trimmed(body) ?? "### Example 1: {{ Title }}\n\n```powershell\n{{ Example code }}\n```\n\n{{ What the example does }}",
                _ => Trimmed(body) ?? $"{{{{ Fill in the {name.ToLowerInvariant()} }}}}",
            };
            text.Append(content.TrimEnd('\n')).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The SYNTAX section: one code block per parameter set, as Get-Command shows it.</summary>
    public static string Syntax(CmdletModel cmdlet)
    {
        var text = new StringBuilder();
        var sets = cmdlet.SetNames;
        foreach (var set in sets)
        {
            if (set != SetEntry.AllSets)
            {
                text.Append($"### {set}{(set == cmdlet.DefaultSet ? " (Default)" : string.Empty)}\n");
            }

            text.Append("```\n").Append(SyntaxLine(cmdlet, set)).Append("\n```\n\n");
        }

        return text.ToString();
    }

    public static string SyntaxLine(CmdletModel cmdlet, string set)
    {
        var parts = new List<string> { cmdlet.Name };
        foreach (var parameter in cmdlet.ParametersOf(set))
        {
            var entry = parameter.EntryFor(set);
            var name = entry.Position is null ? $"-{parameter.Name}" : $"[-{parameter.Name}]";
            var piece = parameter.IsSwitch ? name : $"{name} <{parameter.TypeName}>";
            parts.Add(entry.Mandatory ? piece : $"[{piece}]");
        }

        parts.Add("[<CommonParameters>]");
        return string.Join(' ', parts);
    }

    /// <summary>The yaml block(s) of a parameter: one per group of sets in which it binds the same way.</summary>
    public static string Yaml(CmdletModel cmdlet, ParameterModel parameter, string defaultValue)
    {
        var text = new StringBuilder();
        foreach (var (sets, entry) in Groups(cmdlet, parameter))
        {
            text.Append("```yaml\n")
                .Append($"Type: {parameter.TypeName}\n")
                .Append($"Parameter Sets: {sets}\n")
                .Append($"Aliases: {string.Join(", ", parameter.Aliases)}".TrimEnd()).Append('\n');
            if (parameter.AcceptedValues.Count > 0)
            {
                text.Append($"Accepted values: {string.Join(", ", parameter.AcceptedValues)}\n");
            }

            text.Append('\n')
                .Append($"Required: {(entry.Mandatory ? "True" : "False")}\n")
                .Append($"Position: {(entry.Position is { } p ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "Named")}\n")
                .Append($"Default value: {defaultValue}\n")
                .Append($"Accept pipeline input: {PipelineInput(entry)}\n")
                .Append($"Accept wildcard characters: {(parameter.Globbing ? "True" : "False")}\n")
                .Append("```\n\n");
        }

        return text.ToString();
    }

    public static string PipelineInput(SetEntry entry) => (entry.ByValue, entry.ByPropertyName) switch
    {
        (true, true) => "True (ByPropertyName, ByValue)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };

    public static IEnumerable<(string Sets, SetEntry Entry)> Groups(CmdletModel cmdlet, ParameterModel parameter)
    {
        var all = cmdlet.SetNames;
        if (parameter.Sets.Any(s => s.SetName == SetEntry.AllSets) && parameter.Sets.Count == 1)
        {
            yield return ("(All)", parameter.Sets[0]);
            yield break;
        }

        var groups = all.Where(parameter.InSet)
            .GroupBy(set => parameter.EntryFor(set) with { SetName = string.Empty })
            .ToArray();
        foreach (var group in groups)
        {
            var sets = group.ToArray();
            yield return (sets.Length == all.Count ? "(All)" : string.Join(", ", sets), group.Key);
        }
    }

    private static string Parameters(List<string> body, CmdletModel cmdlet)
    {
        var existing = SplitSubsections(body);
        var text = new StringBuilder();
        foreach (var parameter in cmdlet.Parameters.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase))
        {
            var lines = existing.GetValueOrDefault("-" + parameter.Name) ?? new List<string>();
            var yamlAt = lines.FindIndex(l => l.TrimStart().StartsWith("```yaml", StringComparison.Ordinal));
            var description = Trimmed(yamlAt < 0 ? lines : lines.Take(yamlAt).ToList())
                ?? RiskMitigationText.GetValueOrDefault(parameter.Name)
                ?? $"{{{{ Fill {parameter.Name} Description }}}}";
            var defaultLine = lines.Skip(Math.Max(yamlAt, 0)).FirstOrDefault(l => l.StartsWith("Default value:", StringComparison.Ordinal));
            var defaultValue = defaultLine?["Default value:".Length..].Trim() is { Length: > 0 } d ? d : parameter.IsSwitch ? "False" : "None";
            text.Append($"### -{parameter.Name}\n\n").Append(description).Append("\n\n").Append(Yaml(cmdlet, parameter, defaultValue));
        }

        text.Append("### CommonParameters\n\n").Append(CommonParametersText).Append('\n');
        return text.ToString();
    }

    /// <summary>INPUTS or OUTPUTS: a ### heading per type; the types the cmdlet declares must be there, others may be.</summary>
    private static string TypeSections(List<string>? body, IReadOnlyList<string> required)
    {
        var existing = SplitSubsections(body ?? new List<string>());
        var names = existing.Keys.ToList();
        names.AddRange(required.Where(r => !existing.ContainsKey(r)));
        var text = new StringBuilder();
        foreach (var name in names)
        {
            var description = Trimmed(existing.GetValueOrDefault(name)) ?? "{{ Fill in what it is }}";
            text.Append($"### {name}\n\n").Append(description).Append("\n\n");
        }

        return text.ToString();
    }

    /// <summary>The level-2 sections of a document (outside code fences), by heading; front matter and title dropped.</summary>
    public static Dictionary<string, List<string>> SplitSections(IReadOnlyList<string> lines) => Split(lines, "## ", skipPreamble: true);

    public static Dictionary<string, List<string>> SplitSubsections(IReadOnlyList<string> lines) => Split(lines, "### ", skipPreamble: true);

    private static Dictionary<string, List<string>> Split(IReadOnlyList<string> lines, string prefix, bool skipPreamble)
    {
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = skipPreamble ? null : new List<string>();
        var inFence = false;
        var start = 0;
        if (lines.Count > 0 && lines[0] == "---")
        {
            start = 1;
            while (start < lines.Count && lines[start] != "---")
            {
                start++;
            }

            start++;
        }

        for (var i = start; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }

            if (!inFence && line.StartsWith(prefix, StringComparison.Ordinal))
            {
                var name = line[prefix.Length..].Trim();
                if (sections.ContainsKey(name))
                {
                    throw new HelpException($"the heading '{line}' appears twice.");
                }

                current = sections[name] = new List<string>();
                continue;
            }

            current?.Add(line);
        }

        return sections;
    }

    public static List<string> Lines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();

    private static string? Trimmed(List<string>? lines)
    {
        if (lines is null)
        {
            return null;
        }

        var text = string.Join('\n', lines).Trim('\n', ' ');
        return text.Length == 0 ? null : text;
    }
}

/// <summary>A problem in a help source, reported as a build error naming the file.</summary>
internal sealed class HelpException : Exception
{
    public HelpException(string message)
        : base(message)
    {
    }
}
