using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AzMLK8s.Tests.Settings;

/// <summary>Certificates and keys made on the fly as PEM files in a temporary directory.</summary>
internal sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        Directory = Path.Combine(Path.GetTempPath(), "azmlk8s-pem-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public static DateTimeOffset Now => DateTimeOffset.UtcNow;

    public (string Certificate, string Key) Write(
        string name,
        string[]? dnsNames = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        bool rsa = false,
        string? keyPassword = null)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = rsa
            ? new CertificateRequest($"CN={(dnsNames ?? new[] { "ml.contoso.com" })[0]}", (RSA)key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={(dnsNames ?? new[] { "ml.contoso.com" })[0]}", (ECDsa)key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames ?? new[] { "ml.contoso.com" })
        {
            san.AddDnsName(dns);
        }

        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(notBefore ?? Now.AddDays(-1), notAfter ?? Now.AddDays(365));
        var keyPem = keyPassword is null
            ? key.ExportPkcs8PrivateKeyPem()
            : key.ExportEncryptedPkcs8PrivateKeyPem(keyPassword, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));
        return (WriteFile(name + ".crt.pem", certificate.ExportCertificatePem()), WriteFile(name + ".key.pem", keyPem));
    }

    /// <summary>A server certificate issued by a test CA; the file holds the leaf only, or the leaf and the CA.</summary>
    public (string Certificate, string Key) WriteIssued(string name, bool withChain)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(Now.AddDays(-2), Now.AddDays(400));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=ml.contoso.com", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("ml.contoso.com");
        leafRequest.CertificateExtensions.Add(san.Build());
        using var leaf = leafRequest.Create(ca, Now.AddDays(-1), Now.AddDays(300), new byte[] { 1, 2, 3, 4 });
        var pem = leaf.ExportCertificatePem() + "\n" + (withChain ? ca.ExportCertificatePem() + "\n" : string.Empty);
        return (WriteFile(name + ".crt.pem", pem), WriteFile(name + ".key.pem", leafKey.ExportPkcs8PrivateKeyPem()));
    }

    public string WriteFile(string fileName, string content)
    {
        var path = Path.Combine(Directory, fileName);
        File.WriteAllText(path, content);
        return path;
    }

    public string WriteBytes(string fileName, byte[] content)
    {
        var path = Path.Combine(Directory, fileName);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
