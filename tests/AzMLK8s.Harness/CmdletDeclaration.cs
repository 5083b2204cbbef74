using System.Management.Automation;
using System.Reflection;

namespace AzMLK8s.Harness;

/// <summary>
/// Reads cmdlet and parameter declarations from attribute metadata (CustomAttributeData). The PowerShell
/// reference assembly's attribute classes do not keep their property values when constructed, so the raw
/// metadata is the only faithful view outside PowerShell.
/// </summary>
public sealed record CmdletDeclaration(
    Type Type,
    string Verb,
    string Noun,
    bool SupportsShouldProcess,
    string? ConfirmImpact,
    string? DefaultParameterSetName,
    IReadOnlyList<Type> OutputTypes,
    IReadOnlyList<ParameterDeclaration> Parameters)
{
    public string Name => $"{Verb}-{Noun}";

    public IReadOnlyList<string> ParameterSetNames =>
        Parameters.SelectMany(p => p.Sets.Select(s => s.SetName)).Where(s => s != ParameterSet.AllSets).Distinct().ToArray();

    public static CmdletDeclaration From(Type type)
    {
        var cmdlet = type.GetCustomAttributesData().Single(a => a.AttributeType == typeof(CmdletAttribute));
        var outputTypes = type.GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(OutputTypeAttribute))
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value switch
            {
                IEnumerable<CustomAttributeTypedArgument> many => many.Select(m => m.Value),
                var one => new[] { one },
            })
            .OfType<Type>()
            .ToArray();
        var parameters = type.GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Select(ParameterDeclaration.From)
            .OfType<ParameterDeclaration>()
            .ToArray();
        return new CmdletDeclaration(
            type,
            (string)cmdlet.ConstructorArguments[0].Value!,
            (string)cmdlet.ConstructorArguments[1].Value!,
            Named<bool>(cmdlet, nameof(CmdletAttribute.SupportsShouldProcess)),
            Named<object>(cmdlet, nameof(CmdletAttribute.ConfirmImpact)) is { } impact ? Enum.GetName(typeof(ConfirmImpact), impact) : null,
            Named<string>(cmdlet, nameof(CmdletAttribute.DefaultParameterSetName)),
            outputTypes,
            parameters);
    }

    public static IReadOnlyList<CmdletDeclaration> All(Assembly assembly) =>
        assembly.GetTypes()
            .Where(t => t.GetCustomAttributesData().Any(a => a.AttributeType == typeof(CmdletAttribute)))
            .Select(From)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToArray();

    public static T? Named<T>(CustomAttributeData data, string name)
    {
        foreach (var argument in data.NamedArguments)
        {
            if (argument.MemberName == name)
            {
                return (T?)argument.TypedValue.Value;
            }
        }

        return default;
    }
}

public sealed record ParameterSet(string SetName, bool Mandatory, bool ValueFromPipeline, bool ValueFromPipelineByPropertyName, int? Position)
{
    public const string AllSets = "__AllParameterSets";
}

public sealed record ParameterDeclaration(PropertyInfo Property, IReadOnlyList<ParameterSet> Sets, IReadOnlyList<string> Aliases)
{
    public string Name => Property.Name;

    public Type Type => Property.PropertyType;

    /// <summary>The name and every alias.</summary>
    public IEnumerable<string> Names => Aliases.Prepend(Name);

    public bool InSet(string setName) => Sets.Any(s => s.SetName == ParameterSet.AllSets || s.SetName == setName);

    public static ParameterDeclaration? From(PropertyInfo property)
    {
        var data = property.GetCustomAttributesData();
        var sets = data.Where(a => a.AttributeType == typeof(ParameterAttribute))
            .Select(a => new ParameterSet(
                CmdletDeclaration.Named<string>(a, nameof(ParameterAttribute.ParameterSetName)) ?? ParameterSet.AllSets,
                CmdletDeclaration.Named<bool>(a, nameof(ParameterAttribute.Mandatory)),
                CmdletDeclaration.Named<bool>(a, nameof(ParameterAttribute.ValueFromPipeline)),
                CmdletDeclaration.Named<bool>(a, nameof(ParameterAttribute.ValueFromPipelineByPropertyName)),
                a.NamedArguments.Any(n => n.MemberName == nameof(ParameterAttribute.Position))
                    ? CmdletDeclaration.Named<int>(a, nameof(ParameterAttribute.Position))
                    : null))
            .ToArray();
        if (sets.Length == 0)
        {
            return null;
        }

        var aliases = data.Where(a => a.AttributeType == typeof(AliasAttribute))
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => (string)m.Value!) : new[] { (string)arg.Value! })
            .ToArray();
        return new ParameterDeclaration(property, sets, aliases);
    }
}
