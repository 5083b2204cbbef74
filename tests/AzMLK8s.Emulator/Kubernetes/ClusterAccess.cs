using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace AzMLK8s.Emulator.Kubernetes;

/// <summary>Who a request to an emulated API server is.</summary>
public sealed record ClusterPrincipal(string User, bool ReadOnly);

/// <summary>A client certificate the emulator issued for a cluster, with its private key, as kubeconfig PEM.</summary>
public sealed record IssuedClientCertificate(string CertificatePem, string PrivateKeyPem, string Thumbprint);

public enum ClientKeyAlgorithm
{
    Rsa,
    EcdsaP256,
}

/// <summary>
/// The credentials an emulated API server accepts: bearer tokens and client certificates it issued, and, when
/// Entra ID is enabled, any JWT whose audience is the AKS server application (signatures are not checked).
/// </summary>
public sealed class ClusterAccess
{
    public const string AksServerApplicationId = "6dae42f8-4368-4678-94ff-3960e28e3630";

    private readonly ConcurrentDictionary<string, ClusterPrincipal> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClusterPrincipal> _certificates = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lazy<string> _userToken;
    private readonly Lazy<IssuedClientCertificate> _userCertificate;

    public ClusterAccess()
    {
        _userToken = new Lazy<string>(() => IssueToken("clusterUser"));
        _userCertificate = new Lazy<IssuedClientCertificate>(() => IssueClientCertificate("clusterUser", "system:masters"));
    }

    public bool AcceptsAzureAdTokens { get; set; }

    /// <summary>The token listClusterUserCredential hands out (one per cluster, as AKS does).</summary>
    public string UserToken => _userToken.Value;

    /// <summary>The client certificate listClusterUserCredential hands out.</summary>
    public IssuedClientCertificate UserClientCertificate => _userCertificate.Value;

    /// <summary>A new bearer token for <paramref name="user"/>; a read-only user gets 403 on every write.</summary>
    public string IssueToken(string user, bool readOnly = false)
    {
        var token = "emu-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        _tokens[token] = new ClusterPrincipal(user, readOnly);
        return token;
    }

    /// <summary>A new self-signed client certificate (CN = user, O = group) that this cluster accepts.</summary>
    public IssuedClientCertificate IssueClientCertificate(string user, string? group = null, ClientKeyAlgorithm algorithm = ClientKeyAlgorithm.Rsa, bool readOnly = false)
    {
        var subject = group is null ? $"CN={user}" : $"CN={user}, O={group}";
        using AsymmetricAlgorithm key = algorithm == ClientKeyAlgorithm.Rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") }, false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));
        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        _certificates[thumbprint] = new ClusterPrincipal(user, readOnly);
        // Both key formats kubeconfigs carry: PKCS#1 "RSA PRIVATE KEY" and SEC1 "EC PRIVATE KEY".
        var keyPem = key is RSA rsaKey ? rsaKey.ExportRSAPrivateKeyPem() : ((ECDsa)key).ExportECPrivateKeyPem();
        return new IssuedClientCertificate(certificate.ExportCertificatePem(), keyPem, thumbprint);
    }

    public void RevokeToken(string token) => _tokens.TryRemove(token, out _);

    /// <summary>The principal of a request, or null when it presents nothing this cluster accepts (401).</summary>
    public ClusterPrincipal? Authenticate(string? bearerToken, X509Certificate2? clientCertificate)
    {
        // As kube-apiserver's union authenticator: a client certificate it trusts wins, then a bearer token.
        if (clientCertificate is not null
            && _certificates.TryGetValue(clientCertificate.GetCertHashString(HashAlgorithmName.SHA256), out var certificatePrincipal))
        {
            return certificatePrincipal;
        }

        if (string.IsNullOrEmpty(bearerToken))
        {
            return null;
        }

        if (_tokens.TryGetValue(bearerToken, out var principal))
        {
            return principal;
        }

        return AcceptsAzureAdTokens ? FromAzureAdToken(bearerToken) : null;
    }

    private static ClusterPrincipal? FromAzureAdToken(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            using var claims = JsonDocument.Parse(Base64UrlDecode(parts[1]));
            var audience = claims.RootElement.TryGetProperty("aud", out var aud) ? aud.GetString() : null;
            if (audience is not (AksServerApplicationId or "spn:" + AksServerApplicationId))
            {
                return null;
            }

            var user = claims.RootElement.TryGetProperty("upn", out var upn) ? upn.GetString()
                : claims.RootElement.TryGetProperty("oid", out var oid) ? oid.GetString() : null;
            return new ClusterPrincipal(user ?? "aad-user", ReadOnly: false);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }

    private static byte[] Base64UrlDecode(string value)
    {
        var text = value.Replace('-', '+').Replace('_', '/');
        text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        return Convert.FromBase64String(text);
    }

    /// <summary>An unsigned JWT with the given audience and user, as tests' fake Entra ID credentials produce.</summary>
    public static string CreateUnsignedJwt(string audience, string user)
    {
        static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{Encode(JsonSerializer.Serialize(new { aud = audience, upn = user }))}.";
    }
}
