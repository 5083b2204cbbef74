using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using global::Azure.Core.Pipeline;

namespace AzMLK8s.Engine.Azure;

/// <summary>
/// HTTP transports, one per certificate pin, reused across cmdlet calls (a new HttpClient per call would exhaust
/// sockets in loops). Without a pin the platform's certificate validation applies; with a pin exactly that server
/// certificate is accepted (for the emulator and for proxies with their own certificate), nothing else.
/// </summary>
internal static class ArmTransport
{
    private static readonly ConcurrentDictionary<string, HttpClientTransport> Transports = new(StringComparer.OrdinalIgnoreCase);

    public static HttpClientTransport For(string? pinnedThumbprint)
    {
        var key = NormalizeThumbprint(pinnedThumbprint) ?? string.Empty;
        return Transports.GetOrAdd(key, pin => new HttpClientTransport(CreateHandler(pin.Length == 0 ? null : pin)));
    }

    /// <summary>Upper-case hex without separators; accepts SHA-1 (40) or SHA-256 (64) thumbprints.</summary>
    public static string? NormalizeThumbprint(string? thumbprint)
    {
        if (string.IsNullOrWhiteSpace(thumbprint))
        {
            return null;
        }

        var hex = new string(thumbprint.Where(Uri.IsHexDigit).ToArray()).ToUpperInvariant();
        return hex.Length is 40 or 64 ? hex : throw new ArgumentException("A certificate thumbprint is 40 (SHA-1) or 64 (SHA-256) hexadecimal digits.", nameof(thumbprint));
    }

    public static bool MatchesPin(X509Certificate2 certificate, string pin) =>
        string.Equals(pin, pin.Length == 64 ? certificate.GetCertHashString(HashAlgorithmName.SHA256) : certificate.GetCertHashString(HashAlgorithmName.SHA1), StringComparison.OrdinalIgnoreCase);

    private static SocketsHttpHandler CreateHandler(string? pin)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.All,
        };
        if (pin is not null)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && MatchesPin(certificate as X509Certificate2 ?? new X509Certificate2(certificate), pin),
            };
        }

        return handler;
    }
}
