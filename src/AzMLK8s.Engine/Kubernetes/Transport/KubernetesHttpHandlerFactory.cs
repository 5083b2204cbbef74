using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using AzMLK8s.Engine.Kubernetes.Kubeconfig;

namespace AzMLK8s.Engine.Kubernetes.Transport;

/// <summary>
/// The HTTP handler for one API server: TLS validated against the kubeconfig's certificate authority (or the
/// system roots when it names none), the user's client certificate offered in the handshake.
/// </summary>
internal static class KubernetesHttpHandlerFactory
{
    public static SocketsHttpHandler Create(KubernetesConnection connection)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                    ValidateServerCertificate(connection, certificate as X509Certificate2, chain, errors),
                // Chosen per handshake so that credentials refreshed by an exec plugin are used, and offered whatever
                // issuers the server lists as acceptable.
                LocalCertificateSelectionCallback = (_, _, _, _, _) => connection.Credential.CurrentClientCertificate!,
            },
        };
        if (connection.Proxy is not null)
        {
            handler.Proxy = new WebProxy(connection.Proxy);
            handler.UseProxy = true;
        }

        return handler;
    }

    internal static bool ValidateServerCertificate(KubernetesConnection connection, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (connection.InsecureSkipTlsVerify)
        {
            return true;
        }

        if (certificate is null)
        {
            return false;
        }

        var nameMatches = connection.TlsServerName is { } serverName
            ? certificate.MatchesHostname(serverName)
            : (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
        if (!nameMatches)
        {
            return false;
        }

        if (connection.TrustedCertificates is null)
        {
            return (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0;
        }

        // As kubectl does: the kubeconfig's CA is the only trust root for this server.
        using var customChain = new X509Chain();
        customChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        customChain.ChainPolicy.CustomTrustStore.AddRange(connection.TrustedCertificates);
        customChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                customChain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return customChain.Build(certificate);
    }
}
