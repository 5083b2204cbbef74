namespace AzMLK8s.Engine.Kubernetes.Models;

/// <summary>Base of the typed Kubernetes objects the client returns.</summary>
public abstract class KubernetesResource
{
    private protected KubernetesResource(KubernetesObjectMetadata metadata)
    {
        Metadata = metadata;
    }

    public KubernetesObjectMetadata Metadata { get; }

    public string Name => Metadata.Name;

    public string? Namespace => Metadata.Namespace;

    public IReadOnlyDictionary<string, string> Labels => Metadata.Labels;

    public override string ToString() => Metadata.ToString();
}
