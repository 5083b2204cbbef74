using System.Security.Cryptography.X509Certificates;

namespace AzMLK8s.Engine.Kubernetes.Authentication;

/// <summary>What a request presents to the API server: a bearer token, a client certificate, or both.</summary>
internal sealed record KubernetesAuthentication(string? BearerToken, X509Certificate2? ClientCertificate)
{
    public static KubernetesAuthentication None { get; } = new(null, null);
}

/// <summary>A source of credentials for one kubeconfig user. Implementations cache what they obtained.</summary>
internal abstract class KubernetesCredential : IDisposable
{
    /// <summary>The credentials for the next request (obtained or refreshed when needed).</summary>
    public abstract ValueTask<KubernetesAuthentication> GetAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Forgets cached credentials after the server answered 401. Returns true when asking again may give different
    /// credentials (so one retry makes sense), false for fixed credentials.
    /// </summary>
    public virtual bool Invalidate() => false;

    /// <summary>The client certificate the last <see cref="GetAsync"/> returned, for the TLS handshake.</summary>
    public X509Certificate2? CurrentClientCertificate { get; protected set; }

    public virtual void Dispose() => CurrentClientCertificate?.Dispose();
}
