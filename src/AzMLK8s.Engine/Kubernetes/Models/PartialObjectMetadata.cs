using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AzMLK8s.Engine.Kubernetes.Models;

/// <summary>
/// A meta.k8s.io/v1 PartialObjectMetadata: an object's metadata without its spec and status, as the API server sends
/// it for an Accept of "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1" (client-go's metadata
/// client). The library has no model for it. The full object reads into it too (a server that answers plain JSON).
/// </summary>
public sealed class PartialObjectMetadata : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "meta.k8s.io/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "PartialObjectMetadata";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();
}
