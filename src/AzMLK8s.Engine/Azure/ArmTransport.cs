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
    private static readonly ConcurrentDictionary<string, Entry> Transports = new(StringComparer.OrdinalIgnoreCase);

    public static HttpClientTransport For(string? pinnedThumbprint) => EntryFor(pinnedThumbprint).Transport;

    /// <summary>The last certificate a transport with this pin (or none) did not accept: what the error shows.</summary>
    public static CertificateRejection? LastRejection(string? pinnedThumbprint) => EntryFor(pinnedThumbprint).LastRejection;

    private static Entry EntryFor(string? pinnedThumbprint)
    {
        var key = NormalizeThumbprint(pinnedThumbprint) ?? string.Empty;
        return Transports.GetOrAdd(key, pin => new Entry(pin.Length == 0 ? null : pin));
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

    private sealed class Entry
    {
        private readonly string? _pin;

        public Entry(string? pin)
        {
            _pin = pin;
            Transport = new HttpClientTransport(new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
            });
        }

        public HttpClientTransport Transport { get; }

        public CertificateRejection? LastRejection { get; private set; }

        // Without a pin, the platform's verdict (what the default callback does); with one, exactly that certificate.
        private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            var presented = certificate is null ? null : certificate as X509Certificate2 ?? new X509Certificate2(certificate);
            var accepted = _pin is null ? errors == SslPolicyErrors.None : presented is not null && MatchesPin(presented, _pin);
            if (!accepted)
            {
                LastRejection = new CertificateRejection(presented?.GetCertHashString(HashAlgorithmName.SHA256), _pin, errors.ToString());
            }

            return accepted;
        }
    }
}
