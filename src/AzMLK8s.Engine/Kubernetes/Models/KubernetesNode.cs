using System.Text.Json;

namespace AzMLK8s.Engine.Kubernetes.Models;

public sealed record KubernetesTaint(string Key, string? Value, string Effect)
{
    /// <summary>True for NoSchedule and NoExecute: pods without a toleration are not placed on the node.</summary>
    public bool RepelsPods => Effect is "NoSchedule" or "NoExecute";

    public override string ToString() => Value is null ? $"{Key}:{Effect}" : $"{Key}={Value}:{Effect}";
}

public sealed record KubernetesCondition(string Type, string Status, string? Reason, string? Message)
{
    public bool IsTrue => Status == "True";
}

public sealed class KubernetesNode : KubernetesResource
{
    private KubernetesNode(KubernetesObjectMetadata metadata)
        : base(metadata)
    {
    }

    public required IReadOnlyList<KubernetesTaint> Taints { get; init; }

    /// <summary>spec.unschedulable (cordoned).</summary>
    public bool Unschedulable { get; init; }

    public required IReadOnlyDictionary<string, string> Capacity { get; init; }

    /// <summary>What pods may use: "cpu" (e.g. "3860m"), "memory" ("12858288Ki"), "pods", "nvidia.com/gpu"...</summary>
    public required IReadOnlyDictionary<string, string> Allocatable { get; init; }

    public required IReadOnlyList<KubernetesCondition> Conditions { get; init; }

    public string? KubeletVersion { get; init; }

    /// <summary>The kubernetes.io/os label (or status.nodeInfo.operatingSystem): "linux", "windows".</summary>
    public string? OperatingSystem { get; init; }

    public string? Architecture { get; init; }

    /// <summary>The node.kubernetes.io/instance-type label, e.g. "Standard_D4s_v3".</summary>
    public string? InstanceType => Labels.TryGetValue("node.kubernetes.io/instance-type", out var type) ? type : null;

    public bool IsReady => Conditions.Any(c => c.Type == "Ready" && c.IsTrue);

    /// <summary>Ready, not cordoned and without a NoSchedule/NoExecute taint: ordinary pods can land here.</summary>
    public bool IsSchedulable => IsReady && !Unschedulable && !Taints.Any(t => t.RepelsPods);

    internal static KubernetesNode FromJson(JsonElement item)
    {
        var metadata = KubernetesObjectMetadata.FromJson(item);
        return new KubernetesNode(metadata)
        {
            Taints = item.Array("spec", "taints")
                .Select(t => new KubernetesTaint(t.String("key") ?? string.Empty, t.String("value"), t.String("effect") ?? string.Empty))
                .ToArray(),
            Unschedulable = item.Bool("spec", "unschedulable"),
            Capacity = item.StringMap("status", "capacity"),
            Allocatable = item.StringMap("status", "allocatable"),
            Conditions = item.Array("status", "conditions").Select(ReadCondition).ToArray(),
            KubeletVersion = item.String("status", "nodeInfo", "kubeletVersion"),
            OperatingSystem = metadata.Labels.TryGetValue("kubernetes.io/os", out var os) ? os : item.String("status", "nodeInfo", "operatingSystem"),
            Architecture = metadata.Labels.TryGetValue("kubernetes.io/arch", out var arch) ? arch : item.String("status", "nodeInfo", "architecture"),
        };
    }

    internal static KubernetesCondition ReadCondition(JsonElement condition) =>
        new(condition.String("type") ?? string.Empty, condition.String("status") ?? "Unknown", condition.String("reason"), condition.String("message"));
}
