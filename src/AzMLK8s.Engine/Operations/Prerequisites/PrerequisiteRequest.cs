using AzMLK8s.Engine.Operations.Common;

namespace AzMLK8s.Engine.Operations.Prerequisites;

/// <summary>What Test-AzMLK8sPrerequisite checks: a cluster, and optionally a workspace, a compute namespace and the scenario.</summary>
public sealed record PrerequisiteRequest(ClusterReference Cluster)
{
    public WorkspaceReference? Workspace { get; init; }

    /// <summary>The Kubernetes namespace the compute will use; null skips the namespace check.</summary>
    public string? ComputeNamespace { get; init; }

    /// <summary>The AzureML extension's name (it appears in service account names).</summary>
    public string ExtensionName { get; init; } = "azureml";

    /// <summary>Inference is planned: fewer than three nodes then fails unless the router is not HA.</summary>
    public bool EnableInference { get; init; }

    /// <summary>inferenceRouterHA: three azureml-fe replicas on three different nodes.</summary>
    public bool InferenceRouterHA { get; init; } = true;

    /// <summary>The extension's nodeSelector: only nodes with all these labels count.</summary>
    public IReadOnlyDictionary<string, string> NodeSelector { get; init; } = new Dictionary<string, string>();

    /// <summary>The workspace reaches the AKS cluster through trusted access.</summary>
    public bool TrustedAccess { get; init; }

    public KubernetesAccessOptions? Access { get; init; }

    /// <summary>The -ClusterResourceId argument every fixing command repeats.</summary>
    public string ClusterArgument => $"-ClusterResourceId '{Cluster.ResourceId}'";
}
