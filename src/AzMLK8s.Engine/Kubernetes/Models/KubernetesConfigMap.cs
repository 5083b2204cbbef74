using System.Text.Json;

namespace AzMLK8s.Engine.Kubernetes.Models;

public sealed class KubernetesConfigMap : KubernetesResource
{
    private KubernetesConfigMap(KubernetesObjectMetadata metadata, IReadOnlyDictionary<string, string> data)
        : base(metadata)
    {
        Data = data;
    }

    public IReadOnlyDictionary<string, string> Data { get; }

    internal static KubernetesConfigMap FromJson(JsonElement item) =>
        new(KubernetesObjectMetadata.FromJson(item), item.StringMap("data"));
}
