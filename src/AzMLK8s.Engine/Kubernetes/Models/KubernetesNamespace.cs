using System.Text.Json;

namespace AzMLK8s.Engine.Kubernetes.Models;

public sealed class KubernetesNamespace : KubernetesResource
{
    private KubernetesNamespace(KubernetesObjectMetadata metadata, string? phase)
        : base(metadata)
    {
        Phase = phase;
    }

    /// <summary>"Active" or "Terminating".</summary>
    public string? Phase { get; }

    internal static KubernetesNamespace FromJson(JsonElement item) =>
        new(KubernetesObjectMetadata.FromJson(item), item.String("status", "phase"));
}
