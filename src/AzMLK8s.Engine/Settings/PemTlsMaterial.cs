using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AzMLK8s.Engine.Settings;

/// <summary>
/// The inference router's TLS certificate and key, read from local PEM files and checked before anything is sent:
/// ASCII only, certificate and unencrypted key belong together, not expired, issued for sslCname.
/// </summary>
internal sealed class PemTlsMaterial
{
    private const int ExpiryWarningDays = 30;

    private static readonly string[] PrivateKeyLabels = { "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY" };

    private PemTlsMaterial(string certificateBase64, string keyBase64, IReadOnlyList<string> dnsNames, DateTimeOffset notAfter)
    {
        CertificateBase64 = certificateBase64;
        KeyBase64 = keyBase64;
        DnsNames = dnsNames;
        NotAfter = notAfter;
    }

    /// <summary>Base64 of the certificate file's text (LF line ends), for protected scoringFe.sslCert.</summary>
    public string CertificateBase64 { get; }

    /// <summary>Base64 of the key file's text (LF line ends), for protected scoringFe.sslKey.</summary>
    public string KeyBase64 { get; }

    public IReadOnlyList<string> DnsNames { get; }

    public DateTimeOffset NotAfter { get; }

    public override string ToString() => $"TLS certificate for {string.Join(", ", DnsNames)} (expires {NotAfter:yyyy-MM-dd})";

    /// <summary>Reads and checks the pair; adds warnings for what the service would accept but users should know.</summary>
    public static PemTlsMaterial Load(string certificatePath, string keyPath, string? sslCname, DateTimeOffset now, ICollection<string> warnings)
    {
        var certificateText = ReadAscii(certificatePath, SettingsCatalog.SslCertPemFile);
        var keyText = ReadAscii(keyPath, SettingsCatalog.SslKeyPemFile);

        using var certificate = ReadCertificate(certificateText, certificatePath, warnings);
        CheckKeyMatches(certificate, keyText, keyPath);
        CheckValidity(certificate, certificatePath, now, warnings);

        var dnsNames = DnsNamesOf(certificate);
        if (sslCname is not null && !dnsNames.Any(name => HostNameMatches(name, sslCname)))
        {
            warnings.Add(
                $"The certificate in '{certificatePath}' is issued for {Describe(dnsNames)}, not for sslCname '{sslCname}'. " +
                "Clients will reject the endpoints' TLS; use a certificate whose subject alternative names include sslCname.");
        }

        return new PemTlsMaterial(ToBase64(certificateText), ToBase64(keyText), dnsNames, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
    }

    /// <summary>Whether certificate name <paramref name="pattern"/> (may be "*.domain") covers <paramref name="hostName"/>.</summary>
    public static bool HostNameMatches(string pattern, string hostName)
    {
        pattern = pattern.TrimEnd('.');
        hostName = hostName.TrimEnd('.');
        if (!pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return string.Equals(pattern, hostName, StringComparison.OrdinalIgnoreCase);
        }

        // A wildcard stands for exactly one leftmost label.
        var firstDot = hostName.IndexOf('.');
        return firstDot > 0 && string.Equals(pattern.Substring(1), hostName.Substring(firstDot), StringComparison.OrdinalIgnoreCase);
    }

    private static string ReadAscii(string path, string settingKey)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw SettingErrors.NotFound(
                SettingErrors.PemFileNotFound,
                $"The PEM file '{path}' given as {settingKey} does not exist.",
                "Check the path; relative paths are resolved from the current PowerShell location.",
                path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw SettingErrors.Invalid(
                SettingErrors.PemFileUnreadable,
                $"The PEM file '{path}' given as {settingKey} cannot be read: {e.GetType().Name}.",
                "Check that the path names a file you can read.",
                path);
        }

        // A UTF-8 byte order mark (Windows editors add one) is not part of the PEM text.
        var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        for (var i = start; i < bytes.Length; i++)
        {
            if (bytes[i] > 0x7F)
            {
                var line = 1 + bytes.Take(i).Count(b => b == (byte)'\n');
                throw SettingErrors.BadData(
                    SettingErrors.PemNotAscii,
                    $"The PEM file '{path}' given as {settingKey} has a non-ASCII byte on line {line}; PEM files are ASCII text.",
                    "Save the file as ASCII/UTF-8 without special characters (a UTF-16 file from Out-File is a common cause: use Set-Content -Encoding ascii).",
                    path);
            }
        }

        // Line ends normalized to LF, as the Azure CLI reads the files (text mode), so both tools send the same bytes.
        return Encoding.ASCII.GetString(bytes, start, bytes.Length - start).Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static X509Certificate2 ReadCertificate(string text, string path, ICollection<string> warnings)
    {
        var blocks = PemBlocks(text);
        var certificates = blocks.Where(b => b.Label == "CERTIFICATE").ToList();
        if (certificates.Count == 0)
        {
            var hint = blocks.Any(b => b.Label.Contains("PRIVATE KEY", StringComparison.Ordinal))
                ? " It holds a private key: are the certificate and key files swapped?"
                : string.Empty;
            throw SettingErrors.BadData(
                SettingErrors.PemCertificateInvalid,
                $"The file '{path}' given as {SettingsCatalog.SslCertPemFile} has no '-----BEGIN CERTIFICATE-----' block.{hint}",
                "Give the PEM certificate chain (server certificate first, then intermediates).",
                path);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificates[0].Text);
        }
        catch (CryptographicException)
        {
            throw SettingErrors.BadData(
                SettingErrors.PemCertificateInvalid,
                $"The first certificate in '{path}' cannot be parsed.",
                "Check the file with: openssl x509 -in <file> -noout -text",
                path);
        }

        if (certificates.Count == 1 && certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) is false)
        {
            warnings.Add(
                $"The file '{path}' holds only the server certificate, not the chain to its issuer '{certificate.Issuer}'. " +
                "Clients that lack the intermediate certificates will fail TLS; append them to the file.");
        }

        return certificate;
    }

    private static void CheckKeyMatches(X509Certificate2 certificate, string keyText, string path)
    {
        if (keyText.Contains("ENCRYPTED", StringComparison.Ordinal))
        {
            throw SettingErrors.BadData(
                SettingErrors.PemKeyEncrypted,
                $"The private key in '{path}' is protected by a passphrase, which the extension cannot use.",
                "Write an unencrypted copy and give that instead: openssl pkey -in <encrypted.pem> -out <key.pem> (keep it private and delete it afterwards).",
                path);
        }

        var key = PemBlocks(keyText).Find(b => PrivateKeyLabels.Contains(b.Label));
        if (key.Text is null)
        {
            var hint = keyText.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal) ? " It holds a certificate: are the certificate and key files swapped?" : string.Empty;
            throw SettingErrors.BadData(
                SettingErrors.PemKeyInvalid,
                $"The file '{path}' given as {SettingsCatalog.SslKeyPemFile} has no '-----BEGIN PRIVATE KEY-----' block.{hint}",
                "Give the certificate's unencrypted private key in PEM format.",
                path);
        }

        var certificateKey = PublicKeyOf(certificate);
        var privateKey = PublicKeyOfPrivateKey(key.Text);
        if (privateKey is null)
        {
            throw SettingErrors.BadData(
                SettingErrors.PemKeyInvalid,
                $"The private key in '{path}' cannot be read as an RSA or ECDSA key.",
                "Give an RSA or ECDSA private key in PEM format (check it with: openssl pkey -in <file> -noout).",
                path);
        }

        if (certificateKey is null || !certificateKey.AsSpan().SequenceEqual(privateKey))
        {
            throw SettingErrors.BadData(
                SettingErrors.PemKeyMismatch,
                $"The private key in '{path}' does not belong to the certificate for '{certificate.Subject}'.",
                "Give the key the certificate was issued for (compare: openssl x509 -in <cert> -noout -pubkey and openssl pkey -in <key> -pubout).",
                path);
        }
    }

    private static void CheckValidity(X509Certificate2 certificate, string path, DateTimeOffset now, ICollection<string> warnings)
    {
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        if (notAfter <= now)
        {
            throw SettingErrors.BadData(
                SettingErrors.CertificateExpired,
                $"The certificate in '{path}' expired on {notAfter:yyyy-MM-dd HH:mm} UTC.",
                "Renew the certificate and give the new certificate and key files.",
                path);
        }

        if (notAfter - now < TimeSpan.FromDays(ExpiryWarningDays))
        {
            warnings.Add($"The certificate in '{path}' expires on {notAfter:yyyy-MM-dd} UTC, in less than {ExpiryWarningDays} days. Plan its renewal (Update-AzMLK8sExtension with the new files).");
        }

        if (notBefore > now)
        {
            warnings.Add($"The certificate in '{path}' is not valid before {notBefore:yyyy-MM-dd HH:mm} UTC; clients reject it until then.");
        }
    }

    private static IReadOnlyList<string> DnsNamesOf(X509Certificate2 certificate)
    {
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is not null)
        {
            return san.EnumerateDnsNames().ToArray();
        }

        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.IsNullOrEmpty(commonName) ? Array.Empty<string>() : new[] { commonName };
    }

    private static byte[]? PublicKeyOf(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            return rsa.ExportSubjectPublicKeyInfo();
        }

        using var ecdsa = certificate.GetECDsaPublicKey();
        return ecdsa?.ExportSubjectPublicKeyInfo();
    }

    private static byte[]? PublicKeyOfPrivateKey(string pem)
    {
        foreach (var create in new Func<AsymmetricAlgorithm>[] { RSA.Create, ECDsa.Create })
        {
            using var algorithm = create();
            try
            {
                algorithm.ImportFromPem(pem);
                return algorithm.ExportSubjectPublicKeyInfo();
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                // Not this algorithm; try the next.
            }
        }

        return null;
    }

    private static List<(string Label, string Text)> PemBlocks(string text)
    {
        var blocks = new List<(string Label, string Text)>();
        var offset = 0;
        while (offset < text.Length && PemEncoding.TryFind(text.AsSpan(offset), out var fields))
        {
            var location = fields.Location.GetOffsetAndLength(text.Length - offset);
            var label = fields.Label.GetOffsetAndLength(text.Length - offset);
            blocks.Add((text.Substring(offset + label.Offset, label.Length), text.Substring(offset + location.Offset, location.Length)));
            offset += location.Offset + location.Length;
        }

        return blocks;
    }

    private static string Describe(IReadOnlyList<string> names) =>
        names.Count == 0 ? "no DNS name" : string.Join(", ", names.Select(n => $"'{n}'"));

    private static string ToBase64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));
}
