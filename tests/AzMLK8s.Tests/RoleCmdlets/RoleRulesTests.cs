using AzMLK8s.Engine.Operations.Prerequisites;
using AzMLK8s.Engine.Operations.Roles;
using AzMLK8s.Model.Clusters;

namespace AzMLK8s.Tests.RoleCmdlets;

/// <summary>The pure rules behind the role and prerequisite cmdlets.</summary>
public sealed class RoleRulesTests
{
    private const string Scope = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/acr";
    private const string Principal = "11111111-0000-0000-0000-00000000d001";

    [Fact]
    public void The_assignment_name_is_a_version_5_GUID_of_scope_principal_and_role_ignoring_case_and_trailing_slash()
    {
        var name = RoleAssignmentName.For(Scope, Principal, BuiltInRole.AcrPull.Id);

        Assert.Equal(name, RoleAssignmentName.For(Scope.ToUpperInvariant() + "/", Principal.ToUpperInvariant(), BuiltInRole.AcrPull.Id.ToUpperInvariant()));
        Assert.NotEqual(name, RoleAssignmentName.For(Scope, Principal, BuiltInRole.StorageBlobDataReader.Id));
        Assert.NotEqual(name, RoleAssignmentName.For(Scope + "2", Principal, BuiltInRole.AcrPull.Id));
        Assert.NotEqual(name, RoleAssignmentName.For(Scope, "22222222-0000-0000-0000-00000000d001", BuiltInRole.AcrPull.Id));
        Assert.Equal('5', name[14]);
        Assert.Contains(name[19], "89ab");
    }

    [Fact]
    public void The_OpenShift_accounts_substitute_the_extension_and_namespace_and_skip_the_default_namespace_account()
    {
        var withNamespace = OpenShiftServiceAccounts.For("my-ext", "team-a");
        var inDefault = OpenShiftServiceAccounts.For("azureml", "default");
        var inAzureml = OpenShiftServiceAccounts.For("azureml", "azureml");

        Assert.Contains("system:serviceaccount:azureml:my-ext-kube-state-metrics", withNamespace);
        Assert.Contains("system:serviceaccount:team-a:default", withNamespace);
        Assert.Equal(12, withNamespace.Count);
        Assert.DoesNotContain("system:serviceaccount:default:default", inDefault);
        Assert.Equal(11, inDefault.Count);
        Assert.Equal(11, inAzureml.Count);
        Assert.Equal(inAzureml.Count, inAzureml.Distinct().Count());
    }

    [Fact]
    public void Providers_follow_the_cluster_type_and_only_AKS_needs_the_feature()
    {
        Assert.Equal(new[] { "Microsoft.KubernetesConfiguration", "Microsoft.ContainerService", "Microsoft.MachineLearningServices" }, ResourceProviderRequirements.ProvidersFor(AzMLK8sClusterType.Aks));
        Assert.Equal(new[] { "Microsoft.KubernetesConfiguration", "Microsoft.Kubernetes", "Microsoft.MachineLearningServices", "Microsoft.Relay" }, ResourceProviderRequirements.ProvidersFor(AzMLK8sClusterType.Arc));
        Assert.Equal(5, ResourceProviderRequirements.ProvidersFor(null).Count);
        Assert.True(ResourceProviderRequirements.NeedsExtensionManagerFeature(AzMLK8sClusterType.Aks));
        Assert.False(ResourceProviderRequirements.NeedsExtensionManagerFeature(AzMLK8sClusterType.Arc));
        Assert.True(ResourceProviderRequirements.IsRegistered("registered"));
    }
}
