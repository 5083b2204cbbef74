using System.Text.Json.Nodes;
using AzMLK8s.Cmdlets.Roles;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Operations.Roles;
using AzMLK8s.Model.Roles;
using AzMLK8s.Tests.Azure;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.RoleCmdlets;

/// <summary>Grant-AzMLWorkspaceIdentityRole against the emulator's ws-uai (user-assigned id-demo) and ws-demo (system).</summary>
public sealed class WorkspaceIdentityRoleCmdletTests : EmulatorPerTest
{
    // The Azure CLI's names for arc-demo in rg-demo of subscription ...0001.
    private static readonly string RelayId = $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.Relay/namespaces/arcdemo00000000000000000000000000000001rgdemorelay";
    private static readonly string ServiceBusId = $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.ServiceBus/namespaces/arcdemo00000000000000000000000000000001rgdem7a0451";
    private static readonly string OtherRelayId = $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.Relay/namespaces/other-team-relay";

    [Fact]
    public void An_AKS_cluster_gets_reader_extension_contributor_and_cluster_admin_once()
    {
        var host = RoleTestWorld.Host(Server);

        CmdletRunner.Run(new GrantAzMLWorkspaceIdentityRoleCommand { WorkspaceName = "ws-uai", ResourceGroupName = EmulatorState.DefaultResourceGroup, ClusterResourceId = ArmTestConnections.AksId }, host);
        CmdletRunner.Run(new GrantAzMLWorkspaceIdentityRoleCommand { WorkspaceResourceId = ArmTestConnections.UaiWorkspaceId, ClusterResourceId = ArmTestConnections.AksId }, host);

        Assert.Empty(host.Errors);
        var results = host.Output.Cast<AzMLRoleAssignment>().ToArray();
        Assert.Equal(
            new[] { BuiltInRole.Reader.Name, BuiltInRole.KubernetesExtensionContributor.Name, BuiltInRole.AksClusterAdmin.Name },
            results.Take(3).Select(r => r.RoleDefinitionName));
        Assert.All(results.Take(3), r => Assert.Equal("Created", r.Status));
        Assert.All(results.Skip(3), r => Assert.Equal("Existing", r.Status));
        Assert.Equal(6, results.Length);
        Assert.All(results, r => Assert.Equal(ArmSeed.IdentityPrincipalId, r.PrincipalId));
        Assert.All(results, r => Assert.Equal(ArmTestConnections.AksId, r.Scope));
        Assert.Equal(3, Server.State.RoleAssignments.Count(a => a.PrincipalId == ArmSeed.IdentityPrincipalId));
    }

    [Fact]
    public async Task An_Arc_cluster_gets_the_three_cluster_roles_and_relay_owner_on_its_own_relay_only()
    {
        var connection = ArmTestConnections.Connect(Server);
        await connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.ArcId, "azureml",
            ExtensionOperationsTests.AzureML(("enableTraining", "true"), ("servicebus.enabled", "true")), default);
        Seed(RelayId, "Microsoft.Relay/namespaces");
        Seed(OtherRelayId, "Microsoft.Relay/namespaces");
        Seed(ServiceBusId, "Microsoft.ServiceBus/namespaces");
        var host = RoleTestWorld.Host(Server);

        CmdletRunner.Run(new GrantAzMLWorkspaceIdentityRoleCommand { WorkspaceName = "ws-uai", ResourceGroupName = EmulatorState.DefaultResourceGroup, ClusterResourceId = ArmTestConnections.ArcId }, host);

        Assert.Empty(host.Errors);
        var results = host.Output.Cast<AzMLRoleAssignment>().ToArray();
        Assert.Equal(
            new[]
            {
                (BuiltInRole.Reader.Name, ArmTestConnections.ArcId),
                (BuiltInRole.KubernetesExtensionContributor.Name, ArmTestConnections.ArcId),
                (BuiltInRole.AksClusterAdmin.Name, ArmTestConnections.ArcId),
                (BuiltInRole.AzureRelayOwner.Name, RelayId),
                (BuiltInRole.AzureServiceBusDataOwner.Name, ServiceBusId),
            },
            results.Select(r => (r.RoleDefinitionName, r.Scope)));
        Assert.DoesNotContain(Server.State.RoleAssignments, a => a.Scope.Contains("other-team-relay", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_Arc_extension_that_points_at_its_relay_gets_relay_owner_there_whatever_its_name()
    {
        var relay = $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.Relay/namespaces/team-relay-01";
        var connection = ArmTestConnections.Connect(Server);
        await connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.ArcId, "azureml",
            ExtensionOperationsTests.AzureML(("enableTraining", "true"), ("relayserver.hybridConnectionResourceID", relay + "/hybridConnections/arc-demo")), default);
        Seed(relay, "Microsoft.Relay/namespaces");
        Seed(RelayId, "Microsoft.Relay/namespaces");
        var host = RoleTestWorld.Host(Server);

        CmdletRunner.Run(new GrantAzMLWorkspaceIdentityRoleCommand { WorkspaceResourceId = ArmTestConnections.UaiWorkspaceId, ClusterResourceId = ArmTestConnections.ArcId }, host);

        var relayGrant = Assert.Single(host.Output.Cast<AzMLRoleAssignment>(), r => r.RoleDefinitionId == BuiltInRole.AzureRelayOwner.Id);
        Assert.Equal(relay, relayGrant.Scope);
    }

    [Fact]
    public void An_Arc_cluster_without_a_relay_yet_is_told_to_install_the_extension_first()
    {
        var host = RoleTestWorld.Host(Server);

        CmdletRunner.Run(new GrantAzMLWorkspaceIdentityRoleCommand { WorkspaceResourceId = ArmTestConnections.UaiWorkspaceId, ClusterResourceId = ArmTestConnections.ArcId }, host);

        Assert.Empty(host.Errors);
        Assert.Equal(3, host.Output.Count);
        var warning = Assert.Single(host.Warnings);
        Assert.Contains("Azure Relay Owner", warning);
        Assert.Contains("New-AzMLK8sExtension", warning);
    }

    [Fact]
    public void WhatIf_lists_every_role_and_scope_and_grants_nothing()
    {
        var host = RoleTestWorld.Host(Server);
        host.ShouldProcessAnswer = (_, _) => false;

        CmdletRunner.Run(new GrantAzMLWorkspaceIdentityRoleCommand { WorkspaceName = "ws-uai", ResourceGroupName = EmulatorState.DefaultResourceGroup, ClusterResourceId = ArmTestConnections.AksId }.WithSwitch("TrustedAccess"), host);

        Assert.Equal(4, host.ShouldProcessCalls.Count);
        Assert.Contains(host.ShouldProcessCalls, c => c.Action.Contains(BuiltInRole.AksContributor.Name, StringComparison.Ordinal));
        Assert.All(host.ShouldProcessCalls, c => Assert.Contains("id-demo", c.Action));
        Assert.Empty(host.Output);
        Assert.Equal(0, Server.State.Requests.Count("PUT", "RoleAssignments_Create"));
    }

    [Fact]
    public void A_system_assigned_workspace_needs_nothing_and_is_told_so()
    {
        var host = RoleTestWorld.Host(Server);

        CmdletRunner.Run(new GrantAzMLWorkspaceIdentityRoleCommand { WorkspaceName = "ws-demo", ResourceGroupName = EmulatorState.DefaultResourceGroup, ClusterResourceId = ArmTestConnections.AksId }, host);

        Assert.Empty(host.Output);
        Assert.Empty(host.Errors);
        Assert.Contains("system-assigned", Assert.Single(host.Warnings));
        Assert.Equal(0, Server.State.Requests.Count("PUT", "RoleAssignments_Create"));
    }

    [Fact]
    public void Bad_ids_and_a_missing_workspace_are_named_errors_and_bad_ids_send_nothing()
    {
        var host = RoleTestWorld.Host(Server);
        Server.State.Requests.Clear();

        CmdletRunner.Run(new GrantAzMLWorkspaceIdentityRoleCommand { WorkspaceName = "ws-uai", ResourceGroupName = "rg-demo", ClusterResourceId = ArmTestConnections.WorkspaceId }, host);
        CmdletRunner.Run(new GrantAzMLWorkspaceIdentityRoleCommand { WorkspaceResourceId = ArmTestConnections.AksId, ClusterResourceId = ArmTestConnections.AksId }, host);
        Assert.Empty(Server.State.Requests.Entries);
        CmdletRunner.Run(new GrantAzMLWorkspaceIdentityRoleCommand { WorkspaceName = "nope", ResourceGroupName = "rg-demo", ClusterResourceId = ArmTestConnections.AksId }, host);

        Assert.Equal(new[] { "InvalidClusterResourceId", "InvalidWorkspaceResourceId", "WorkspaceNotFound" }, host.Errors.Select(e => e.ErrorId));
    }

    private void Seed(string id, string type) => Server.State.Resources.Put(id, new JsonObject
    {
        ["id"] = id,
        ["name"] = id[(id.LastIndexOf('/') + 1)..],
        ["type"] = type,
        ["location"] = EmulatorState.DefaultLocation,
        ["properties"] = new JsonObject(),
    });
}
