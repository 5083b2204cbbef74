using System.Management.Automation;
using AzMLK8s.Cmdlets;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Metadata;

/// <summary>The cmdlets AzMLK8s.dll exports, read from attribute metadata, and the rules they share.</summary>
public static class ModuleCmdlets
{
    public static IReadOnlyList<CmdletDeclaration> All { get; } = CmdletDeclaration.All(typeof(AzMLK8sCmdlet).Assembly);

    /// <summary>Verbs whose cmdlets only read: everything else changes something and needs -WhatIf/-Confirm.</summary>
    public static readonly IReadOnlySet<string> ReadOnlyVerbs = new HashSet<string>(StringComparer.Ordinal)
    {
        VerbsCommon.Get, VerbsDiagnostic.Test, VerbsCommon.Find, VerbsCommon.Search, VerbsData.Export, VerbsCommon.Show,
        VerbsDiagnostic.Resolve, VerbsDiagnostic.Measure, VerbsData.Compare, VerbsLifecycle.Wait,
    };

    /// <summary>
    /// Cmdlets that change only the caller's session, never Azure or a cluster, and so have no -WhatIf, like
    /// Set-Location. Each entry says why.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> SessionOnlyCmdlets = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Set-AzMLK8sContext"] = "chooses the cloud, subscription and sign-in for later commands in this session only",
    };

    /// <summary>Verbs that take something away; these ask for confirmation by default (ConfirmImpact High).</summary>
    public static readonly IReadOnlySet<string> DestructiveVerbs = new HashSet<string>(StringComparer.Ordinal)
    {
        VerbsCommon.Remove, VerbsLifecycle.Uninstall, VerbsCommon.Clear,
    };

    /// <summary>
    /// The pipelines the README, the about help and the examples promise. A chain is checked as soon as both
    /// cmdlets exist, so it cannot be documented without working.
    /// </summary>
    public static readonly IReadOnlyList<(string From, string To)> DocumentedChains = new[]
    {
        ("Get-AzMLK8sExtension", "Update-AzMLK8sExtension"),
        ("Get-AzMLK8sExtension", "Remove-AzMLK8sExtension"),
        ("Get-AzMLK8sExtension", "Test-AzMLK8sExtension"),
        ("Get-AzMLK8sExtension", "Connect-AzMLK8sCompute"),
        ("Get-AzMLK8sExtension", "Get-AzMLK8sCompute"),
        ("Get-AzMLK8sCompute", "Connect-AzMLK8sCompute"),
        ("New-AzMLK8sExtension", "Connect-AzMLK8sCompute"),
        ("Connect-AzMLK8sCompute", "Grant-AzMLComputeRole"),
        ("Get-AzMLK8sCompute", "Grant-AzMLComputeRole"),
        ("Get-AzMLK8sCompute", "Revoke-AzMLComputeRole"),
        ("Get-AzMLK8sCompute", "Disconnect-AzMLK8sCompute"),
        ("Grant-AzMLComputeRole", "Revoke-AzMLComputeRole"),
        ("Get-AzMLK8sExtension", "Test-AzMLK8sPrerequisite"),
        ("Get-AzMLK8sExtension", "Register-AzMLK8sPrerequisite"),
        ("Get-AzMLK8sExtension", "Grant-AzMLWorkspaceIdentityRole"),
        ("Get-AzMLK8sExtension", "Grant-AzMLK8sOpenShiftAccess"),
        ("Get-AzMLK8sCompute", "Test-AzMLK8sPrerequisite"),
    };

    public static IReadOnlySet<string> ApprovedVerbs { get; } = typeof(VerbsCommon).Assembly.GetTypes()
        .Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal) && t.IsAbstract && t.IsSealed)
        .SelectMany(t => t.GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!))
        .ToHashSet(StringComparer.Ordinal);

    public static CmdletDeclaration? Find(string name) => All.FirstOrDefault(c => c.Name == name);
}
