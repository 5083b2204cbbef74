using System.Collections;
using AzMLK8s.Engine.Operations.Common;

namespace AzMLK8s.Engine.Operations.Computes;

/// <summary>What Connect-AzMLK8sCompute was asked for, before any check: the raw parameter values.</summary>
public sealed record ComputeAttachInput
{
    public required WorkspaceReference Workspace { get; init; }

    public required string Name { get; init; }

    public required string ClusterResourceId { get; init; }

    public string Namespace { get; init; } = "default";

    /// <summary>None, SystemAssigned or UserAssigned; null: UserAssigned when an identity is given, else SystemAssigned.</summary>
    public string? IdentityType { get; init; }

    public IReadOnlyList<string> UserAssignedIdentities { get; init; } = Array.Empty<string>();

    public string? DefaultInstanceType { get; init; }

    /// <summary>Name -> { nodeSelector = {...}; resources = { requests = {...}; limits = {...} } } as nested dictionaries.</summary>
    public IDictionary? InstanceTypes { get; init; }

    public string? Description { get; init; }

    public bool CreateNamespace { get; init; }

    public bool Force { get; init; }

    public bool NoWait { get; init; }

    public KubernetesAccessOptions? KubernetesAccess { get; init; }
}
