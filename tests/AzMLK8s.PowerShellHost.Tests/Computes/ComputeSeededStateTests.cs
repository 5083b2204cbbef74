using System.Text.Json.Nodes;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.PowerShellHost.Tests.Computes;

/// <summary>
/// The compute and role cmdlets against state the emulator's ARM API cannot create, put in its store as if made
/// elsewhere: a compute of another type, custom roles, an AKS cluster without local accounts, and Service Bus
/// namespaces next to an Arc cluster.
/// </summary>
public sealed class ComputeSeededStateTests : ComputeSessionTest
{
    // The Azure CLI's name for arc-demo's Service Bus namespace in rg-demo of subscription ...0001 (its rule, which the
    // module follows: the letters and digits of "{cluster}-{subscription}-{group}-service-bus", cut with an MD5 suffix).
    private static readonly string ServiceBusId = $"{Group}/providers/Microsoft.ServiceBus/namespaces/arcdemo00000000000000000000000000000001rgdem7a0451";

    [Fact]
    public void A_compute_of_another_type_is_left_out_of_lists_and_refused_by_name_by_Connect_Get_and_Disconnect()
    {
        InstallAzureML(AksId);
        Attach("team-a", AksId);
        Seed($"{WorkspaceId}/computes/cpu-cluster", "Microsoft.MachineLearningServices/workspaces/computes", new JsonObject { ["computeType"] = "AmlCompute", ["provisioningState"] = "Succeeded" });
        State.Requests.Clear();

        var connect = Session.Run("Connect-AzMLK8sCompute -Name cpu-cluster -WorkspaceName ws-demo -ResourceGroupName rg-demo -ClusterResourceId $aks", ("aks", AksId));
        var all = Session.Run("Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo");
        var named = Session.Run("Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo -Name cpu-cluster");
        var detach = Session.Run("Disconnect-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo -Name cpu-cluster -Confirm:$false");

        Assert.Equal("NotAKubernetesCompute,AzMLK8s.Cmdlets.Computes.ConnectAzMLK8sComputeCommand", Assert.Single(connect.Errors).FullyQualifiedErrorId);
        Assert.Equal("team-a", (string)((dynamic)Assert.Single(all.BaseObjects)).Name);
        Assert.Empty(all.Errors);
        Assert.Equal("NotAKubernetesCompute,AzMLK8s.Cmdlets.Computes.GetAzMLK8sComputeCommand", Assert.Single(named.Errors).FullyQualifiedErrorId);
        Assert.Equal("NotAKubernetesCompute,AzMLK8s.Cmdlets.Computes.DisconnectAzMLK8sComputeCommand", Assert.Single(detach.Errors).FullyQualifiedErrorId);
        Assert.All(new[] { connect, named, detach }, r => Assert.Equal("InvalidArgument", r.Errors[0].CategoryInfo.Category.ToString()));
        Assert.Equal(0, Writes);
        Assert.NotNull(State.Resources.Get($"{WorkspaceId}/computes/cpu-cluster"));
    }

    [Fact]
    public void A_custom_role_with_the_needed_permissions_is_accepted_for_the_workspace_identity_and_one_without_them_is_not()
    {
        InstallAzureML(AksId);
        var operatorRole = Guid.NewGuid().ToString();
        var viewerRole = Guid.NewGuid().ToString();
        State.RoleDefinitions.Add(new EmulatedRoleDefinition(operatorRole, "ML cluster operator", "CustomRole", EmulatedPermission.Of(new[]
        {
            "*/read", "Microsoft.KubernetesConfiguration/*", "Microsoft.ContainerService/managedClusters/*",
            "Microsoft.Insights/alertRules/*", "Microsoft.Resources/deployments/*",
        })));
        State.RoleDefinitions.Add(new EmulatedRoleDefinition(viewerRole, "ML cluster viewer", "CustomRole", EmulatedPermission.Of(new[] { "*/read" })));
        const string attach = "Connect-AzMLK8sCompute -Name aks-compute -WorkspaceResourceId $ws -ClusterResourceId $aks";
        GrantByHand(viewerRole, AksId);

        var refused = Session.Run(attach, ("ws", UaiWorkspaceId), ("aks", AksId));
        GrantByHand(operatorRole, AksId);
        var accepted = Session.Run(attach, ("ws", UaiWorkspaceId), ("aks", AksId));

        var error = Assert.Single(refused.Errors);
        Assert.Equal("WorkspaceIdentityRoleMissing,AzMLK8s.Cmdlets.Computes.ConnectAzMLK8sComputeCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Kubernetes Extension Contributor", error.ErrorDetails!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("  - Reader", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Empty(accepted.Errors);
        Assert.Equal("Succeeded", (string)((dynamic)Assert.Single(accepted.BaseObjects)).ProvisioningState);
    }

    [Fact]
    public void An_AKS_cluster_without_local_accounts_needs_the_AKS_Contributor_role_for_trusted_access()
    {
        InstallAzureML(AksId);
        State.FindCluster(AksId)!.DisableLocalAccounts = true;
        Session.Run("$null = Grant-AzMLWorkspaceIdentityRole -WorkspaceResourceId $ws -ClusterResourceId $aks", ("ws", UaiWorkspaceId), ("aks", AksId)).ThrowIfFailed();
        State.Requests.Clear();

        var result = Session.Run("Connect-AzMLK8sCompute -Name aks-compute -WorkspaceResourceId $ws -ClusterResourceId $aks", ("ws", UaiWorkspaceId), ("aks", AksId));

        var error = Assert.Single(result.Errors);
        Assert.Equal("WorkspaceIdentityRoleMissing,AzMLK8s.Cmdlets.Computes.ConnectAzMLK8sComputeCommand", error.FullyQualifiedErrorId);
        Assert.Contains($"Azure Kubernetes Service Contributor Role on {AksId}", error.ErrorDetails!.Message, StringComparison.Ordinal);
        Assert.Contains("1 role(s)", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Equal(0, Count("PUT", "Compute_CreateOrUpdate"));
    }

    [Fact]
    public void The_workspace_identity_of_an_Arc_cluster_gets_the_three_cluster_roles_and_its_own_relay_and_Service_Bus()
    {
        Seed(ServiceBusId, "Microsoft.ServiceBus/namespaces");
        InstallAzureML(ArcId, "-EnableTraining -ConfigurationSetting @{ 'servicebus.enabled' = 'true' } -ConfigurationProtectedSetting @{ serviceBusConnectionString = (ConvertTo-SecureString 'Endpoint=sb://arcdemo00000000000000000000000000000001rgdem7a0451.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=c' -AsPlainText -Force) }");
        // Installing on Arc made the cluster's Relay namespace in its resource group.
        var relayId = Assert.Single(State.Resources.Children($"{Group}/providers/Microsoft.Relay", "namespaces"))["id"]!.GetValue<string>();

        var result = Session.Run("Grant-AzMLWorkspaceIdentityRole -WorkspaceName ws-uai -ResourceGroupName rg-demo -ClusterResourceId $arc", ("arc", ArcId)).ThrowIfFailed();

        var granted = result.BaseObjects.Cast<dynamic>().Select(a => (Role: (string)a.RoleDefinitionName, Scope: (string)a.Scope, Status: (string)a.Status)).ToList();
        Assert.Contains(("Azure Relay Owner", relayId, "Created"), granted);
        Assert.Contains(("Azure Service Bus Data Owner", ServiceBusId, "Created"), granted);
        Assert.Contains(("Reader", ArcId, "Created"), granted);
        Assert.Contains(("Kubernetes Extension Contributor", ArcId, "Created"), granted);
        Assert.Contains(("Azure Kubernetes Service Cluster Admin Role", ArcId, "Created"), granted);
        Assert.Equal(5, granted.Count);
    }
}
