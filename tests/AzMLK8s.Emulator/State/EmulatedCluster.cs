namespace AzMLK8s.Emulator.State;

public enum ClusterKind
{
    /// <summary>AKS: Microsoft.ContainerService/managedClusters.</summary>
    Managed,

    /// <summary>Azure Arc: Microsoft.Kubernetes/connectedClusters.</summary>
    Connected,
}

/// <summary>One cluster: its ARM resource facts and its Kubernetes API state.</summary>
public sealed class EmulatedCluster
{
    public EmulatedCluster(string subscriptionId, string resourceGroup, string name, ClusterKind kind, int nodeCount)
    {
        SubscriptionId = subscriptionId;
        ResourceGroup = resourceGroup;
        Name = name;
        Kind = kind;
        Kubernetes = new KubernetesCluster(nodeCount);
    }

    public string SubscriptionId { get; }

    public string ResourceGroup { get; }

    public string Name { get; }

    public ClusterKind Kind { get; }

    public string Location { get; init; } = EmulatorState.DefaultLocation;

    /// <summary>Arc's reported distribution: "aks", "openshift", "k3s", ...</summary>
    public string Distribution { get; init; } = "aks";

    public string KubernetesVersion { get; init; } = "1.30.4";

    /// <summary>AKS: local accounts disabled, so Azure ML reaches the cluster through trusted access.</summary>
    public bool DisableLocalAccounts { get; set; }

    public string Provider => Kind == ClusterKind.Managed ? "Microsoft.ContainerService" : "Microsoft.Kubernetes";

    public string ResourceType => Kind == ClusterKind.Managed ? "managedClusters" : "connectedClusters";

    public string ResourceId =>
        $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}/providers/{Provider}/{ResourceType}/{Name}";

    /// <summary>The path under the emulator's address where this cluster's Kubernetes API is served.</summary>
    public string KubernetesApiPath => $"/k8s/{SubscriptionId}/{ResourceGroup}/{Name}";

    public KubernetesCluster Kubernetes { get; }
}
