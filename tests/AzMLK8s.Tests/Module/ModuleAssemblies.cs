using System.Reflection;
using AzMLK8s.Cmdlets;

namespace AzMLK8s.Tests.Module;

/// <summary>The module's assemblies as the tests see them, and what they declare.</summary>
internal static class ModuleAssemblies
{
    public static Assembly Cmdlets => typeof(AzMLK8sCmdlet).Assembly;

    public static Assembly Model => typeof(AzMLK8s.Model.Host.ICmdletHost).Assembly;

    public static IReadOnlyList<CmdletDeclaration> AllCmdlets => CmdletDeclaration.All(Cmdlets);

    /// <summary>Every type named in an [OutputType] of a cmdlet in AzMLK8s.dll.</summary>
    public static IReadOnlyList<Type> OutputTypes =>
        AllCmdlets.SelectMany(c => c.OutputTypes).Distinct().OrderBy(t => t.FullName, StringComparer.Ordinal).ToArray();
}
