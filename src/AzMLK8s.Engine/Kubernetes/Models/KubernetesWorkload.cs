using System.Text.Json;

namespace AzMLK8s.Engine.Kubernetes.Models;

public enum KubernetesWorkloadKind
{
    Deployment,
    DaemonSet,
    StatefulSet,
}

/// <summary>A Deployment, DaemonSet or StatefulSet, reduced to what readiness checks need.</summary>
public sealed class KubernetesWorkload : KubernetesResource
{
    private KubernetesWorkload(KubernetesObjectMetadata metadata, KubernetesWorkloadKind kind)
        : base(metadata)
    {
        Kind = kind;
    }

    public KubernetesWorkloadKind Kind { get; }

    /// <summary>Replicas wanted (for a DaemonSet: the number of nodes it should run on).</summary>
    public int DesiredReplicas { get; init; }

    public int ReadyReplicas { get; init; }

    public int AvailableReplicas { get; init; }

    public int UpdatedReplicas { get; init; }

    public bool IsReady => ReadyReplicas >= DesiredReplicas;

    internal static KubernetesWorkload FromJson(JsonElement item, KubernetesWorkloadKind kind)
    {
        var metadata = KubernetesObjectMetadata.FromJson(item);
        return kind == KubernetesWorkloadKind.DaemonSet
            ? new KubernetesWorkload(metadata, kind)
            {
                DesiredReplicas = item.Int("status", "desiredNumberScheduled"),
                ReadyReplicas = item.Int("status", "numberReady"),
                AvailableReplicas = item.Int("status", "numberAvailable"),
                UpdatedReplicas = item.Int("status", "updatedNumberScheduled"),
            }
            : new KubernetesWorkload(metadata, kind)
            {
                // spec.replicas defaults to 1 when absent.
                DesiredReplicas = item.NullableInt("spec", "replicas") ?? 1,
                ReadyReplicas = item.Int("status", "readyReplicas"),
                AvailableReplicas = item.Int("status", "availableReplicas"),
                UpdatedReplicas = item.Int("status", "updatedReplicas"),
            };
    }
}
