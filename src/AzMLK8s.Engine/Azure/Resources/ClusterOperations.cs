using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Model;

namespace AzMLK8s.Engine.Azure.Resources;

/// <summary>AKS (managedClusters) and Arc (connectedClusters): GET and the user kubeconfig.</summary>
public sealed class ClusterOperations : ResourceOperations, IClusterCredentialSource
{
    internal ClusterOperations(ArmConnection connection)
        : base(connection)
    {
    }

    public Task<ClusterResource?> GetAsync(string clusterResourceId, CancellationToken cancellationToken)
    {
        var kind = ClusterKindOf(clusterResourceId);
        return GetOrNullAsync<ClusterResource>(ArmRequest.Get(clusterResourceId, ApiVersionFor(kind)).Describe("Get cluster", clusterResourceId), cancellationToken);
    }

    /// <summary>
    /// POST listClusterUserCredential. AKS takes no body; Arc requires { authenticationMethod, clientProxy }.
    /// Returns the first kubeconfig, decoded from base64.
    /// </summary>
    public async Task<byte[]> GetUserKubeconfigAsync(string clusterResourceId, CancellationToken cancellationToken)
    {
        var kind = ClusterKindOf(clusterResourceId);
        var path = $"{clusterResourceId.TrimEnd('/')}/listClusterUserCredential";
        var request = ArmRequest.Post(path, ApiVersionFor(kind), kind == ClusterKind.Connected ? new ConnectedClusterCredentialRequest() : null)
            .Describe("Get the cluster's user kubeconfig", clusterResourceId);
        var result = (await Connection.Client.SendAsync(request, cancellationToken).ConfigureAwait(false)).Read<CredentialResults>();
        var encoded = result?.Kubeconfigs?.FirstOrDefault(k => !string.IsNullOrEmpty(k.Value))?.Value
            ?? throw new ModuleErrorException(new ModuleError(
                "Arm.NoKubeconfig",
                ErrorKind.InvalidResult,
                "Azure returned no kubeconfig for the cluster.")
            {
                RecommendedAction = "Check that your account may list the cluster's user credentials (Azure Kubernetes Service Cluster User Role), or give a kubeconfig file with -KubeconfigPath.",
                TargetObject = clusterResourceId,
            });
        try
        {
            return Convert.FromBase64String(encoded);
        }
        catch (FormatException ex)
        {
            throw new ModuleErrorException(new ModuleError("Arm.InvalidKubeconfig", ErrorKind.InvalidResult, "The kubeconfig Azure returned is not valid base64.")
            {
                RecommendedAction = "Run the command again; if it persists, give a kubeconfig file with -KubeconfigPath.",
                TargetObject = clusterResourceId,
                InnerException = ex,
            });
        }
    }

    internal enum ClusterKind
    {
        Managed,
        Connected,
    }

    internal static ClusterKind ClusterKindOf(string clusterResourceId)
    {
        if (clusterResourceId.Contains("/providers/Microsoft.ContainerService/managedClusters/", StringComparison.OrdinalIgnoreCase))
        {
            return ClusterKind.Managed;
        }

        if (clusterResourceId.Contains("/providers/Microsoft.Kubernetes/connectedClusters/", StringComparison.OrdinalIgnoreCase))
        {
            return ClusterKind.Connected;
        }

        throw new ModuleErrorException(new ModuleError(
            "Arm.UnsupportedClusterType",
            ErrorKind.InvalidArgument,
            $"'{clusterResourceId}' is neither an AKS cluster (Microsoft.ContainerService/managedClusters) nor an Azure Arc cluster (Microsoft.Kubernetes/connectedClusters).")
        {
            RecommendedAction = "Give the resource id of an AKS or Azure Arc-enabled Kubernetes cluster.",
            TargetObject = clusterResourceId,
        });
    }

    private static string ApiVersionFor(ClusterKind kind) =>
        kind == ClusterKind.Managed ? ArmApiVersions.ManagedClusters : ArmApiVersions.ConnectedClusters;
}
