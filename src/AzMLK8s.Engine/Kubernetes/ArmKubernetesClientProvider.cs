using Azure.Core;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Engine.Kubernetes;

/// <summary>
/// Connects to an AKS or Arc cluster with the user kubeconfig Azure hands out (listClusterUserCredential), so no
/// local kubeconfig is needed. For AAD-enabled clusters the token for the AKS server application comes from the
/// Azure credential the module already signed in with, not from kubelogin.
/// </summary>
public sealed class ArmKubernetesClientProvider
{
    private readonly IClusterCredentialSource _credentials;
    private readonly TokenCredential? _azureCredential;
    private readonly ICmdletHost _host;
    private readonly KubernetesClientOptions _options;

    /// <param name="azureCredential">The module's Azure sign-in; null runs kubelogin for AAD clusters as kubectl would.</param>
    internal ArmKubernetesClientProvider(IClusterCredentialSource credentials, TokenCredential? azureCredential, ICmdletHost host, KubernetesClientOptions? options = null)
    {
        _credentials = credentials;
        _azureCredential = azureCredential;
        _host = host;
        _options = options ?? new KubernetesClientOptions();
    }

    /// <param name="clusterResourceId">An AKS (managedClusters) or Arc (connectedClusters) resource id.</param>
    public async Task<KubernetesClient> ConnectAsync(string clusterResourceId, CancellationToken cancellationToken)
    {
        _host.WriteVerbose($"Kubernetes: getting the user kubeconfig of {clusterResourceId} from Azure.");
        var kubeconfig = await _credentials.GetUserKubeconfigAsync(clusterResourceId, cancellationToken).ConfigureAwait(false);
        try
        {
            return KubernetesConnector.FromKubeconfig(kubeconfig, $"the user kubeconfig of {clusterResourceId}", context: null, _host, _options, _azureCredential);
        }
        finally
        {
            // The document holds credentials; do not leave it in memory longer than needed.
            Array.Clear(kubeconfig);
        }
    }
}
