namespace AzMLK8s.Engine.Settings;

/// <summary>The two kinds of cluster the extension is installed on.</summary>
public enum ClusterKind
{
    /// <summary>AKS: Microsoft.ContainerService/managedClusters.</summary>
    Aks,

    /// <summary>Azure Arc-enabled Kubernetes: Microsoft.Kubernetes/connectedClusters.</summary>
    Arc,
}

/// <summary>
/// What the settings engine needs to know about the target cluster, read from its ARM resource by the caller.
/// </summary>
/// <param name="ResourceId">The cluster's ARM resource id.</param>
/// <param name="Kind">AKS or Arc.</param>
/// <param name="Name">The cluster's name.</param>
/// <param name="Location">The cluster's Azure region (e.g. "eastus").</param>
public sealed record ClusterFacts(string ResourceId, ClusterKind Kind, string Name, string Location)
{
    /// <summary>
    /// Nodes in the cluster: Arc totalNodeCount, or the sum of the AKS agent pools' counts. Null when unknown
    /// (then no small-cluster defaults are applied).
    /// </summary>
    public int? NodeCount { get; init; }

    /// <summary>Arc properties.distribution (e.g. "openshift", "k3s"); null for AKS.</summary>
    public string? Distribution { get; init; }

    /// <summary>
    /// The DNS zone Azure uses for public IP labels in the cluster's cloud: "cloudapp.azure.com" in Azure public
    /// cloud, "cloudapp.usgovcloudapi.net" in US Government, "cloudapp.chinacloudapi.cn" in China.
    /// </summary>
    public string CloudAppDnsZone { get; init; } = "cloudapp.azure.com";

    public bool IsOpenShift => string.Equals(Distribution?.Trim(), "openshift", StringComparison.OrdinalIgnoreCase);

    /// <summary>The region in ARM's short form: lower case without spaces ("East US" -> "eastus").</summary>
    public string NormalizedLocation => Location.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
}
