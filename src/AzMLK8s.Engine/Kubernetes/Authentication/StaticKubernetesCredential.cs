using System.Security.Cryptography.X509Certificates;
using AzMLK8s.Model;

namespace AzMLK8s.Engine.Kubernetes.Authentication;

/// <summary>A token (inline or from tokenFile, read again on each use as kubectl does) and/or a client certificate.</summary>
internal sealed class StaticKubernetesCredential : KubernetesCredential
{
    private readonly string? _token;
    private readonly string? _tokenFile;

    public StaticKubernetesCredential(string? token, string? tokenFile, X509Certificate2? clientCertificate)
    {
        _token = string.IsNullOrEmpty(token) ? null : token;
        _tokenFile = string.IsNullOrEmpty(tokenFile) ? null : tokenFile;
        CurrentClientCertificate = clientCertificate;
    }

    public override ValueTask<KubernetesAuthentication> GetAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new KubernetesAuthentication(_token ?? ReadTokenFile(), CurrentClientCertificate));

    // A rotated token file (projected service account token) gives a new token on the retry.
    public override bool Invalidate() => _token is null && _tokenFile is not null;

    private string? ReadTokenFile()
    {
        if (_tokenFile is null)
        {
            return null;
        }

        try
        {
            return File.ReadAllText(_tokenFile).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleErrorException(new ModuleError(KubernetesErrorIds.KubeconfigCredentialInvalid, ErrorKind.ReadError,
                $"The token file '{_tokenFile}' named in the kubeconfig could not be read ({e.GetType().Name}).")
            {
                RecommendedAction = "Check that the tokenFile path in the kubeconfig exists and is readable.",
                TargetObject = _tokenFile,
            });
        }
    }
}
