using AzMLK8s.Model;
using AzMLK8s.Model.Clusters;

namespace AzMLK8s.Engine.Operations.Common;

/// <summary>An AKS or Arc cluster, named by its parts or its resource id.</summary>
public sealed record ClusterReference(string SubscriptionId, string ResourceGroupName, string Name, AzMLK8sClusterType Type)
{
    public const string AksResourceType = "Microsoft.ContainerService/managedClusters";
    public const string ArcResourceType = "Microsoft.Kubernetes/connectedClusters";

    public string ResourceType => Type == AzMLK8sClusterType.Aks ? AksResourceType : ArcResourceType;

    public string ResourceId =>
        $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroupName}/providers/{ResourceType}/{Name}";

    public override string ToString() => ResourceId;

    /// <summary>Parses an AKS or Arc resource id; anything else is the error InvalidClusterResourceId.</summary>
    public static ClusterReference Parse(string? resourceId, string parameterName = "ClusterResourceId")
    {
        var parsed = ArmResourceId.TryParse(resourceId);
        var type = parsed?.ResourceType switch
        {
            { } t when t.Equals(AksResourceType, StringComparison.OrdinalIgnoreCase) => AzMLK8sClusterType.Aks,
            { } t when t.Equals(ArcResourceType, StringComparison.OrdinalIgnoreCase) => AzMLK8sClusterType.Arc,
            _ => (AzMLK8sClusterType?)null,
        };
        if (parsed is null || type is null)
        {
            var found = parsed is null ? "is not an Azure resource id" : $"is a {parsed.ResourceType}";
            throw new ModuleErrorException(new ModuleError(
                "InvalidClusterResourceId",
                ErrorKind.InvalidArgument,
                $"-{parameterName} '{resourceId}' {found}; an AKS ({AksResourceType}) or Azure Arc ({ArcResourceType}) cluster id is expected.")
            {
                RecommendedAction = "Pass the cluster's id, e.g. (Get-AzAksCluster -ResourceGroupName <group> -Name <name>).Id, or give -ClusterName, -ResourceGroupName and -ClusterType.",
                TargetObject = resourceId,
            });
        }

        return new ClusterReference(parsed.SubscriptionId, parsed.ResourceGroupName, parsed.Name, type.Value);
    }
}
