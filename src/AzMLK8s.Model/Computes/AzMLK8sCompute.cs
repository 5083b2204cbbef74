namespace AzMLK8s.Model.Computes;

/// <summary>
/// A Kubernetes compute of an Azure ML workspace (an attached cluster), as Connect- and Get-AzMLK8sCompute emit
/// it. Binds to Grant-/Revoke-AzMLComputeRole and Disconnect-AzMLK8sCompute.
/// </summary>
public sealed class AzMLK8sCompute
{
    /// <summary>The compute's name in the workspace.</summary>
    public required string Name { get; init; }

    /// <summary>The compute's ARM resource id.</summary>
    public required string ResourceId { get; init; }

    public required string WorkspaceName { get; init; }

    public required string WorkspaceResourceId { get; init; }

    public required string ResourceGroupName { get; init; }

    public required string SubscriptionId { get; init; }

    public string? Location { get; init; }

    /// <summary>The attached AKS or Arc cluster.</summary>
    public string? ClusterResourceId { get; init; }

    /// <summary>The Kubernetes namespace the workspace's jobs and endpoints run in.</summary>
    public string? Namespace { get; init; }

    /// <summary>Creating, Succeeded, Failed, Deleting...</summary>
    public string? ProvisioningState { get; init; }

    /// <summary>None, SystemAssigned or UserAssigned.</summary>
    public string IdentityType { get; init; } = "None";

    /// <summary>The system-assigned identity's principal id.</summary>
    public string? PrincipalId { get; init; }

    /// <summary>Resource id -> principal id of each user-assigned identity.</summary>
    public IReadOnlyDictionary<string, string> UserAssignedIdentities { get; init; } = new Dictionary<string, string>();

    public string? DefaultInstanceType { get; init; }

    public IReadOnlyList<string> InstanceTypes { get; init; } = Array.Empty<string>();

    public string? Description { get; init; }

    /// <summary>Errors the service reported while provisioning, as "code: message".</summary>
    public IReadOnlyList<string> ProvisioningErrors { get; init; } = Array.Empty<string>();
}
