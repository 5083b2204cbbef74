using System.Collections.ObjectModel;
using System.Reflection;

namespace AzMLK8s.HelpBuilder;

/// <summary>One parameter set entry of a parameter, as its [Parameter] attribute declares it.</summary>
internal sealed record SetEntry(string SetName, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName)
{
    public const string AllSets = "__AllParameterSets";
}

/// <summary>A cmdlet parameter as PowerShell binds it.</summary>
internal sealed record ParameterModel(
    string Name,
    string TypeName,
    string TypeFullName,
    bool IsSwitch,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues,
    bool Globbing,
    IReadOnlyList<SetEntry> Sets)
{
    /// <summary>WhatIf and Confirm, which PowerShell adds to cmdlets that support ShouldProcess.</summary>
    public bool IsRiskMitigation { get; init; }

    public bool InSet(string set) => Sets.Any(s => s.SetName == set || s.SetName == SetEntry.AllSets);

    public SetEntry EntryFor(string set) => Sets.FirstOrDefault(s => s.SetName == set) ?? Sets.First(s => s.SetName == SetEntry.AllSets);
}

/// <summary>A cmdlet of AzMLK8s.dll, read from its attributes.</summary>
internal sealed record CmdletModel(
    string Name,
    string Verb,
    string Noun,
    string? HelpUri,
    string? DefaultSet,
    bool SupportsShouldProcess,
    IReadOnlyList<string> OutputTypes,
    IReadOnlyList<ParameterModel> Parameters)
{
    /// <summary>The parameter sets, the default first; one nameless set when the cmdlet declares none.</summary>
    public IReadOnlyList<string> SetNames
    {
        get
        {
            var named = Parameters.SelectMany(p => p.Sets).Select(s => s.SetName).Where(s => s != SetEntry.AllSets).Distinct().ToList();
            if (named.Count == 0)
            {
                return new[] { SetEntry.AllSets };
            }

            if (DefaultSet is not null && named.Remove(DefaultSet))
            {
                named.Insert(0, DefaultSet);
            }

            return named;
        }
    }

    /// <summary>The parameters of one set in the order the syntax shows them: positional, mandatory, the rest.</summary>
    public IEnumerable<ParameterModel> ParametersOf(string set) => Parameters
        .Where(p => p.InSet(set))
        .Select((p, index) => (p, index, entry: p.EntryFor(set)))
        .OrderBy(x => x.p.IsRiskMitigation)
        .ThenBy(x => x.entry.Position ?? int.MaxValue)
        .ThenBy(x => !x.entry.Mandatory)
        .ThenBy(x => x.index)
        .Select(x => x.p);

    /// <summary>The types the cmdlet takes from the pipeline, by value or by property name.</summary>
    public IReadOnlyList<string> InputTypes => Parameters
        .Where(p => p.Sets.Any(s => s.ByValue || s.ByPropertyName))
        .Select(p => p.TypeFullName)
        .Distinct(StringComparer.Ordinal)
        .ToArray();
}

/// <summary>
/// Reads the cmdlets of the built AzMLK8s.dll without running it: a MetadataLoadContext over the assembly and its
/// references (PowerShellStandard.Library's System.Management.Automation is a reference assembly, so its attributes
/// are read as CustomAttributeData, never constructed).
/// </summary>
internal static class CmdletReader
{
    private const string Sma = "System.Management.Automation.";

    public static IReadOnlyList<CmdletModel> Read(string assemblyPath, IEnumerable<string> referencePaths)
    {
        var paths = referencePaths
            .Where(File.Exists)
            .Where(p => !string.Equals(Path.GetFileName(p), Path.GetFileName(assemblyPath), StringComparison.OrdinalIgnoreCase))
            .Append(assemblyPath)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
        using var context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
        return assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && t.IsPublic)
            .Select(t => (type: t, cmdlet: Attribute(t.GetCustomAttributesData(), "CmdletAttribute")))
            .Where(x => x.cmdlet is not null)
            .Select(x => ReadCmdlet(x.type, x.cmdlet!))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToArray();
    }

    private static CmdletModel ReadCmdlet(Type type, CustomAttributeData cmdlet)
    {
        var verb = (string)cmdlet.ConstructorArguments[0].Value!;
        var noun = (string)cmdlet.ConstructorArguments[1].Value!;
        var supportsShouldProcess = Named<bool?>(cmdlet, "SupportsShouldProcess") ?? false;
        var outputTypes = type.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute")
            .SelectMany(a => a.ConstructorArguments.SelectMany(Values))
            .Select(v => v is Type t ? FullName(t) : v?.ToString() ?? string.Empty)
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        var parameters = DeclaredProperties(type)
            .Select(ReadParameter)
            .Where(p => p is not null)
            .Select(p => p!)
            .ToList();
        if (supportsShouldProcess)
        {
            parameters.Add(RiskMitigation("WhatIf", "wi"));
            parameters.Add(RiskMitigation("Confirm", "cf"));
        }

        return new CmdletModel(
            $"{verb}-{noun}",
            verb,
            noun,
            Named<string>(cmdlet, "HelpUri"),
            Named<string>(cmdlet, "DefaultParameterSetName"),
            supportsShouldProcess,
            outputTypes,
            parameters);
    }

    /// <summary>Public instance properties from the base class down, a redeclared one where its most derived class has it.</summary>
    private static IEnumerable<PropertyInfo> DeclaredProperties(Type type)
    {
        var chain = new List<Type>();
        for (var t = type; t is not null && t.FullName != Sma + "PSCmdlet" && t.FullName != Sma + "Cmdlet"; t = t.BaseType)
        {
            chain.Insert(0, t);
        }

        var byName = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        foreach (var t in chain)
        {
            foreach (var property in t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (!byName.ContainsKey(property.Name))
                {
                    order.Add(property.Name);
                }

                byName[property.Name] = property;
            }
        }

        return order.Select(name => byName[name]);
    }

    private static ParameterModel? ReadParameter(PropertyInfo property)
    {
        var attributes = property.GetCustomAttributesData();
        var parameterAttributes = attributes.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute").ToArray();
        if (parameterAttributes.Length == 0 || parameterAttributes.Any(a => Named<bool?>(a, "DontShow") == true))
        {
            return null;
        }

        var sets = parameterAttributes.Select(a => new SetEntry(
            Named<string>(a, "ParameterSetName") ?? SetEntry.AllSets,
            Named<bool?>(a, "Mandatory") ?? false,
            Named<int?>(a, "Position") is { } position && position >= 0 ? position : null,
            Named<bool?>(a, "ValueFromPipeline") ?? false,
            Named<bool?>(a, "ValueFromPipelineByPropertyName") ?? false)).ToArray();
        var aliases = attributes.Where(a => a.AttributeType.FullName == Sma + "AliasAttribute")
            .SelectMany(a => a.ConstructorArguments.SelectMany(Values)).Select(v => (string)v!).ToArray();
        var validateSet = attributes.Where(a => a.AttributeType.FullName == Sma + "ValidateSetAttribute")
            .SelectMany(a => a.ConstructorArguments.SelectMany(Values)).Select(v => (string)v!).ToArray();
        var valueType = Underlying(property.PropertyType);
        var acceptedValues = validateSet.Length > 0
            ? validateSet
            : valueType.IsEnum ? valueType.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name).ToArray() : Array.Empty<string>();

        return new ParameterModel(
            property.Name,
            ShortName(property.PropertyType),
            FullName(property.PropertyType),
            property.PropertyType.FullName == Sma + "SwitchParameter",
            aliases,
            acceptedValues,
            attributes.Any(a => a.AttributeType.FullName == Sma + "SupportsWildcardsAttribute"),
            sets);
    }

    private static ParameterModel RiskMitigation(string name, string alias) => new(
        name,
        "SwitchParameter",
        Sma + "SwitchParameter",
        true,
        new[] { alias },
        Array.Empty<string>(),
        false,
        new[] { new SetEntry(SetEntry.AllSets, false, null, false, false) })
    {
        IsRiskMitigation = true,
    };

    private static CustomAttributeData? Attribute(IEnumerable<CustomAttributeData> attributes, string name) =>
        attributes.FirstOrDefault(a => a.AttributeType.FullName == Sma + name);

    private static T? Named<T>(CustomAttributeData attribute, string name)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.MemberName == name)
            {
                var value = argument.TypedValue.Value;
                // Enums (ConfirmImpact) come as their underlying value.
                return value is null ? default : (T)value;
            }
        }

        return default;
    }

    private static IEnumerable<object?> Values(CustomAttributeTypedArgument argument) =>
        argument.Value is ReadOnlyCollection<CustomAttributeTypedArgument> items ? items.Select(i => i.Value) : new[] { argument.Value };

    private static Type Underlying(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? type.GetGenericArguments()[0] : type;

    /// <summary>How help shows a type: String, String[], Hashtable (a nullable value shows as its value type).</summary>
    public static string ShortName(Type type)
    {
        type = Underlying(type);
        return type.IsArray ? ShortName(type.GetElementType()!) + "[]" : type.Name;
    }

    public static string FullName(Type type)
    {
        type = Underlying(type);
        return type.IsArray ? FullName(type.GetElementType()!) + "[]" : type.FullName ?? type.Name;
    }
}
