using System.Collections;
using AzMLK8s.Model.Clusters;

namespace AzMLK8s.Engine.Operations.Extensions;

/// <summary>Which extension a cmdlet call means: an extension resource id, or a cluster (id or name) and a name.</summary>
public sealed record ExtensionTarget
{
    public string? ResourceId { get; init; }

    public string? ClusterResourceId { get; init; }

    public string? ClusterName { get; init; }

    public string? ResourceGroupName { get; init; }

    public AzMLK8sClusterType ClusterType { get; init; }

    /// <summary>Null: every AzureML extension (Get only).</summary>
    public string? Name { get; init; }
}

/// <summary>What every extension command gets besides its own parameters.</summary>
public sealed record ExtensionCommandContext
{
    /// <summary>Where relative PEM paths are resolved from.</summary>
    public string? BaseDirectory { get; init; }
}

/// <summary>What New-AzMLK8sExtension asks for, and what Update-AzMLK8sExtension asks to change.</summary>
public sealed record ExtensionChangeInput
{
    public required ExtensionTarget Target { get; init; }

    public required ExtensionScenarioParameters Scenario { get; init; }

    public string? Version { get; init; }

    public bool? AutoUpgradeMinorVersion { get; init; }

    public string? ReleaseTrain { get; init; }

    public string? ReleaseNamespace { get; init; }

    public bool AllowUnknownSetting { get; init; }

    public bool NoWait { get; init; }
}

/// <summary>Update-AzMLK8sExtension's parameters: the change and the switches only an update has.</summary>
public sealed record UpdateExtensionInput
{
    public required ExtensionChangeInput Change { get; init; }

    public bool ReplaceProtectedSetting { get; init; }

    public bool ForceImmutableSetting { get; init; }

    public bool Force { get; init; }

    public string? KubeconfigPath { get; init; }

    public string? KubeContext { get; init; }
}

/// <summary>Remove-AzMLK8sExtension's parameters.</summary>
public sealed record RemoveExtensionInput
{
    public required ExtensionTarget Target { get; init; }

    public bool Force { get; init; }

    public bool NoWait { get; init; }

    public bool PassThru { get; init; }
}

/// <summary>Test-AzMLK8sExtension's parameters.</summary>
public sealed record TestExtensionInput
{
    public required ExtensionTarget Target { get; init; }

    public string? KubeconfigPath { get; init; }

    public string? KubeContext { get; init; }

    public bool Wait { get; init; }

    public int TimeoutSeconds { get; init; } = 600;

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);
}

internal static class HashtableExtensions
{
    public static Hashtable? NullIfEmpty(this Hashtable table) => table.Count == 0 ? null : table;
}
