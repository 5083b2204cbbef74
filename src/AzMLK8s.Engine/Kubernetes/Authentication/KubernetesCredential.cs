using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Azure;
using Azure.Core;
using Azure.Identity;
using AzMLK8s.Engine.Kubernetes.Transport;
using AzMLK8s.Model;
using k8s.Authentication;

namespace AzMLK8s.Engine.Kubernetes.Authentication;

/// <summary>
/// A credential the module hands the library's client in place of the kubeconfig user's: through the library's
/// <see cref="ITokenProvider"/> seam, asked before every request. After a 401 the transport forgets it once
/// (<see cref="Invalidate"/>) and asks again, as kubectl does for credentials that can be refreshed.
/// </summary>
internal abstract class KubernetesCredential : ITokenProvider, IDisposable
{
    /// <summary>A client certificate that came with the credential (an exec plugin's), offered in the TLS handshake.</summary>
    public X509Certificate2? ClientCertificate { get; protected set; }

    /// <returns>The Authorization header; null when the credential is a client certificate only.</returns>
    public abstract Task<AuthenticationHeaderValue?> GetAuthenticationHeaderAsync(CancellationToken cancellationToken);

    Task<AuthenticationHeaderValue> ITokenProvider.GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
        GetAuthenticationHeaderAsync(cancellationToken)!;

    /// <summary>Forgets what was cached after a 401; true when asking again may give another credential.</summary>
    public virtual bool Invalidate() => true;

    public virtual void Dispose() => ClientCertificate?.Dispose();

    protected static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}

/// <summary>A kubeconfig user's tokenFile (a projected service account token), read on every request as kubectl does.</summary>
internal sealed class TokenFileCredential(string path) : KubernetesCredential
{
    public override async Task<AuthenticationHeaderValue?> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Bearer((await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw KubernetesErrorMapper.Error(KubernetesErrorIds.KubeconfigCredentialInvalid, ErrorKind.ReadError,
                $"The token file '{path}' named in the kubeconfig could not be read ({e.GetType().Name}).", "Check that the tokenFile path in the kubeconfig exists and is readable.", path);
        }
    }
}

/// <summary>
/// A Microsoft Entra ID token for an AAD-enabled AKS or Arc cluster from the module's Azure sign-in, in place of
/// running kubelogin (or the removed 'azure' auth-provider); kept until five minutes before it expires.
/// </summary>
internal sealed class EntraIdCredential(TokenCredential credential, string? serverApplicationId) : KubernetesCredential
{
    /// <summary>The "Azure Kubernetes Service AAD Server" application; the same id in every cloud.</summary>
    public const string AksServerApplicationId = "6dae42f8-4368-4678-94ff-3960e28e3630";

    private AccessToken? _cached;

    public string ServerApplicationId { get; } = string.IsNullOrWhiteSpace(serverApplicationId) ? AksServerApplicationId : serverApplicationId;

    public override async Task<AuthenticationHeaderValue?> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_cached is not { } token || token.ExpiresOn - TimeSpan.FromMinutes(5) <= DateTimeOffset.UtcNow)
            {
                _cached = token = await credential.GetTokenAsync(new TokenRequestContext(new[] { $"{ServerApplicationId}/.default" }), cancellationToken).ConfigureAwait(false);
            }

            return Bearer(token.Token);
        }
        catch (Exception e) when (e is AuthenticationFailedException or CredentialUnavailableException or RequestFailedException)
        {
            throw KubernetesErrorMapper.Error(KubernetesErrorIds.AzureAdTokenFailed, ErrorKind.AuthenticationError,
                $"Could not get a Microsoft Entra ID token for the cluster's API server (application {ServerApplicationId}): {e.Message}",
                "Sign in again (Connect-AzAccount) with an identity that may use the cluster, or use a kubeconfig with -KubeconfigPath.", ServerApplicationId, e);
        }
    }

    public override bool Invalidate()
    {
        _cached = null;
        return true;
    }
}
