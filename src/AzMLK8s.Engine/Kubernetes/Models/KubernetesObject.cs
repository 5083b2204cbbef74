using System.Text.Json;

namespace AzMLK8s.Engine.Kubernetes.Models;

/// <summary>Any object (custom resources): its identity plus the whole JSON document.</summary>
public sealed class KubernetesObject : KubernetesResource
{
    private KubernetesObject(KubernetesObjectMetadata metadata, string apiVersion, string kind, JsonElement content)
        : base(metadata)
    {
        ApiVersion = apiVersion;
        Kind = kind;
        Content = content;
    }

    public string ApiVersion { get; }

    public string Kind { get; }

    /// <summary>The object as the API server returned it (spec, status...).</summary>
    public JsonElement Content { get; }

    internal static KubernetesObject FromJson(JsonElement item) => new(
        KubernetesObjectMetadata.FromJson(item),
        item.String("apiVersion") ?? string.Empty,
        item.String("kind") ?? string.Empty,
        item.Clone());
}
