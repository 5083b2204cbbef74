using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AzMLK8s.Model;

namespace AzMLK8s.Engine.Kubernetes.Authentication;

/// <summary>Builds a client certificate with its private key (RSA or EC, PKCS#1, SEC1 or PKCS#8 PEM).</summary>
internal static class ClientCertificateLoader
{
    public static X509Certificate2 FromPem(string certificatePem, string keyPem, string userDescription)
    {
        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            // Windows' TLS stack cannot use an ephemeral key for client authentication; a PKCS#12 round trip
            // gives it a key it can use. Harmless elsewhere.
#pragma warning disable SYSLIB0057 // X509CertificateLoader is not in net8.0.
            return new X509Certificate2(ephemeral.Export(X509ContentType.Pkcs12));
#pragma warning restore SYSLIB0057
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // Never echo the PEM text: it holds the private key.
            throw new ModuleErrorException(new ModuleError(KubernetesErrorIds.KubeconfigCredentialInvalid, ErrorKind.InvalidData,
                $"The client certificate or key of {userDescription} could not be read. The certificate must be PEM and the key an RSA or EC private key in PEM (PKCS#1, SEC1 or PKCS#8) that matches it.")
            {
                RecommendedAction = "Get fresh credentials for the cluster (for AKS: 'az aks get-credentials'), or fix client-certificate(-data) and client-key(-data) in the kubeconfig.",
                TargetObject = userDescription,
            });
        }
    }

    /// <summary>kubeconfig *-data fields are base64 of the PEM text.</summary>
    public static string DecodeData(string base64, string field, string userDescription)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));
        }
        catch (FormatException)
        {
            throw new ModuleErrorException(new ModuleError(KubernetesErrorIds.KubeconfigCredentialInvalid, ErrorKind.InvalidData,
                $"The field '{field}' of {userDescription} is not valid base64.")
            {
                RecommendedAction = "Get fresh credentials for the cluster or fix the kubeconfig.",
                TargetObject = userDescription,
            });
        }
    }
}
