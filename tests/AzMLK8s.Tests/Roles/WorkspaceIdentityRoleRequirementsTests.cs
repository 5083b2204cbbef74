using AzMLK8s.Engine.Operations.Roles;
using AzMLK8s.Model.Clusters;

namespace AzMLK8s.Tests.Roles;

public sealed class WorkspaceIdentityRoleRequirementsTests
{
    private const string Aks = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks";
    private const string Arc = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/arc";
    private const string Relay = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Relay/namespaces/relay-1";
    private const string Bus = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ServiceBus/namespaces/bus-1";

    [Fact]
    public void Aks_needs_reader_extension_contributor_and_cluster_admin_on_the_cluster()
    {
        var required = WorkspaceIdentityRoleRequirements.For(new(Aks, AzMLK8sClusterType.Aks));

        Assert.Equal(
            new[] { BuiltInRole.Reader, BuiltInRole.KubernetesExtensionContributor, BuiltInRole.AksClusterAdmin },
            required.Select(r => r.Role));
        Assert.All(required, r => Assert.Equal(Aks, r.Scope));
    }

    [Fact]
    public void Aks_with_trusted_access_also_needs_the_AKS_contributor_role()
    {
        var required = WorkspaceIdentityRoleRequirements.For(new(Aks, AzMLK8sClusterType.Aks) { UsesTrustedAccess = true });

        Assert.Contains(required, r => r.Role == BuiltInRole.AksContributor && r.Scope == Aks);
    }

    [Fact]
    public void Arc_needs_the_same_three_roles_on_the_cluster_and_relay_owner_on_its_relay_as_the_seed_table_says()
    {
        var required = WorkspaceIdentityRoleRequirements.For(new(Arc, AzMLK8sClusterType.Arc) { RelayNamespaceIds = new[] { Relay } });

        Assert.Equal(
            new[] { (BuiltInRole.Reader, Arc), (BuiltInRole.KubernetesExtensionContributor, Arc), (BuiltInRole.AksClusterAdmin, Arc), (BuiltInRole.AzureRelayOwner, Relay) },
            required.Select(r => (r.Role, r.Scope)));
    }

    [Fact]
    public void Trusted_access_is_an_AKS_matter()
    {
        Assert.DoesNotContain(WorkspaceIdentityRoleRequirements.For(new(Arc, AzMLK8sClusterType.Arc) { UsesTrustedAccess = true }), r => r.Role == BuiltInRole.AksContributor);
    }

    [Fact]
    public void Service_bus_data_owner_is_needed_only_where_service_bus_is_used()
    {
        Assert.DoesNotContain(WorkspaceIdentityRoleRequirements.For(new(Arc, AzMLK8sClusterType.Arc)), r => r.Role == BuiltInRole.AzureServiceBusDataOwner);
        Assert.Contains(
            WorkspaceIdentityRoleRequirements.For(new(Arc, AzMLK8sClusterType.Arc) { ServiceBusNamespaceIds = new[] { Bus } }),
            r => r.Role == BuiltInRole.AzureServiceBusDataOwner && r.Scope == Bus);
    }

    [Theory]
    [InlineData("AcrPull", "7f951dda-4ed3-4680-a7ca-43fe172d538d")]
    [InlineData("StorageBlobDataReader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")]
    [InlineData("storage blob data contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe")]
    [InlineData("0AB0B1A8-8AAC-4EFD-B8C2-3EE1FB270BE8", "0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8")]
    public void Built_in_roles_are_found_by_name_compact_name_or_id(string query, string expectedId)
    {
        Assert.Equal(expectedId, BuiltInRole.Find(query)?.Id);
    }

    [Fact]
    public void Other_roles_are_not_guessed()
    {
        Assert.Null(BuiltInRole.Find("Owner"));
    }
}
