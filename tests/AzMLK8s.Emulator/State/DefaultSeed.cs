using AzMLK8s.Emulator.Kubernetes;

namespace AzMLK8s.Emulator.State;

/// <summary>The default world the README's walk-through and most tests start from.</summary>
public static class DefaultSeed
{
    public static void Apply(EmulatorState state)
    {
        const string sub = EmulatorState.DefaultSubscriptionId;
        const string rg = EmulatorState.DefaultResourceGroup;

        AddCluster(state, new EmulatedCluster(sub, rg, "aks-demo", ClusterKind.Managed, nodeCount: 3));
        AddCluster(state, new EmulatedCluster(sub, rg, "arc-demo", ClusterKind.Connected, nodeCount: 2) { Distribution = "k3s" });
        AddCluster(state, new EmulatedCluster(sub, rg, "arc-ocp", ClusterKind.Connected, nodeCount: 3) { Distribution = "openshift" });
        ArmSeed.Apply(state);
    }

    private static void AddCluster(EmulatorState state, EmulatedCluster cluster)
    {
        cluster.Kubernetes.EnsureNamespace("team-a");
        SeedKubernetes(cluster);
        state.AddCluster(cluster);
    }

    /// <summary>The Kubernetes side: distribution-typical nodes, system workloads, Arc agents, OpenShift SCCs.</summary>
    private static void SeedKubernetes(EmulatedCluster cluster) => KubernetesClusterSeed.Apply(cluster);
}
