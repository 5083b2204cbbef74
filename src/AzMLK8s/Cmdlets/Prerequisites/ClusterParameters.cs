using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Model;
using AzMLK8s.Model.Clusters;

namespace AzMLK8s.Cmdlets.Prerequisites;

/// <summary>The cluster named by -ClusterResourceId, or by -ClusterName, -ResourceGroupName and -ClusterType.</summary>
internal static class ClusterParameters
{
    public static ClusterReference Resolve(string? clusterResourceId, string? clusterName, string? resourceGroupName, AzMLK8sClusterType? clusterType, Func<string> subscriptionId)
    {
        if (clusterResourceId is not null)
        {
            return ClusterReference.Parse(clusterResourceId);
        }

        if (string.IsNullOrWhiteSpace(clusterName) || string.IsNullOrWhiteSpace(resourceGroupName) || clusterType is null)
        {
            throw new ModuleErrorException(new ModuleError("ClusterNotSpecified", ErrorKind.InvalidArgument, "No cluster was given.")
            {
                RecommendedAction = "Give -ClusterResourceId <id>, or -ClusterName, -ResourceGroupName and -ClusterType (Aks or Arc).",
            });
        }

        return new ClusterReference(subscriptionId(), resourceGroupName, clusterName, clusterType.Value);
    }
}
