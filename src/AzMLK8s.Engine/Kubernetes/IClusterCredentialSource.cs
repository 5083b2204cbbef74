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
