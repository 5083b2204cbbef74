using System.Security.Cryptography.X509Certificates;
using AzMLK8s.Engine.Kubernetes.Authentication;

namespace AzMLK8s.Engine.Kubernetes.Kubeconfig;

/// <summary>Everything needed to talk to one API server, resolved from a kubeconfig context.</summary>
internal sealed class KubernetesConnection : IDisposable
{
    public required string ContextName { get; init; }

    public required Uri Server { get; init; }

    /// <summary>The kubeconfig's certificate authority; null means the system's trusted roots.</summary>
    public X509Certificate2Collection? TrustedCertificates { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    public string? TlsServerName { get; init; }

    public Uri? Proxy { get; init; }

    public string? DefaultNamespace { get; init; }

    public required KubernetesCredential Credential { get; init; }

    public void Dispose()
    {
        Credential.Dispose();
        foreach (var certificate in TrustedCertificates ?? new X509Certificate2Collection())
        {
            certificate.Dispose();
        }
    }
}
