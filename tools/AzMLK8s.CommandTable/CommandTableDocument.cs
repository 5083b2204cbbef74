using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Serialization;
using AzMLK8s.Harness;

namespace AzMLK8s.CommandTable;

/// <summary>The JSON tools/script-check reads: every cmdlet with its bindable parameters.</summary>
internal sealed record CommandTableDocument(string Module, string Version, IReadOnlyList<CommandEntry> Cmdlets)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static CommandTableDocument From(System.Reflection.Assembly assembly, TextWriter warnings) => new(
        assembly.GetName().Name!,
        assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        LoadableTypes(assembly, warnings)
            .Where(t => t.GetCustomAttributesData().Any(a => a.AttributeType == typeof(CmdletAttribute)))
            .Select(CmdletDeclaration.From)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(CommandEntry.From)
            .ToArray());

    // A type whose base or interface lives in an assembly this tool cannot load cannot be a cmdlet it could
    // describe anyway; say which, so a cmdlet that goes missing from the table is explained.
    private static IEnumerable<Type> LoadableTypes(System.Reflection.Assembly assembly, TextWriter warnings)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (System.Reflection.ReflectionTypeLoadException e)
        {
            foreach (var message in e.LoaderExceptions.OfType<Exception>().Select(x => x.Message).Distinct())
            {
                warnings.WriteLine($"warning: some types of {assembly.GetName().Name} were skipped: {message}");
            }

            return e.Types.OfType<Type>();
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}

internal sealed record CommandEntry(string Name, bool SupportsShouldProcess, IReadOnlyList<ParameterEntry> Parameters)
{
    public static CommandEntry From(CmdletDeclaration cmdlet) => new(
        cmdlet.Name,
        cmdlet.SupportsShouldProcess,
        cmdlet.Parameters.OrderBy(p => p.Name, StringComparer.Ordinal).Select(ParameterEntry.From).ToArray());
}

internal sealed record ParameterEntry(string Name, IReadOnlyList<string> Aliases, bool Switch, string Type)
{
    public static ParameterEntry From(ParameterDeclaration parameter) => new(
        parameter.Name,
        parameter.Aliases,
        parameter.Type == typeof(SwitchParameter),
        parameter.Type.FullName ?? parameter.Type.Name);
}
