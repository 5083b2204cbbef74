using AzMLK8s.Model.Clusters;

namespace AzMLK8s.Model.Extensions;

/// <summary>
/// A Microsoft.AzureML.Kubernetes extension on a cluster, as New-, Get- and Update-AzMLK8sExtension emit it.
/// Protected settings appear only as key names. Binds by value to the cmdlets that act on an extension (-InputObject),
/// and by property name (ClusterResourceId) to those that take a cluster.
/// </summary>
public sealed class AzMLK8sExtension : IAzMLK8sExtensionReference
{
    public required string Name { get; init; }

    /// <summary>The extension's ARM resource id.</summary>
    public required string ResourceId { get; init; }

    public required string ClusterResourceId { get; init; }

    public required string ClusterName { get; init; }

    public required AzMLK8sClusterType ClusterType { get; init; }

    public required string ResourceGroupName { get; init; }

    public required string SubscriptionId { get; init; }

    public string ExtensionType { get; init; } = "Microsoft.AzureML.Kubernetes";

    /// <summary>Creating, Updating, Succeeded, Failed, Deleting, Canceled.</summary>
    public string? ProvisioningState { get; init; }

    public string? Version { get; init; }

    public string? ReleaseTrain { get; init; }

    public bool AutoUpgradeMinorVersion { get; init; }

    public string? ReleaseNamespace { get; init; }

    public bool TrainingEnabled { get; init; }

    public bool InferenceEnabled { get; init; }

    /// <summary>Public configuration settings exactly as the service holds them.</summary>
    public IReadOnlyDictionary<string, string> ConfigurationSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>Names of the protected settings; their values are never read back or shown.</summary>
    public IReadOnlyList<string> ProtectedSettingKeys { get; init; } = Array.Empty<string>();

    /// <summary>The principal id of the extension's system-assigned identity (Arc), if any.</summary>
    public string? IdentityPrincipalId { get; init; }

    /// <summary>Messages the extension reported (statuses), newest state first.</summary>
    public IReadOnlyList<string> Statuses { get; init; } = Array.Empty<string>();

    /// <summary>The service's error code and message when ProvisioningState is Failed.</summary>
    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }
}
