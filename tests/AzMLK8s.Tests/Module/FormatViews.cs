using System.Reflection;
using System.Xml.Linq;

namespace AzMLK8s.Tests.Module;

/// <summary>One view of a .Format.ps1xml file: the types it is selected by and the properties it shows.</summary>
internal sealed record FormatView(string Name, IReadOnlyList<string> TypeNames, int HeaderCount, IReadOnlyList<string> PropertyNames, int ColumnCount)
{
    /// <summary>Reads every table and list view; script-block columns count as columns but name no property.</summary>
    public static IReadOnlyList<FormatView> Read(XDocument document) =>
        document.Descendants("View").Select(view =>
        {
            var table = view.Element("TableControl");
            var items = table is not null
                ? table.Descendants("TableColumnItem").ToArray()
                : view.Descendants("ListItem").ToArray();
            return new FormatView(
                (string?)view.Element("Name") ?? "",
                view.Element("ViewSelectedBy")?.Elements("TypeName").Select(t => t.Value.Trim()).ToArray() ?? [],
                table?.Descendants("TableColumnHeader").Count() ?? items.Length,
                items.Select(i => i.Element("PropertyName")?.Value.Trim()).OfType<string>().ToArray(),
                items.Length);
        }).ToArray();
}

/// <summary>
/// What must hold between the module's output types and its format views: each output type of the module has
/// a view; each view names a module type and only properties that type has; tables have a header per column.
/// </summary>
internal static class FormatViewRules
{
    public static IReadOnlyList<string> Problems(IEnumerable<Type> outputTypes, IReadOnlyList<FormatView> views, IReadOnlyList<Assembly> moduleAssemblies)
    {
        var problems = new List<string>();
        var viewed = views.SelectMany(v => v.TypeNames).ToHashSet(StringComparer.Ordinal);
        foreach (var type in outputTypes.Where(t => moduleAssemblies.Contains(t.Assembly)))
        {
            if (!viewed.Contains(type.FullName!))
            {
                problems.Add($"{type.FullName} is an output type but has no view.");
            }
        }

        foreach (var view in views)
        {
            if (view.TypeNames.Count == 0)
            {
                problems.Add($"View '{view.Name}' is selected by no type.");
            }

            if (view.HeaderCount != view.ColumnCount)
            {
                problems.Add($"View '{view.Name}' has {view.HeaderCount} headers for {view.ColumnCount} columns.");
            }

            foreach (var typeName in view.TypeNames)
            {
                var type = moduleAssemblies.Select(a => a.GetType(typeName)).FirstOrDefault(t => t is not null);
                if (type is null)
                {
                    problems.Add($"View '{view.Name}' names {typeName}, which is no type of the module.");
                    continue;
                }

                var properties = type.GetProperties(BindingFlags.Instance | BindingFlags.Public).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
                problems.AddRange(view.PropertyNames.Where(p => !properties.Contains(p)).Select(p => $"View '{view.Name}' shows {typeName}.{p}, which does not exist."));
            }
        }

        return problems;
    }
}
