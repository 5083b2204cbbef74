using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Resources;
using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Model;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Azure;

/// <summary>Compute attach/detach and role assignments through the engine against the emulator.</summary>
public sealed class ComputeAndRoleOperationsTests : EmulatorPerTest
{
    [Fact]
    public async Task Attaching_a_cluster_with_the_extension_succeeds_with_a_system_assigned_principal()
    {
        var connection = ArmTestConnections.Connect(Server);
        await connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml", ExtensionOperationsTests.AzureML(("enableTraining", "true")), default);

        var compute = await connection.Computes.CreateOrUpdateAsync(ArmTestConnections.WorkspaceId, "k8s-compute", KubernetesCompute(ArmTestConnections.AksId, "SystemAssigned"), default);

        Assert.Equal("Succeeded", compute.Properties.ProvisioningState);
        Assert.True(compute.Properties.IsAttachedCompute);
        Assert.Equal("eastus", compute.Location);
        Assert.True(Guid.TryParse(compute.Identity?.PrincipalId, out _));
        Assert.Equal("team-a", compute.Properties.Properties?.Namespace);
        var listed = await connection.Computes.ListAsync(ArmTestConnections.WorkspaceId, default);
        Assert.Equal(new[] { "k8s-compute" }, listed.Select(c => c.Name));
    }

    [Fact]
    public async Task A_user_assigned_identity_brings_its_own_principal()
    {
        var connection = ArmTestConnections.Connect(Server);
        await connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml", ExtensionOperationsTests.AzureML(("enableTraining", "true")), default);
        var body = KubernetesCompute(ArmTestConnections.AksId, "UserAssigned");
        body.Identity!.UserAssignedIdentities = new() { [ArmTestConnections.IdentityId] = new ArmUserAssignedIdentityReference() };
        ArmTestConnections.GrantWorkspaceIdentityAksRoles(Server, ArmTestConnections.AksId);

        var compute = await connection.Computes.CreateOrUpdateAsync(ArmTestConnections.UaiWorkspaceId, "uai-compute", body, default);
        var identity = await connection.Identities.GetUserAssignedAsync(ArmTestConnections.IdentityId, default);

        Assert.Equal(ArmSeed.IdentityPrincipalId, compute.Identity?.UserAssignedIdentities?[ArmTestConnections.IdentityId].PrincipalId);
        Assert.Equal(ArmSeed.IdentityClientId, identity?.Properties.ClientId);
    }

    [Theory]
    [InlineData(new string[0], "extension not installed")]
    [InlineData(new[] { "Reader", "Kubernetes Extension Contributor" }, "internal server error")]
    public async Task A_user_assigned_workspace_identity_without_its_roles_fails_the_attach_late_as_the_service_does(string[] roles, string expected)
    {
        var connection = ArmTestConnections.Connect(Server);
        await connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml", ExtensionOperationsTests.AzureML(("enableTraining", "true")), default);
        foreach (var role in roles)
        {
            await connection.RoleAssignments.CreateAsync(ArmTestConnections.AksId, Guid.NewGuid().ToString(),
                RoleAssignmentOperations.RoleDefinitionId(ArmTestConnections.Subscription, BuiltInRoles.ByName[role]), ArmSeed.IdentityPrincipalId, "ServicePrincipal", null, default);
        }

        var body = KubernetesCompute(ArmTestConnections.AksId, "SystemAssigned");
        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() =>
            connection.Computes.CreateOrUpdateAsync(ArmTestConnections.UaiWorkspaceId, "uai-compute", body, default))).Error;

        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Failed", (await connection.Computes.GetAsync(ArmTestConnections.UaiWorkspaceId, "uai-compute", default))?.Properties.ProvisioningState);
    }

    [Fact]
    public async Task Attaching_a_cluster_without_the_extension_fails_with_the_provisioning_error()
    {
        var connection = ArmTestConnections.Connect(Server);

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() =>
            connection.Computes.CreateOrUpdateAsync(ArmTestConnections.WorkspaceId, "k8s-compute", KubernetesCompute(ArmTestConnections.ArcId, null), default))).Error;

        Assert.StartsWith("Arm.", error.ErrorId);
        Assert.Contains("extension not installed", error.Message);
        var stored = await connection.Computes.GetAsync(ArmTestConnections.WorkspaceId, "k8s-compute", default);
        Assert.Equal("Failed", stored?.Properties.ProvisioningState);
        Assert.NotEmpty(stored!.Properties.ProvisioningErrors!);
    }

    [Fact]
    public async Task Detach_requires_the_underlying_resource_action_and_removes_the_compute()
    {
        var connection = ArmTestConnections.Connect(Server);
        await connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml", ExtensionOperationsTests.AzureML(("enableTraining", "true")), default);
        await connection.Computes.CreateOrUpdateAsync(ArmTestConnections.WorkspaceId, "k8s-compute", KubernetesCompute(ArmTestConnections.AksId, null), default);
        var computeId = ComputeOperations.ComputeId(ArmTestConnections.WorkspaceId, "k8s-compute");

        var withoutAction = (await Assert.ThrowsAsync<ModuleErrorException>(() => connection.SendAsync(ArmRequest.Delete(computeId, ArmApiVersions.MachineLearning), default))).Error;
        var detached = await connection.Computes.DeleteAsync(ArmTestConnections.WorkspaceId, "k8s-compute", ComputeDeleteAction.Detach, default);
        var again = await connection.Computes.DeleteAsync(ArmTestConnections.WorkspaceId, "k8s-compute", ComputeDeleteAction.Detach, default);

        Assert.Equal(ErrorKind.InvalidArgument, withoutAction.Category);
        Assert.Contains("underlyingResourceAction", withoutAction.Message);
        Assert.True(detached);
        Assert.False(again);
        Assert.Null(await connection.Computes.GetAsync(ArmTestConnections.WorkspaceId, "k8s-compute", default));
        Assert.NotNull(Server.State.FindCluster(ArmTestConnections.AksId));
    }

    [Fact]
    public async Task A_role_assignment_is_created_once_and_a_duplicate_under_another_name_is_ResourceExists()
    {
        var connection = ArmTestConnections.Connect(Server);
        var principal = Guid.NewGuid().ToString();
        var name = Guid.NewGuid().ToString();
        var role = RoleId("AcrPull");
        var registry = $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.ContainerRegistry/registries/acrdemo";

        var created = await connection.RoleAssignments.CreateAsync(registry, name, role, principal, "ServicePrincipal", "compute pulls images", default);
        var repeated = await connection.RoleAssignments.CreateAsync(registry, name, role, principal, "ServicePrincipal", "compute pulls images", default);
        var duplicate = (await Assert.ThrowsAsync<ModuleErrorException>(() =>
            connection.RoleAssignments.CreateAsync(registry, Guid.NewGuid().ToString(), role, principal, "ServicePrincipal", null, default))).Error;

        Assert.Equal(name, created.Name);
        Assert.Equal(registry, created.Properties.Scope);
        Assert.Equal(created.Id, repeated.Id);
        Assert.Equal("Arm.RoleAssignmentExists", duplicate.ErrorId);
        Assert.Equal(ErrorKind.ResourceExists, duplicate.Category);
        Assert.Contains("no change is needed", duplicate.RecommendedAction);
        var fetched = await connection.RoleAssignments.GetAsync(registry, name, default);
        Assert.Equal(principal, fetched?.Properties.PrincipalId);
    }

    [Fact]
    public async Task Listing_filters_by_principal_at_above_and_below_the_scope_and_atScope_keeps_at_or_above()
    {
        var connection = ArmTestConnections.Connect(Server);
        var principal = Guid.NewGuid().ToString();
        var other = Guid.NewGuid().ToString();
        var group = ArmTestConnections.ResourceGroupScope;
        var cluster = ArmTestConnections.AksId;
        await connection.RoleAssignments.CreateAsync(group, Guid.NewGuid().ToString(), RoleId("Reader"), principal, "ServicePrincipal", null, default);
        await connection.RoleAssignments.CreateAsync(cluster, Guid.NewGuid().ToString(), RoleId("Kubernetes Extension Contributor"), principal, "ServicePrincipal", null, default);
        await connection.RoleAssignments.CreateAsync(cluster, Guid.NewGuid().ToString(), RoleId("Reader"), other, "ServicePrincipal", null, default);

        var principalsFromGroup = await connection.RoleAssignments.ListForScopeAsync(group, principal, atScope: false, default);
        var atCluster = await connection.RoleAssignments.ListForScopeAsync(cluster, null, atScope: true, default);
        var atGroup = await connection.RoleAssignments.ListForScopeAsync(group, null, atScope: true, default);

        Assert.Equal(2, principalsFromGroup.Count);
        Assert.All(principalsFromGroup, a => Assert.Equal(principal, a.Properties.PrincipalId));
        Assert.Equal(3, atCluster.Count);
        Assert.Single(atGroup);
    }

    [Fact]
    public async Task Deleting_an_assignment_reports_whether_there_was_one()
    {
        var connection = ArmTestConnections.Connect(Server);
        var name = Guid.NewGuid().ToString();
        await connection.RoleAssignments.CreateAsync(ArmTestConnections.AksId, name, RoleId("Reader"), Guid.NewGuid().ToString(), "ServicePrincipal", null, default);

        Assert.True(await connection.RoleAssignments.DeleteAsync(ArmTestConnections.AksId, name, default));
        Assert.False(await connection.RoleAssignments.DeleteAsync(ArmTestConnections.AksId, name, default));
        Assert.Null(await connection.RoleAssignments.GetAsync(ArmTestConnections.AksId, name, default));
    }

    [Fact]
    public async Task A_role_is_found_by_its_name_and_an_unknown_name_is_null()
    {
        var connection = ArmTestConnections.Connect(Server);

        var role = await connection.RoleAssignments.FindRoleDefinitionAsync(ArmTestConnections.ResourceGroupScope, "Azure Kubernetes Service Cluster Admin Role", default);
        var missing = await connection.RoleAssignments.FindRoleDefinitionAsync(ArmTestConnections.ResourceGroupScope, "No Such Role", default);

        Assert.Equal("0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8", role?.Name);
        Assert.EndsWith("/roleDefinitions/0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8", role?.Id);
        Assert.Null(missing);
    }

    [Fact]
    public async Task A_new_identity_is_PrincipalNotFound_until_the_directory_has_replicated_it()
    {
        Server.State.Options.PrincipalReplicationDelay = TimeSpan.FromHours(1);
        var connection = ArmTestConnections.Connect(Server);
        await connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml", ExtensionOperationsTests.AzureML(("enableTraining", "true")), default);
        var compute = await connection.Computes.CreateOrUpdateAsync(ArmTestConnections.WorkspaceId, "k8s-compute", KubernetesCompute(ArmTestConnections.AksId, "SystemAssigned"), default);
        var principal = compute.Identity!.PrincipalId!;

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() =>
            connection.RoleAssignments.CreateAsync(ArmTestConnections.AksId, Guid.NewGuid().ToString(), RoleId("Reader"), principal, "ServicePrincipal", null, default))).Error;
        Server.State.Clock = () => DateTimeOffset.UtcNow.AddHours(2);
        var created = await connection.RoleAssignments.CreateAsync(ArmTestConnections.AksId, Guid.NewGuid().ToString(), RoleId("Reader"), principal, "ServicePrincipal", null, default);

        Assert.Equal("Arm.PrincipalNotFound", error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Category);
        Assert.Contains("Wait a minute", error.RecommendedAction);
        Assert.Equal(principal, created.Properties.PrincipalId);
    }

    internal static ComputeResource KubernetesCompute(string clusterId, string? identityType) => new()
    {
        Location = "westus",
        Identity = identityType is null ? null : new ArmIdentity { Type = identityType },
        Properties = new ComputeProperties
        {
            ComputeType = "Kubernetes",
            ResourceId = clusterId,
            Description = "attached by tests",
            Properties = new KubernetesComputeProperties { Namespace = "team-a" },
        },
    };

    private static string RoleId(string name) => RoleAssignmentOperations.RoleDefinitionId(EmulatorState.DefaultSubscriptionId, BuiltInRoles.ByName[name]);
}
