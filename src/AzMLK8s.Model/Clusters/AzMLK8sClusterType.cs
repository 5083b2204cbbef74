namespace AzMLK8s.Model.Clusters;

/// <summary>The two kinds of cluster the AzureML extension runs on.</summary>
public enum AzMLK8sClusterType
{
    /// <summary>Azure Kubernetes Service: Microsoft.ContainerService/managedClusters.</summary>
    Aks,

    /// <summary>Azure Arc-enabled Kubernetes: Microsoft.Kubernetes/connectedClusters.</summary>
    Arc,
}
