namespace AzMLK8s.Engine.Kubernetes;

/// <summary>Tuning for <see cref="KubernetesClient"/>.</summary>
public sealed class KubernetesClientOptions
{
    /// <summary>How long one API request may take before it fails with <see cref="KubernetesErrorIds.RequestTimeout"/>.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an exec credential plugin (kubelogin...) may run.</summary>
    public TimeSpan ExecPluginTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Attempts of one request, the first included, when the API server answers with a transient failure.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first back-off delay when the server names none (it doubles per retry, with jitter).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between attempts, a longer Retry-After included.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Tests: a handler between the module's transport rules and the socket.</summary>
    internal DelegatingHandler? WireHandler { get; set; }
}
