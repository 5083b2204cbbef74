using System.Text.Json;

namespace AzMLK8s.Engine.Kubernetes.Models;

/// <summary>The metadata every Kubernetes object has.</summary>
public sealed class KubernetesObjectMetadata
{
    public required string Name { get; init; }

    /// <summary>Null for cluster-scoped objects (nodes, namespaces, SCCs).</summary>
    public string? Namespace { get; init; }

    public string? Uid { get; init; }

    public string? ResourceVersion { get; init; }

    public DateTimeOffset? CreationTimestamp { get; init; }

    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    public required IReadOnlyDictionary<string, string> Annotations { get; init; }

    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";

    internal static KubernetesObjectMetadata FromJson(JsonElement item) => new()
    {
        Name = item.String("metadata", "name") ?? string.Empty,
        Namespace = item.String("metadata", "namespace"),
        Uid = item.String("metadata", "uid"),
        ResourceVersion = item.String("metadata", "resourceVersion"),
        CreationTimestamp = item.Time("metadata", "creationTimestamp"),
        Labels = item.StringMap("metadata", "labels"),
        Annotations = item.StringMap("metadata", "annotations"),
    };
}
