using System.Text.RegularExpressions;

namespace AzMLK8s.HelpBuilder;

/// <summary>
/// dotnet AzMLK8s.HelpBuilder.dll --assembly out/AzMLK8s/&lt;version&gt;/AzMLK8s.dll --references refs.txt --docs docs/help
///     --manifest AzMLK8s.psd1 --output out/AzMLK8s/&lt;version&gt;/en-US/AzMLK8s.dll-Help.xml [--update]
/// Checks docs/help/&lt;cmdlet&gt;.md against the cmdlets of AzMLK8s.dll and writes the MAML help. --update first rewrites
/// the parts of the markdown that come from the code (syntax, parameter blocks, new parameter sections). Problems are
/// printed as MSBuild errors naming the file, the cmdlet and the parameter; the exit code is 1 if there is any.
/// </summary>
internal static class Program
{
    private const string ErrorCode = "AZMLK8S010";
    private const string UpdateCommand = "dotnet build src/AzMLK8s -c Release -p:UpdateHelp=true";

    public static int Main(string[] args)
    {
        var options = Options.Parse(args);
        var errors = new List<(string File, string Message)>();
        var cmdlets = CmdletReader.Read(options.Assembly, File.ReadAllLines(options.References).Where(l => l.Length > 0));
        var projectUri = ProjectUri(options.Manifest);
        var documented = new List<(CmdletModel, HelpDocument)>();

        foreach (var found in cmdlets)
        {
            var path = Path.Combine(options.Docs, found.Name + ".md");
            var display = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
            var expectedUri = $"{projectUri}/blob/main/docs/help/{found.Name}.md";
            if (found.HelpUri != expectedUri)
            {
                errors.Add((display, $"{found.Name}: its [Cmdlet] attribute has HelpUri '{found.HelpUri}'; set HelpUri = \"{expectedUri}\" (the project's docs page of the cmdlet, which Get-Help -Online opens)."));
            }

            var cmdlet = found with { HelpUri = expectedUri };
            try
            {
                var text = File.Exists(path) ? File.ReadAllText(path) : null;
                var updated = MarkdownHelp.Update(text, cmdlet);
                if (options.Update && updated != text)
                {
                    Directory.CreateDirectory(options.Docs);
                    File.WriteAllText(path, updated);
                    Console.WriteLine($"AzMLK8s help: updated {display}");
                    text = updated;
                }

                if (text is null)
                {
                    errors.Add((display, $"{cmdlet.Name} has no help: {display} is missing. Run '{UpdateCommand}' to start it, then write its text."));
                    continue;
                }

                var problems = Check(cmdlet, text, updated, display);
                errors.AddRange(problems.Distinct().Select(p => (display, p)));
                if (problems.Count == 0)
                {
                    documented.Add((cmdlet, HelpParser.Parse(text)));
                }
            }
            catch (HelpException ex)
            {
                errors.Add((display, $"{cmdlet.Name}: {ex.Message}"));
            }
        }

        if (Directory.Exists(options.Docs))
        {
            foreach (var file in Directory.GetFiles(options.Docs, "*.md"))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                if (!cmdlets.Any(c => c.Name == name) && name != "README" && !name.StartsWith("about_", StringComparison.Ordinal))
                {
                    errors.Add((Path.GetRelativePath(Directory.GetCurrentDirectory(), file), $"AzMLK8s.dll has no cmdlet {name}: remove or rename the file."));
                }
            }
        }

        foreach (var (file, message) in errors)
        {
            Console.WriteLine($"{file}: error {ErrorCode}: {message}");
        }

        if (errors.Count > 0)
        {
            return 1;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
        File.WriteAllText(options.Output, MamlWriter.Write(documented));
        Console.WriteLine($"AzMLK8s help: {documented.Count} cmdlets -> {options.Output}");
        return 0;
    }

    /// <summary>What keeps a cmdlet's markdown from being its help: missing text, placeholders, drift from the code.</summary>
    private static List<string> Check(CmdletModel cmdlet, string text, string updated, string display)
    {
        var problems = new List<string>();
        var help = HelpParser.Parse(updated);
        foreach (var parameter in cmdlet.Parameters)
        {
            var description = help.Parameters.GetValueOrDefault(parameter.Name)?.Description ?? Array.Empty<string>();
            if (description.Count == 0 || description.Any(IsPlaceholder))
            {
                problems.Add($"{cmdlet.Name} -{parameter.Name} has no description: write it under '### -{parameter.Name}' in {display}" +
                    (text.Contains($"### -{parameter.Name}\n", StringComparison.Ordinal) ? "." : $" (run '{UpdateCommand}' to add the section)."));
            }
        }

        var written = HelpParser.Parse(text);
        foreach (var extra in written.Parameters.Keys.Where(k => !cmdlet.Parameters.Any(p => string.Equals(p.Name, k, StringComparison.OrdinalIgnoreCase))))
        {
            problems.Add($"{cmdlet.Name} has no parameter -{extra}: remove its section from {display}.");
        }

        Require(problems, cmdlet, "SYNOPSIS", help.Synopsis.Length > 0 && !IsPlaceholder(help.Synopsis));
        Require(problems, cmdlet, "DESCRIPTION", help.Description.Count > 0 && !help.Description.Any(IsPlaceholder));
        Require(problems, cmdlet, "NOTES", help.Notes.Count > 0 && !help.Notes.Any(IsPlaceholder));
        Require(problems, cmdlet, "RELATED LINKS", help.Links.Count > 0);
        if (help.Examples.Count < 2 || help.Examples.Any(e => e.Code.Length == 0 || IsPlaceholder(e.Code) || IsPlaceholder(e.Title) || e.Remarks.Count == 0 || e.Remarks.Any(IsPlaceholder)))
        {
            problems.Add($"{cmdlet.Name} needs at least two examples, each with a title, a powershell code block and a sentence on what it does.");
        }

        foreach (var type in help.Inputs.Concat(help.Outputs).Where(t => t.Description.Count == 0 || t.Description.Any(IsPlaceholder)))
        {
            problems.Add($"{cmdlet.Name}: say what {type.Name} is under INPUTS or OUTPUTS '### {type.Name}'.");
        }

        if (problems.Count == 0 && updated != text)
        {
            var expected = MarkdownHelp.Lines(updated);
            var actual = MarkdownHelp.Lines(text);
            var line = Enumerable.Range(0, Math.Max(expected.Count, actual.Count))
                .First(i => i >= expected.Count || i >= actual.Count || expected[i] != actual[i]);
            problems.Add($"{cmdlet.Name}: the parts that come from AzMLK8s.dll (syntax, parameter blocks, input and output types) are out of date " +
                $"at line {line + 1}: expected '{(line < expected.Count ? expected[line] : "(end)")}', found '{(line < actual.Count ? actual[line] : "(end)")}'. Run '{UpdateCommand}'.");
        }

        return problems;
    }

    private static void Require(List<string> problems, CmdletModel cmdlet, string section, bool present)
    {
        if (!present)
        {
            problems.Add($"{cmdlet.Name}: write the '## {section}' section.");
        }
    }

    private static bool IsPlaceholder(string text) => text.Contains(MarkdownHelp.PlaceholderStart, StringComparison.Ordinal);

    private static string ProjectUri(string manifest)
    {
        var match = Regex.Match(File.ReadAllText(manifest), @"ProjectUri\s*=\s*'([^']+)'");
        if (!match.Success)
        {
            throw new InvalidOperationException($"{manifest} has no PSData ProjectUri.");
        }

        return match.Groups[1].Value.TrimEnd('/');
    }

    private sealed record Options(string Assembly, string References, string Docs, string Manifest, string Output, bool Update)
    {
        public static Options Parse(string[] args)
        {
            string Value(string name)
            {
                var index = Array.IndexOf(args, name);
                return index >= 0 && index + 1 < args.Length ? args[index + 1] : throw new ArgumentException($"{name} is required.");
            }

            return new Options(Value("--assembly"), Value("--references"), Value("--docs"), Value("--manifest"), Value("--output"), args.Contains("--update"));
        }
    }
}
