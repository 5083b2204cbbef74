using AzMLK8s.Model.Clusters;

namespace AzMLK8s.Engine.Operations.Prerequisites;

/// <summary>The resource providers and feature flags a subscription needs before the AzureML extension can be deployed.</summary>
public static class ResourceProviderRequirements
{
    public const string ContainerService = "Microsoft.ContainerService";
    public const string ExtensionManagerFeature = "AKS-ExtensionManager";

    /// <summary>Providers for a cluster type; null means both types (every provider either needs).</summary>
    public static IReadOnlyList<string> ProvidersFor(AzMLK8sClusterType? clusterType)
    {
        var providers = new List<string> { "Microsoft.KubernetesConfiguration" };
        if (clusterType is null or AzMLK8sClusterType.Aks)
        {
            providers.Add(ContainerService);
        }

        if (clusterType is null or AzMLK8sClusterType.Arc)
        {
            providers.Add("Microsoft.Kubernetes");
        }

        providers.Add("Microsoft.MachineLearningServices");
        if (clusterType is null or AzMLK8sClusterType.Arc)
        {
            // The Arc extension reaches Azure ML through an Azure Relay namespace it creates.
            providers.Add("Microsoft.Relay");
        }

        return providers;
    }

    /// <summary>Cluster extensions on AKS need the AKS-ExtensionManager feature of Microsoft.ContainerService.</summary>
    public static bool NeedsExtensionManagerFeature(AzMLK8sClusterType? clusterType) => clusterType is null or AzMLK8sClusterType.Aks;

    public static bool IsRegistered(string? state) => string.Equals(state, "Registered", StringComparison.OrdinalIgnoreCase);
}
