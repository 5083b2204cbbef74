using AzMLK8s.Model.Clusters;

namespace AzMLK8s.Engine.Operations.Roles;

/// <summary>One role the workspace's user-assigned identity needs before a cluster can be attached, and why.</summary>
public sealed record RequiredRoleAssignment(BuiltInRole Role, string Scope, string Reason);

/// <summary>What the rules need to know about the cluster and the Azure resources its extension uses.</summary>
public sealed record WorkspaceIdentityRoleContext(string ClusterResourceId, AzMLK8sClusterType ClusterType)
{
    /// <summary>AKS clusters that the workspace reaches through AKS trusted access.</summary>
    public bool UsesTrustedAccess { get; init; }

    /// <summary>The Azure Relay namespace the Arc cluster's extension uses (none when it has not been found).</summary>
    public IReadOnlyList<string> RelayNamespaceIds { get; init; } = Array.Empty<string>();

    /// <summary>The Service Bus namespaces the extension uses, when its servicebus.enabled setting is on.</summary>
    public IReadOnlyList<string> ServiceBusNamespaceIds { get; init; } = Array.Empty<string>();
}

/// <summary>
/// When a workspace runs as a user-assigned identity, Azure ML does not grant that identity anything on the
/// cluster, and an attach then fails late and obscurely ("extension not installed" without Kubernetes Extension
/// Contributor, "internal server error" without the AKS cluster admin role). These rules are the seed documents'
/// table ("Attach a Kubernetes cluster to Azure Machine Learning workspace"), the one list the grant
/// (Grant-AzMLWorkspaceIdentityRole), the check (Test-AzMLK8sPrerequisite) and Connect-AzMLK8sCompute's pre-check
/// use:
/// <list type="bullet">
/// <item>on the cluster, for both Arc-enabled and AKS clusters: Reader, Kubernetes Extension Contributor and Azure
/// Kubernetes Service Cluster Admin Role;</item>
/// <item>AKS with trusted access: also Azure Kubernetes Service Contributor Role on the cluster;</item>
/// <item>Arc: Azure Relay Owner on the Azure Relay namespace the cluster's extension uses (only that one);</item>
/// <item>an extension with Service Bus: Azure Service Bus Data Owner on its namespace (the earlier table's row).</item>
/// </list>
/// </summary>
public static class WorkspaceIdentityRoleRequirements
{
    public static IReadOnlyList<RequiredRoleAssignment> For(WorkspaceIdentityRoleContext context)
    {
        var cluster = context.ClusterResourceId;
        var required = new List<RequiredRoleAssignment>
        {
            new(BuiltInRole.Reader, cluster, "to read the cluster when attaching it"),
            new(BuiltInRole.KubernetesExtensionContributor, cluster, "to read the AzureML extension; without it attach fails with 'extension not installed'"),
            new(BuiltInRole.AksClusterAdmin, cluster, "to reach the cluster; without it attach fails with 'internal server error'"),
        };

        if (context.ClusterType == AzMLK8sClusterType.Aks && context.UsesTrustedAccess)
        {
            required.Add(new(BuiltInRole.AksContributor, cluster, "for AKS trusted access from the workspace"));
        }

        if (context.ClusterType == AzMLK8sClusterType.Arc)
        {
            required.AddRange(context.RelayNamespaceIds.Select(relay =>
                new RequiredRoleAssignment(BuiltInRole.AzureRelayOwner, relay, "to reach the Arc cluster through its extension's Azure Relay")));
        }

        required.AddRange(context.ServiceBusNamespaceIds.Select(bus =>
            new RequiredRoleAssignment(BuiltInRole.AzureServiceBusDataOwner, bus, "to exchange job messages over the extension's Service Bus")));
        return required;
    }
}
