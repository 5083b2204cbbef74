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

    /// <param name="apiVersion">Used when the item does not say (list items usually do not).</param>
    internal static KubernetesObject FromJson(JsonElement item, string apiVersion, string kind) => new(
        KubernetesObjectMetadata.FromJson(item),
        item.String("apiVersion") ?? apiVersion,
        item.String("kind") ?? kind,
        item.Clone());
}
