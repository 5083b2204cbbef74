using System.Reflection;
using AzMLK8s.Cmdlets;

namespace AzMLK8s.Tests.Loading;

/// <summary>
/// PowerShell enumerates the types of AzMLK8s.dll before the module initializer routes AzMLK8s.Engine to its load
/// context. A type whose layout needs an engine or Azure type at that point cannot load, and the import fails. The
/// usual culprit is an async method in a cmdlet awaiting a Task of an engine type: its compiler-made state machine
/// is a struct with a TaskAwaiter&lt;EngineType&gt; field. Cmdlets therefore await only tasks of Model types.
/// </summary>
public sealed class EngineTypeBoundaryTests
{
    private static readonly string[] IsolatedAssemblyPrefixes = { "AzMLK8s.Engine", "Azure.", "Microsoft.Identity", "KubernetesClient", "YamlDotNet", "Fractions" };

    [Fact]
    public void No_value_type_field_in_the_cmdlet_assembly_needs_an_engine_or_Azure_type_to_be_laid_out()
    {
        var offenders = typeof(AzMLK8sCmdlet).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Where(f => f.FieldType.IsValueType && NeedsIsolatedAssembly(f.FieldType))
                .Select(f => $"{t.FullName}.{f.Name}: {f.FieldType}"))
            .ToArray();

        Assert.True(offenders.Length == 0, "Fields that would break the module import:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_check_recognises_an_awaiter_of_an_engine_type()
    {
        var awaiter = typeof(System.Runtime.CompilerServices.TaskAwaiter<>).MakeGenericType(typeof(AzMLK8s.Engine.Diagnostics.EngineInfo));

        Assert.True(NeedsIsolatedAssembly(awaiter));
        Assert.False(NeedsIsolatedAssembly(typeof(System.Runtime.CompilerServices.TaskAwaiter<AzMLK8s.Model.ModuleError>)));
    }

    private static bool NeedsIsolatedAssembly(Type type) =>
        IsolatedAssemblyPrefixes.Any(p => type.Assembly.GetName().Name!.StartsWith(p, StringComparison.Ordinal))
        || (type.IsGenericType && type.GetGenericArguments().Any(NeedsIsolatedAssembly))
        || (type.IsArray && NeedsIsolatedAssembly(type.GetElementType()!));
}
