using AzMLK8s.Cmdlets.Roles;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Operations.Roles;
using AzMLK8s.Model.Computes;
using AzMLK8s.Model.Roles;
using AzMLK8s.Tests.Azure;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.RoleCmdlets;

/// <summary>Grant- and Revoke-AzMLComputeRole through the cmdlet runner against the emulator.</summary>
public sealed class ComputeRoleCmdletTests : EmulatorPerTest
{
    [Fact]
    public async Task Granting_twice_leaves_one_assignment_and_the_second_run_reports_it_as_Existing()
    {
        var compute = await RoleTestWorld.AttachAsync(Server, "k8s-compute");
        var host = RoleTestWorld.Host(Server);

        CmdletRunner.Run(new GrantAzMLComputeRoleCommand { Role = "AcrPull", ContainerRegistry = RoleTestWorld.RegistryName }, host, compute);
        CmdletRunner.Run(new GrantAzMLComputeRoleCommand { Role = "AcrPull", ContainerRegistry = RoleTestWorld.RegistryName }, host, compute);

        Assert.Empty(host.Errors);
        var results = host.Output.Cast<AzMLRoleAssignment>().ToArray();
        Assert.Equal(new[] { "Created", "Existing" }, results.Select(r => r.Status));
        Assert.Equal(results[0].Name, results[1].Name);
        Assert.Equal(RoleTestWorld.RegistryId, results[0].Scope);
        Assert.Equal(BuiltInRole.AcrPull.Id, results[0].RoleDefinitionId);
        Assert.Equal("AcrPull", results[0].RoleDefinitionName);
        Assert.Equal(compute.PrincipalId, results[0].PrincipalId);
        Assert.Equal("ServicePrincipal", results[0].PrincipalType);
        var stored = Assert.Single(Server.State.RoleAssignments, a => a.PrincipalId == compute.PrincipalId);
        Assert.Equal("ServicePrincipal", stored.PrincipalType);
        Assert.Equal(RoleAssignmentName.For(RoleTestWorld.RegistryId, compute.PrincipalId!, BuiltInRole.AcrPull.Id), stored.Name);
        Assert.Equal(1, Server.State.Requests.Count("PUT", "RoleAssignments_Create"));
    }

    [Fact]
    public async Task An_assignment_made_elsewhere_under_another_name_is_success_with_status_Existing()
    {
        var compute = await RoleTestWorld.AttachAsync(Server, "k8s-compute");
        var connection = ArmTestConnections.Connect(Server);
        var otherName = Guid.NewGuid().ToString();
        await connection.RoleAssignments.CreateAsync(RoleTestWorld.StorageId, otherName,
            AzMLK8s.Engine.Azure.Resources.RoleAssignmentOperations.RoleDefinitionId(ArmTestConnections.Subscription, BuiltInRole.StorageBlobDataReader.Id), compute.PrincipalId!, "ServicePrincipal", null, default);
        var host = RoleTestWorld.Host(Server);

        CmdletRunner.Run(new GrantAzMLComputeRoleCommand { Role = "StorageBlobDataReader", StorageAccount = "stdemo" }, host, compute);

        var result = Assert.IsType<AzMLRoleAssignment>(Assert.Single(host.Output));
        Assert.Equal("Existing", result.Status);
        Assert.Equal(otherName, result.Name);
        Assert.Equal("Storage Blob Data Reader", result.RoleDefinitionName);
        Assert.Single(Server.State.RoleAssignments, a => a.PrincipalId == compute.PrincipalId);
    }

    [Fact]
    public async Task An_assignment_made_elsewhere_moments_ago_that_lists_do_not_show_yet_is_Existing_not_an_error()
    {
        var compute = await RoleTestWorld.AttachAsync(Server, "k8s-compute");
        var otherName = Guid.NewGuid().ToString();
        await ArmTestConnections.Connect(Server).RoleAssignments.CreateAsync(RoleTestWorld.RegistryId, otherName,
            AzMLK8s.Engine.Azure.Resources.RoleAssignmentOperations.RoleDefinitionId(ArmTestConnections.Subscription, BuiltInRole.AcrPull.Id), compute.PrincipalId!, "ServicePrincipal", null, default);
        Server.State.Options.RoleAssignmentListDelay = TimeSpan.FromMinutes(5);
        var host = RoleTestWorld.Host(Server);
        Server.State.Requests.Clear();

        CmdletRunner.Run(new GrantAzMLComputeRoleCommand { Role = "AcrPull", ContainerRegistry = RoleTestWorld.RegistryName }, host, compute);

        Assert.Empty(host.Errors);
        var result = Assert.IsType<AzMLRoleAssignment>(Assert.Single(host.Output));
        Assert.Equal("Existing", result.Status);
        Assert.Equal(otherName, result.Name);
        Assert.Equal(RoleTestWorld.RegistryId, result.Scope);
        Assert.Single(Server.State.Requests.Entries, e => e.Route == "RoleAssignments_Create" && e.Status == 409);
        Assert.Single(Server.State.RoleAssignments, a => a.PrincipalId == compute.PrincipalId);
    }

    [Fact]
    public async Task The_attach_output_chains_into_Grant_by_value_and_an_object_with_the_names_binds_by_property()
    {
        // What Connect-AzMLK8sCompute ... | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo runs.
        var attached = await RoleTestWorld.AttachAsync(Server, "chained");
        var byName = new { WorkspaceName = "ws-demo", ResourceGroupName = EmulatorState.DefaultResourceGroup, Name = "chained" };
        var host = RoleTestWorld.Host(Server);
        var byValue = new GrantAzMLComputeRoleCommand { Role = "AcrPull", ContainerRegistry = "acrdemo" };
        var byProperty = new GrantAzMLComputeRoleCommand { Role = "StorageBlobDataReader", StorageAccount = "stdemo" };

        CmdletRunner.Run(byValue, host, attached);
        CmdletRunner.Run(byProperty, host, byName);

        Assert.Same(attached, byValue.InputObject);
        Assert.Equal("chained", byProperty.ComputeName);
        Assert.Empty(host.Errors);
        Assert.Equal(new[] { RoleTestWorld.RegistryId, RoleTestWorld.StorageId }, host.Output.Cast<AzMLRoleAssignment>().Select(a => a.Scope));
        Assert.All(host.Output.Cast<AzMLRoleAssignment>(), a => Assert.Equal(attached.PrincipalId, a.PrincipalId));
    }

    [Fact]
    public async Task By_workspace_and_compute_name_with_a_blob_container_scope()
    {
        var compute = await RoleTestWorld.AttachAsync(Server, "named");
        var host = RoleTestWorld.Host(Server);

        CmdletRunner.Run(new GrantAzMLComputeRoleCommand
        {
            WorkspaceName = "ws-demo",
            ResourceGroupName = EmulatorState.DefaultResourceGroup,
            ComputeName = "named",
            Role = "Storage Blob Data Contributor",
            StorageAccount = "stdemo",
            Container = "training-data",
        }, host);

        var result = Assert.IsType<AzMLRoleAssignment>(Assert.Single(host.Output));
        Assert.Equal($"{RoleTestWorld.StorageId}/blobServices/default/containers/training-data", result.Scope);
        Assert.Equal(BuiltInRole.StorageBlobDataContributor.Id, result.RoleDefinitionId);
        Assert.Equal(compute.PrincipalId, result.PrincipalId);
    }

    [Fact]
    public async Task A_user_assigned_compute_identity_gets_the_role_and_a_role_by_display_name_is_looked_up_in_Azure()
    {
        var compute = await RoleTestWorld.AttachAsync(Server, "uai-compute", "UserAssigned");
        var host = RoleTestWorld.Host(Server);

        CmdletRunner.Run(new GrantAzMLComputeRoleCommand { Role = "Contributor", Scope = RoleTestWorld.RegistryId }, host, compute);

        var result = Assert.IsType<AzMLRoleAssignment>(Assert.Single(host.Output));
        Assert.Equal(ArmSeed.IdentityPrincipalId, result.PrincipalId);
        Assert.Equal("Contributor", result.RoleDefinitionName);
        Assert.Equal(BuiltInRoles.ByName["Contributor"], result.RoleDefinitionId);
        Assert.Equal(1, Server.State.Requests.Count("GET", "RoleDefinitions_List"));
    }

    [Fact]
    public async Task A_new_principal_is_retried_until_it_has_replicated_with_progress_and_verbose()
    {
        Server.State.Options.PrincipalReplicationDelay = TimeSpan.FromMilliseconds(400);
        var compute = await RoleTestWorld.AttachAsync(Server, "fresh");
        var host = RoleTestWorld.Host(Server);
        var cmdlet = new GrantAzMLComputeRoleCommand { Role = "AcrPull", ContainerRegistry = RoleTestWorld.RegistryName };
        cmdlet.RetryOptions = new RoleAssignmentRetryOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromMinutes(1) };

        CmdletRunner.Run(cmdlet, host, compute);

        Assert.Empty(host.Errors);
        Assert.Equal("Created", Assert.IsType<AzMLRoleAssignment>(Assert.Single(host.Output)).Status);
        Assert.True(Server.State.Requests.Count("PUT", "RoleAssignments_Create") > 1);
        Assert.Contains(host.Verbose, v => v.Contains("not replicated yet", StringComparison.Ordinal));
        Assert.Contains(host.Progress, p => p.Completed);
    }

    [Fact]
    public async Task A_principal_that_never_replicates_fails_after_the_limit_with_the_next_step()
    {
        Server.State.Options.PrincipalReplicationDelay = TimeSpan.FromHours(1);
        var compute = await RoleTestWorld.AttachAsync(Server, "stuck");
        var host = RoleTestWorld.Host(Server);
        var cmdlet = new GrantAzMLComputeRoleCommand { Role = "AcrPull", ContainerRegistry = RoleTestWorld.RegistryName };
        cmdlet.RetryOptions = new RoleAssignmentRetryOptions { InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(40), Timeout = TimeSpan.FromMilliseconds(200) };

        CmdletRunner.Run(cmdlet, host, compute);

        var error = Assert.Single(host.Errors);
        Assert.Equal("PrincipalNotReplicated", error.ErrorId);
        Assert.Contains("Run the same command again", error.RecommendedAction);
        Assert.Empty(host.Output);
        Assert.DoesNotContain(Server.State.RoleAssignments, a => a.PrincipalId == compute.PrincipalId);
    }

    [Fact]
    public async Task Revoking_twice_removes_once_and_then_says_there_is_nothing_to_remove()
    {
        var compute = await RoleTestWorld.AttachAsync(Server, "k8s-compute");
        var host = RoleTestWorld.Host(Server);
        CmdletRunner.Run(new GrantAzMLComputeRoleCommand { Role = "AcrPull", ContainerRegistry = RoleTestWorld.RegistryName }, host, compute);

        var revokeHost = RoleTestWorld.Host(Server);
        CmdletRunner.Run(new RevokeAzMLComputeRoleCommand { Role = "AcrPull", ContainerRegistry = RoleTestWorld.RegistryName }, revokeHost, compute);
        CmdletRunner.Run(new RevokeAzMLComputeRoleCommand { Role = "AcrPull", ContainerRegistry = RoleTestWorld.RegistryName }, revokeHost, compute);

        Assert.Empty(revokeHost.Errors);
        Assert.Equal("Removed", Assert.IsType<AzMLRoleAssignment>(Assert.Single(revokeHost.Output)).Status);
        Assert.Contains(revokeHost.Verbose, v => v.Contains("nothing to remove", StringComparison.Ordinal));
        Assert.DoesNotContain(Server.State.RoleAssignments, a => a.PrincipalId == compute.PrincipalId);
    }

    [Fact]
    public async Task Grant_output_pipes_into_Revoke_and_a_second_removal_is_not_an_error()
    {
        var compute = await RoleTestWorld.AttachAsync(Server, "k8s-compute");
        var host = RoleTestWorld.Host(Server);
        CmdletRunner.Run(new GrantAzMLComputeRoleCommand { Role = "AcrPull", ContainerRegistry = RoleTestWorld.RegistryName }, host, compute);
        var granted = (AzMLRoleAssignment)Assert.Single(host.Output);

        var revokeHost = RoleTestWorld.Host(Server);
        CmdletRunner.Run(new RevokeAzMLComputeRoleCommand(), revokeHost, granted);
        CmdletRunner.Run(new RevokeAzMLComputeRoleCommand(), revokeHost, granted);

        Assert.Empty(revokeHost.Errors);
        Assert.Equal("Removed", ((AzMLRoleAssignment)Assert.Single(revokeHost.Output)).Status);
        Assert.Contains(revokeHost.Verbose, v => v.Contains("does not exist", StringComparison.Ordinal));
        Assert.DoesNotContain(Server.State.RoleAssignments, a => a.PrincipalId == compute.PrincipalId);
    }

    [Fact]
    public async Task WhatIf_names_the_scope_and_the_identity_and_writes_nothing()
    {
        var compute = await RoleTestWorld.AttachAsync(Server, "k8s-compute");
        var host = RoleTestWorld.Host(Server);
        host.ShouldProcessAnswer = (_, _) => false;
        Server.State.Requests.Clear();

        CmdletRunner.Run(new GrantAzMLComputeRoleCommand { Role = "AcrPull", ContainerRegistry = RoleTestWorld.RegistryName }, host, compute);

        var (target, action) = Assert.Single(host.ShouldProcessCalls);
        Assert.Equal(RoleTestWorld.RegistryId, target);
        Assert.Contains("AcrPull", action);
        Assert.Contains(compute.PrincipalId!, action);
        Assert.Equal(0, Server.State.Requests.Count("PUT", "RoleAssignments_Create"));
        Assert.Empty(host.Output);
    }

    public static TheoryData<string, GrantAzMLComputeRoleCommand> BadScopes => new()
    {
        { "RoleScopeMissing", new GrantAzMLComputeRoleCommand { Role = "AcrPull" } },
        { "RoleScopeAmbiguous", new GrantAzMLComputeRoleCommand { Role = "AcrPull", ContainerRegistry = "acrdemo", StorageAccount = "stdemo" } },
        { "RoleScopeContainerWithoutStorageAccount", new GrantAzMLComputeRoleCommand { Role = "AcrPull", Scope = "/subscriptions/x/resourceGroups/y", Container = "c" } },
        { "InvalidRoleScope", new GrantAzMLComputeRoleCommand { Role = "AcrPull", Scope = "acrdemo" } },
    };

    [Theory]
    [MemberData(nameof(BadScopes))]
    public void Bad_scope_input_is_refused_before_any_request(string errorId, GrantAzMLComputeRoleCommand cmdlet)
    {
        var host = RoleTestWorld.Host(Server);
        Server.State.Requests.Clear();

        CmdletRunner.Run(cmdlet, host, SampleCompute());

        Assert.Equal(errorId, Assert.Single(host.Errors).ErrorId);
        Assert.Empty(Server.State.Requests.Entries);
    }

    [Fact]
    public async Task Unknown_registry_role_and_compute_are_named_errors()
    {
        var compute = await RoleTestWorld.AttachAsync(Server, "k8s-compute");
        var host = RoleTestWorld.Host(Server);

        CmdletRunner.Run(new GrantAzMLComputeRoleCommand { Role = "AcrPull", ContainerRegistry = "nosuchacr" }, host, compute);
        CmdletRunner.Run(new GrantAzMLComputeRoleCommand { Role = "Made Up Role", ContainerRegistry = "acrdemo" }, host, compute);
        CmdletRunner.Run(new GrantAzMLComputeRoleCommand { WorkspaceName = "ws-demo", ResourceGroupName = "rg-demo", ComputeName = "missing", Role = "AcrPull", ContainerRegistry = "acrdemo" }, host);
        CmdletRunner.Run(new GrantAzMLComputeRoleCommand { Role = "AcrPull", ContainerRegistry = "acrdemo" }, host, SampleCompute());

        Assert.Equal(new[] { "RoleScopeNotFound", "RoleNotFound", "ComputeNotFound", "ComputeHasNoIdentity" }, host.Errors.Select(e => e.ErrorId));
        Assert.All(host.Errors, e => Assert.False(string.IsNullOrEmpty(e.RecommendedAction)));
        Assert.Equal(0, Server.State.Requests.Count("PUT", "RoleAssignments_Create"));
    }

    [Fact]
    public void Tab_completion_offers_the_compute_roles()
    {
        var completions = ComputeRoleCompleter.Complete("'Storage");

        Assert.Equal(new[] { "StorageBlobDataReader", "StorageBlobDataContributor" }, completions.Select(c => c.Value));
        Assert.All(ComputeRoleCompleter.Complete(string.Empty), c => Assert.NotNull(BuiltInRole.Find(c.Value)));
    }

    private static AzMLK8sCompute SampleCompute() => new()
    {
        Name = "no-identity",
        ResourceId = $"{ArmTestConnections.WorkspaceId}/computes/no-identity",
        WorkspaceName = "ws-demo",
        WorkspaceResourceId = ArmTestConnections.WorkspaceId,
        ResourceGroupName = EmulatorState.DefaultResourceGroup,
        SubscriptionId = ArmTestConnections.Subscription,
    };
}
