using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Xml.Linq;

namespace AzMLK8s.Walkthrough;

/// <summary>One column of a table view: its header and the property it shows.</summary>
internal sealed record ViewColumn(string Label, string PropertyName, int? Width, string? Alignment);

/// <summary>
/// The table views of the module's AzMLK8s.Format.ps1xml, rendered the way PowerShell's Format-Table shows them,
/// so the walk-through prints what a PowerShell user would see.
/// </summary>
internal sealed class FormatViews
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<ViewColumn>> _tables;

    private FormatViews(IReadOnlyDictionary<string, IReadOnlyList<ViewColumn>> tables)
    {
        _tables = tables;
    }

    public IReadOnlyCollection<string> TypeNames => _tables.Keys.ToArray();

    public static FormatViews Load(string path)
    {
        var tables = new Dictionary<string, IReadOnlyList<ViewColumn>>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return new FormatViews(tables);
        }

        foreach (var view in XDocument.Load(path).Descendants("View"))
        {
            var table = view.Element("TableControl");
            if (table is null)
            {
                continue;
            }

            var headers = table.Element("TableHeaders")?.Elements("TableColumnHeader").ToArray() ?? Array.Empty<XElement>();
            var items = table.Descendants("TableColumnItem").ToArray();
            var columns = items.Select((item, i) =>
            {
                var property = item.Element("PropertyName")?.Value
                    ?? throw new InvalidDataException($"{path}: view {view.Element("Name")?.Value} column {i + 1} has no PropertyName.");
                var header = i < headers.Length ? headers[i] : null;
                var width = header?.Element("Width")?.Value;
                return new ViewColumn(
                    header?.Element("Label")?.Value ?? property,
                    property,
                    width is null ? null : int.Parse(width, CultureInfo.InvariantCulture),
                    header?.Element("Alignment")?.Value);
            }).ToArray();

            foreach (var typeName in view.Element("ViewSelectedBy")?.Elements("TypeName").Select(t => t.Value) ?? Enumerable.Empty<string>())
            {
                tables.TryAdd(typeName, columns);
            }
        }

        return new FormatViews(tables);
    }

    public bool TryGetTable(Type type, out IReadOnlyList<ViewColumn> columns) =>
        _tables.TryGetValue(type.FullName ?? type.Name, out columns!);

    /// <summary>Objects of the same type in a row share one table; objects without a view print as lists.</summary>
    public string Render(IEnumerable<object> objects)
    {
        var text = new StringBuilder();
        foreach (var group in Consecutive(objects))
        {
            text.AppendLine();
            if (TryGetTable(group[0].GetType(), out var columns))
            {
                RenderTable(text, columns, group);
            }
            else
            {
                foreach (var item in group)
                {
                    RenderList(text, item);
                }
            }
        }

        return text.ToString();
    }

    public static string FormatValue(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "True" : "False",
        DateTimeOffset d => d.ToLocalTime().ToString("g", CultureInfo.CurrentCulture),
        IDictionary dictionary => "{" + string.Join(", ", dictionary.Keys.Cast<object>().Select(k => $"{k}={FormatValue(dictionary[k])}")) + "}",
        IEnumerable sequence => "{" + string.Join(", ", sequence.Cast<object?>().Select(FormatValue)) + "}",
        IFormattable formattable => formattable.ToString(null, CultureInfo.CurrentCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static void RenderTable(StringBuilder text, IReadOnlyList<ViewColumn> columns, IReadOnlyList<object> rows)
    {
        var cells = rows.Select(row => columns.Select(c => FormatValue(Read(row, c.PropertyName))).ToArray()).ToArray();
        var widths = columns.Select((c, i) => c.Width ?? Math.Max(c.Label.Length, cells.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        text.AppendLine(Line(columns.Select(c => c.Label), columns, widths));
        text.AppendLine(Line(columns.Select(c => new string('-', c.Label.Length)), columns, widths));
        foreach (var row in cells)
        {
            text.AppendLine(Line(row, columns, widths));
        }
    }

    private static string Line(IEnumerable<string> values, IReadOnlyList<ViewColumn> columns, int[] widths)
    {
        var parts = values.Select((value, i) =>
        {
            var fitted = value.Length > widths[i] ? value[..Math.Max(0, widths[i] - 1)] + "…" : value;
            return columns[i].Alignment == "Right" ? fitted.PadLeft(widths[i]) : fitted.PadRight(widths[i]);
        });
        return string.Join(" ", parts).TrimEnd();
    }

    private static void RenderList(StringBuilder text, object item)
    {
        var properties = item.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public).Where(p => p.GetIndexParameters().Length == 0).ToArray();
        var width = properties.Select(p => p.Name.Length).DefaultIfEmpty(0).Max();
        foreach (var property in properties)
        {
            text.AppendLine($"{property.Name.PadRight(width)} : {FormatValue(property.GetValue(item))}");
        }

        text.AppendLine();
    }

    private static object? Read(object item, string propertyName) =>
        item.GetType().GetProperty(propertyName, BindingFlags.Instance | BindingFlags.Public)?.GetValue(item);

    private static IEnumerable<IReadOnlyList<object>> Consecutive(IEnumerable<object> objects)
    {
        var group = new List<object>();
        foreach (var item in objects)
        {
            if (group.Count > 0 && group[0].GetType() != item.GetType())
            {
                yield return group;
                group = new List<object>();
            }

            group.Add(item);
        }

        if (group.Count > 0)
        {
            yield return group;
        }
    }
}
