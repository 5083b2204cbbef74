using System.Text;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace AzMLK8s.HelpBuilder;

internal sealed record HelpExample(string Title, string Code, string? Setup, IReadOnlyList<string> Remarks);

internal sealed record HelpParameter(IReadOnlyList<string> Description, string DefaultValue);

internal sealed record HelpType(string Name, IReadOnlyList<string> Description);

internal sealed record HelpLink(string Text, string? Uri);

/// <summary>The author's text of one cmdlet's help, read from its markdown; paragraphs are plain text for Get-Help.</summary>
internal sealed class HelpDocument
{
    public string Synopsis { get; set; } = string.Empty;

    public List<string> Description { get; } = new();

    public List<HelpExample> Examples { get; } = new();

    public Dictionary<string, HelpParameter> Parameters { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<HelpType> Inputs { get; } = new();

    public List<HelpType> Outputs { get; } = new();

    public List<string> Notes { get; } = new();

    public List<HelpLink> Links { get; } = new();
}

/// <summary>
/// Reads a platyPS-style markdown help file with Markdig. Code blocks tagged <c>powershell setup</c> in an example are
/// what the example needs beforehand (the help tests run them first); they are not part of the example Get-Help shows.
/// </summary>
internal static class HelpParser
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    public static HelpDocument Parse(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var help = new HelpDocument();
        string? section = null;
        string? subsection = null;
        var blocks = new List<Block>();

        void Flush()
        {
            if (section is not null)
            {
                Apply(help, section, subsection, blocks);
            }

            blocks = new List<Block>();
        }

        foreach (var block in document)
        {
            if (block is YamlFrontMatterBlock)
            {
                continue;
            }

            if (block is HeadingBlock { Level: 1 })
            {
                continue;
            }

            if (block is HeadingBlock { Level: 2 } h2)
            {
                Flush();
                section = Inline(h2.Inline).Trim();
                subsection = null;
                continue;
            }

            if (block is HeadingBlock { Level: 3 } h3)
            {
                Flush();
                subsection = Inline(h3.Inline).Trim();
                continue;
            }

            blocks.Add(block);
        }

        Flush();
        return help;
    }

    private static void Apply(HelpDocument help, string section, string? subsection, List<Block> blocks)
    {
        switch (section)
        {
            case "SYNOPSIS":
                help.Synopsis = string.Join(' ', Paragraphs(blocks));
                break;
            case "DESCRIPTION":
                help.Description.AddRange(Paragraphs(blocks));
                break;
            case "NOTES":
                help.Notes.AddRange(Paragraphs(blocks));
                break;
            case "EXAMPLES" when subsection is not null:
                help.Examples.Add(Example(subsection, blocks));
                break;
            case "PARAMETERS" when subsection is not null && subsection.StartsWith('-'):
                var yaml = blocks.OfType<FencedCodeBlock>().FirstOrDefault(b => b.Info == "yaml");
                var defaultValue = yaml is null ? "None" : CodeText(yaml).Split('\n')
                    .Where(l => l.StartsWith("Default value:", StringComparison.Ordinal))
                    .Select(l => l["Default value:".Length..].Trim())
                    .FirstOrDefault() ?? "None";
                help.Parameters[subsection[1..]] = new HelpParameter(Paragraphs(blocks.TakeWhile(b => b != yaml)), defaultValue);
                break;
            case "INPUTS" when subsection is not null:
                help.Inputs.Add(new HelpType(subsection, Paragraphs(blocks)));
                break;
            case "OUTPUTS" when subsection is not null:
                help.Outputs.Add(new HelpType(subsection, Paragraphs(blocks)));
                break;
            case "RELATED LINKS":
                foreach (var link in blocks.OfType<LeafBlock>().Where(b => b.Inline is not null).SelectMany(b => b.Inline!.Descendants<LinkInline>()))
                {
                    var text = Inline(link).Trim();
                    var uri = link.Url ?? string.Empty;
                    help.Links.Add(new HelpLink(text, uri.StartsWith("https://", StringComparison.Ordinal) || uri.StartsWith("http://", StringComparison.Ordinal) ? uri : null));
                }

                break;
        }
    }

    private static HelpExample Example(string title, List<Block> blocks)
    {
        var code = blocks.OfType<FencedCodeBlock>().ToArray();
        var setup = code.Where(c => IsSetup(c)).Select(CodeText).ToArray();
        var shown = code.Where(c => !IsSetup(c)).Select(CodeText).ToArray();
        var remarks = Paragraphs(blocks.Where(b => b is not FencedCodeBlock));
        return new HelpExample(title, string.Join("\n\n", shown), setup.Length == 0 ? null : string.Join('\n', setup), remarks);
    }

    private static bool IsSetup(FencedCodeBlock block) => (block.Arguments ?? string.Empty).Split(' ').Contains("setup", StringComparer.Ordinal);

    /// <summary>Plain-text paragraphs: a list item each (with its bullet), code blocks kept line by line.</summary>
    public static List<string> Paragraphs(IEnumerable<Block> blocks)
    {
        var paragraphs = new List<string>();
        foreach (var block in blocks)
        {
            switch (block)
            {
                case FencedCodeBlock code:
                    paragraphs.Add(CodeText(code));
                    break;
                case CodeBlock code:
                    paragraphs.Add(CodeText(code));
                    break;
                case ListBlock list:
                    var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var bullet = list.IsOrdered ? $"{number++}. " : "- ";
                        var inner = Paragraphs(item);
                        if (inner.Count > 0)
                        {
                            paragraphs.Add(bullet + inner[0]);
                            paragraphs.AddRange(inner.Skip(1).Select(p => "  " + p));
                        }
                    }

                    break;
                case QuoteBlock quote:
                    paragraphs.AddRange(Paragraphs(quote));
                    break;
                case LeafBlock leaf when leaf.Inline is not null:
                    var text = Inline(leaf.Inline).Trim();
                    if (text.Length > 0)
                    {
                        paragraphs.Add(text);
                    }

                    break;
            }
        }

        return paragraphs;
    }

    public static string CodeText(LeafBlock code)
    {
        var lines = code.Lines.Lines.Take(code.Lines.Count).Select(l => l.Slice.ToString());
        return string.Join('\n', lines).TrimEnd();
    }

    /// <summary>Inline markdown as the text a reader of Get-Help should see: no backticks, stars or link targets.</summary>
    public static string Inline(Inline? inline)
    {
        var text = new StringBuilder();
        Append(text, inline);
        return text.ToString();
    }

    private static void Append(StringBuilder text, Inline? inline)
    {
        switch (inline)
        {
            case null:
                return;
            case LiteralInline literal:
                text.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                text.Append(code.Content);
                break;
            case LineBreakInline lineBreak:
                text.Append(lineBreak.IsHard ? "\n" : " ");
                break;
            case AutolinkInline autolink:
                text.Append(autolink.Url);
                break;
            case HtmlInline or HtmlEntityInline:
                text.Append(inline is HtmlEntityInline entity ? entity.Transcoded.ToString() : string.Empty);
                break;
            case LinkInline link:
                var before = text.Length;
                foreach (var child in link)
                {
                    Append(text, child);
                }

                var url = link.Url ?? string.Empty;
                if ((url.StartsWith("https://", StringComparison.Ordinal) || url.StartsWith("http://", StringComparison.Ordinal))
                    && text.ToString(before, text.Length - before) != url)
                {
                    text.Append($" ({url})");
                }

                break;
            case ContainerInline container:
                foreach (var child in container)
                {
                    Append(text, child);
                }

                break;
        }
    }
}
