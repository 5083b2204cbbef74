using System.Diagnostics;
using System.Management.Automation;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.PowerShellHost.Tests.Computes;

/// <summary>
/// Grant-AzMLComputeRole for a compute whose new identity Microsoft Entra ID has not replicated yet: the emulator
/// answers PrincipalNotFound until its clock passes the replication delay, and the cmdlet retries (its first retry
/// comes after 5 s) or is stopped while it waits.
/// </summary>
public sealed class ComputeRoleReplicationTests : ComputeSessionTest
{
    private const string Grant = "Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo -Name fresh | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -Verbose";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        State.Options.PrincipalReplicationDelay = TimeSpan.FromHours(1);
        InstallAzureML(AksId);
        Attach("fresh", AksId);
        State.Requests.Clear();
    }

    [Fact]
    public async Task A_new_identity_is_retried_until_it_has_replicated_with_progress_and_verbose_and_the_role_is_Created()
    {
        using var running = Session.Start(Grant);
        await Until(() => State.Requests.Entries.Any(e => e.Route == "RoleAssignments_Create" && e.Status == 400), "the directory refused the new principal");

        // An hour and more passes in the emulator: the principal has replicated by the next attempt.
        State.Clock = () => DateTimeOffset.UtcNow.AddHours(2);
        var result = await running.Completion.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Empty(result.Errors);
        Assert.Equal("Created", (string)((dynamic)Assert.Single(result.BaseObjects)).Status);
        Assert.True(Count("PUT", "RoleAssignments_Create") > 1, "The assignment was not sent again.");
        Assert.Contains(result.Verbose, v => v.Message.Contains("not replicated yet", StringComparison.Ordinal));
        Assert.Contains(result.Progress, p => p.StatusDescription.Contains("replicate", StringComparison.Ordinal));
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
        Assert.Single(State.RoleAssignments, a => a.Scope.Equals(RegistryId, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Stop_while_waiting_for_the_identity_to_replicate_ends_within_a_second_and_assigns_nothing()
    {
        using var running = Session.Start(Grant);
        await Until(() => State.Requests.Entries.Any(e => e.Route == "RoleAssignments_Create" && e.Status == 400), "the directory refused the new principal");

        var stopwatch = Stopwatch.StartNew();
        running.Stop();
        var result = await running.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {stopwatch.Elapsed.TotalMilliseconds:F0} ms.");
        Assert.IsType<PipelineStoppedException>(result.Terminated);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Equal(1, Count("PUT", "RoleAssignments_Create"));
        Assert.DoesNotContain(State.RoleAssignments, a => a.Scope.Equals(RegistryId, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Stop_while_a_new_workspace_identity_waits_to_replicate_ends_within_a_second_and_assigns_nothing()
    {
        // The workspace's user-assigned identity was created moments ago.
        State.Directory.Register(ArmSeed.IdentityPrincipalId, DateTimeOffset.UtcNow.AddHours(1));
        using var running = Session.Start("Grant-AzMLWorkspaceIdentityRole -WorkspaceName ws-uai -ResourceGroupName rg-demo -ClusterResourceId $aks", ("aks", AksId));
        await Until(() => State.Requests.Entries.Any(e => e.Route == "RoleAssignments_Create" && e.Status == 400), "the directory refused the new identity");

        var stopwatch = Stopwatch.StartNew();
        running.Stop();
        var result = await running.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {stopwatch.Elapsed.TotalMilliseconds:F0} ms.");
        Assert.IsType<PipelineStoppedException>(result.Terminated);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.DoesNotContain(State.RoleAssignments, a => a.PrincipalId == ArmSeed.IdentityPrincipalId);
    }
}
