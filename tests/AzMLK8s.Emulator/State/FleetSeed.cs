using AzMLK8s.Emulator.Kubernetes;

namespace AzMLK8s.Emulator.State;

/// <summary>Many clusters of one kind in the default resource group, for fleet rollouts (tests and benchmarks).</summary>
public static class FleetSeed
{
    /// <summary>Adds <paramref name="count"/> clusters named <c>{prefix}-000</c>… and returns their resource ids.</summary>
    public static IReadOnlyList<string> AddClusters(EmulatorState state, int count, ClusterKind kind = ClusterKind.Managed, string prefix = "fleet", int nodeCount = 2)
    {
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var cluster = new EmulatedCluster(EmulatorState.DefaultSubscriptionId, EmulatorState.DefaultResourceGroup, $"{prefix}-{i:000}", kind, nodeCount)
            {
                Distribution = kind == ClusterKind.Managed ? "aks" : "k3s",
            };
            KubernetesClusterSeed.Apply(cluster);
            state.AddCluster(cluster);
            ids.Add(cluster.ResourceId);
        }

        return ids;
    }

    /// <summary>Adds one cluster of any subscription, resource group and name (the names the Azure CLI derives resources from); returns its id.</summary>
    public static string AddCluster(EmulatorState state, string subscriptionId, string resourceGroup, string name, ClusterKind kind, int nodeCount = 2)
    {
        var cluster = new EmulatedCluster(subscriptionId, resourceGroup, name, kind, nodeCount)
        {
            Distribution = kind == ClusterKind.Managed ? "aks" : "k3s",
        };
        KubernetesClusterSeed.Apply(cluster);
        state.AddCluster(cluster);
        return cluster.ResourceId;
    }
}
