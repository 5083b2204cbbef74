using Azure;
using Azure.Core;
using Azure.Identity;
using AzMLK8s.Model;

namespace AzMLK8s.Engine.Kubernetes.Authentication;

/// <summary>
/// A Microsoft Entra ID token for an AAD-enabled AKS or Arc cluster, from the Azure credential the module already
/// uses, in place of running kubelogin.
/// </summary>
internal sealed class AzureAdKubernetesCredential : KubernetesCredential
{
    /// <summary>The "Azure Kubernetes Service AAD Server" application; the same id in every cloud.</summary>
    public const string AksServerApplicationId = "6dae42f8-4368-4678-94ff-3960e28e3630";

    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly TokenCredential _credential;
    private readonly TokenRequestContext _request;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _cached;

    public AzureAdKubernetesCredential(TokenCredential credential, string? serverApplicationId)
    {
        _credential = credential;
        ServerApplicationId = string.IsNullOrWhiteSpace(serverApplicationId) ? AksServerApplicationId : serverApplicationId;
        _request = new TokenRequestContext(new[] { $"{ServerApplicationId}/.default" });
    }

    public string ServerApplicationId { get; }

    public override async ValueTask<KubernetesAuthentication> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is not { } token || token.ExpiresOn - RefreshMargin <= DateTimeOffset.UtcNow)
            {
                token = await RequestAsync(cancellationToken).ConfigureAwait(false);
                _cached = token;
            }

            return new KubernetesAuthentication(token.Token, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override bool Invalidate()
    {
        _cached = null;
        return true;
    }

    public override void Dispose()
    {
        base.Dispose();
        _gate.Dispose();
    }

    private async Task<AccessToken> RequestAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _credential.GetTokenAsync(_request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationFailedException or CredentialUnavailableException or RequestFailedException)
        {
            throw new ModuleErrorException(new ModuleError(KubernetesErrorIds.AzureAdTokenFailed, ErrorKind.AuthenticationError,
                $"Could not get a Microsoft Entra ID token for the cluster's API server (application {ServerApplicationId}): {e.Message}")
            {
                RecommendedAction = "Sign in again (Connect-AzAccount) with an identity that may use the cluster, or use a kubeconfig with -KubeconfigPath.",
                TargetObject = ServerApplicationId,
                InnerException = e,
            });
        }
    }
}
