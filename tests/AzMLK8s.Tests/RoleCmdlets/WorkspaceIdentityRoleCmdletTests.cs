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
    private static readonly string RelayId = $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.Relay/namespaces/arc-demo-relay";
    private static readonly string ServiceBusId = $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.ServiceBus/namespaces/arc-demo-bus";

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
    public async Task An_Arc_cluster_adds_the_relay_and_the_service_bus_of_its_resource_group()
    {
        var connection = ArmTestConnections.Connect(Server);
        await connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.ArcId, "azureml",
            ExtensionOperationsTests.AzureML(("enableTraining", "true"), ("servicebus.enabled", "true")), default);
        Seed(RelayId, "Microsoft.Relay/namespaces");
        Seed(ServiceBusId, "Microsoft.ServiceBus/namespaces");
        var host = RoleTestWorld.Host(Server);

        CmdletRunner.Run(new GrantAzMLWorkspaceIdentityRoleCommand { WorkspaceName = "ws-uai", ResourceGroupName = EmulatorState.DefaultResourceGroup, ClusterResourceId = ArmTestConnections.ArcId }, host);

        Assert.Empty(host.Errors);
        var results = host.Output.Cast<AzMLRoleAssignment>().ToArray();
        Assert.Contains(results, r => r.RoleDefinitionId == BuiltInRole.AzureRelayOwner.Id && r.Scope == RelayId);
        Assert.Contains(results, r => r.RoleDefinitionId == BuiltInRole.AzureServiceBusDataOwner.Id && r.Scope == ServiceBusId);
        Assert.DoesNotContain(results, r => r.RoleDefinitionId == BuiltInRole.AksClusterAdmin.Id);
        Assert.Equal(4, results.Length);
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
