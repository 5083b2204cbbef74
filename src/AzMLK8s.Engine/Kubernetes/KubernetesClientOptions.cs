namespace AzMLK8s.Engine.Kubernetes;

/// <summary>Tuning for <see cref="KubernetesClient"/>.</summary>
public sealed class KubernetesClientOptions
{
    /// <summary>How long one API request may take before it fails with <see cref="KubernetesErrorIds.RequestTimeout"/>.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an exec credential plugin (kubelogin...) may run.</summary>
    public TimeSpan ExecPluginTimeout { get; set; } = TimeSpan.FromMinutes(1);
}
