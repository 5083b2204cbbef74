using Azure.Core;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Engine.Kubernetes;

/// <summary>
/// Gets a cluster's user kubeconfig from Azure (AKS and Arc listClusterUserCredential). Implemented by the ARM
/// layer; the Kubernetes layer only needs the kubeconfig's bytes.
/// </summary>
public interface IClusterCredentialSource
{
    /// <param name="clusterResourceId">An AKS (managedClusters) or Arc (connectedClusters) resource id.</param>
    /// <returns>The kubeconfig document (YAML) as returned by the service, decoded from base64.</returns>
    Task<byte[]> GetUserKubeconfigAsync(string clusterResourceId, CancellationToken cancellationToken);
}

/// <summary>
/// Connects to an AKS or Arc cluster with the user kubeconfig Azure hands out (listClusterUserCredential), so no
/// local kubeconfig is needed. For AAD-enabled clusters the token for the AKS server application comes from the
/// Azure credential the module already signed in with, not from kubelogin.
/// </summary>
/// <param name="azureCredential">The module's Azure sign-in; null runs kubelogin for AAD clusters as kubectl would.</param>
public sealed class ArmKubernetesClientProvider(IClusterCredentialSource credentials, TokenCredential? azureCredential, ICmdletHost host, KubernetesClientOptions? options = null)
{
    /// <param name="clusterResourceId">An AKS (managedClusters) or Arc (connectedClusters) resource id.</param>
    public async Task<KubernetesClient> ConnectAsync(string clusterResourceId, CancellationToken cancellationToken)
    {
        host.WriteVerbose($"Kubernetes: getting the user kubeconfig of {clusterResourceId} from Azure.");
        var kubeconfig = await credentials.GetUserKubeconfigAsync(clusterResourceId, cancellationToken).ConfigureAwait(false);
        try
        {
            return KubernetesConnector.FromKubeconfig(kubeconfig, $"the user kubeconfig of {clusterResourceId}", context: null, host, options, azureCredential);
        }
        finally
        {
            Array.Clear(kubeconfig); // it holds credentials: not left in memory longer than needed
        }
    }
}
