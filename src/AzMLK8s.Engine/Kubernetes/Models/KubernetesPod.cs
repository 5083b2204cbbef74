using System.Text.Json;

namespace AzMLK8s.Engine.Kubernetes.Models;

public sealed class KubernetesPod : KubernetesResource
{
    private KubernetesPod(KubernetesObjectMetadata metadata)
        : base(metadata)
    {
    }

    /// <summary>Pending, Running, Succeeded, Failed or Unknown.</summary>
    public string? Phase { get; init; }

    public string? NodeName { get; init; }

    public required IReadOnlyList<KubernetesCondition> Conditions { get; init; }

    /// <summary>Sum of the containers' restart counts.</summary>
    public int RestartCount { get; init; }

    /// <summary>The first reason a container is waiting, e.g. "CrashLoopBackOff" or "ImagePullBackOff".</summary>
    public string? WaitingReason { get; init; }

    public bool IsReady => Conditions.Any(c => c.Type == "Ready" && c.IsTrue);

    internal static KubernetesPod FromJson(JsonElement item)
    {
        var containers = item.Array("status", "containerStatuses");
        return new KubernetesPod(KubernetesObjectMetadata.FromJson(item))
        {
            Phase = item.String("status", "phase"),
            NodeName = item.String("spec", "nodeName"),
            Conditions = item.Array("status", "conditions").Select(KubernetesNode.ReadCondition).ToArray(),
            RestartCount = containers.Sum(c => c.Int("restartCount")),
            WaitingReason = containers.Select(c => c.String("state", "waiting", "reason")).FirstOrDefault(r => r is not null),
        };
    }
}
