using System.Diagnostics;
using System.Management.Automation;

namespace AzMLK8s.PowerShellHost.Tests.Computes;

/// <summary>
/// The waits of Connect- and Disconnect-AzMLK8sCompute, with the emulator's operations held until the test completes
/// them: Ctrl+C (PowerShell.Stop) during a wait, a second call waiting on an attach already under way, progress, and
/// a provisioning that fails after the checks passed.
/// </summary>
public sealed class ComputeWaitTests : ComputeSessionTest
{
    private const string Connect = "Connect-AzMLK8sCompute -Name aks-compute -WorkspaceName ws-demo -ResourceGroupName rg-demo -ClusterResourceId $cluster";

    [Fact]
    public async Task Stop_during_the_attach_wait_ends_within_a_second_and_leaves_the_accepted_attach_to_Azure()
    {
        InstallAzureML(AksId);
        State.Options.OperationDuration = Timeout.InfiniteTimeSpan;
        using var running = Session.Start(Connect, ("cluster", AksId));
        await Until(() => Count("PUT", "Compute_CreateOrUpdate") == 1, "the attach was sent");

        var stopwatch = Stopwatch.StartNew();
        running.Stop();
        var result = await running.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {stopwatch.Elapsed.TotalMilliseconds:F0} ms.");
        Assert.Equal(PSInvocationState.Stopped, running.State.State);
        Assert.IsType<PipelineStoppedException>(result.Terminated);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Equal(1, Count("PUT", "Compute_CreateOrUpdate"));
        Assert.Equal(0, Count("DELETE", "Compute_Delete"));
        Assert.Equal("Creating", State.Resources.Get($"{WorkspaceId}/computes/aks-compute")!["properties"]!["provisioningState"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stop_during_the_detach_wait_ends_within_a_second_and_sends_nothing_more()
    {
        InstallAzureML(AksId);
        Attach("team-a", AksId);
        State.Options.OperationDuration = Timeout.InfiniteTimeSpan;
        State.Requests.Clear();
        using var running = Session.Start("Disconnect-AzMLK8sCompute team-a -WorkspaceName ws-demo -ResourceGroupName rg-demo -Confirm:$false");
        await Until(() => Count("DELETE", "Compute_Delete") == 1, "the detach was sent");

        var stopwatch = Stopwatch.StartNew();
        running.Stop();
        var result = await running.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {stopwatch.Elapsed.TotalMilliseconds:F0} ms.");
        Assert.IsType<PipelineStoppedException>(result.Terminated);
        Assert.Empty(result.Errors);
        Assert.Equal(1, Writes);
        State.CompleteOperations();
        Assert.Null(State.Resources.Get($"{WorkspaceId}/computes/team-a"));
    }

    [Fact]
    public async Task Running_the_attach_again_waits_for_the_attach_already_under_way_without_sending_it_again()
    {
        InstallAzureML(AksId);
        State.Options.OperationDuration = Timeout.InfiniteTimeSpan;
        var accepted = Session.Run(Connect + " -NoWait", ("cluster", AksId)).ThrowIfFailed();
        Assert.Equal("Creating", (string)((dynamic)Assert.Single(accepted.BaseObjects)).ProvisioningState);
        State.Requests.Clear();

        using var running = Session.Start(Connect, ("cluster", AksId));
        await Until(() => Count("GET", "Compute_Get") >= 2, "the second call read the compute again");
        var stillWaiting = running.State.State;
        State.CompleteOperations();
        var result = await running.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(PSInvocationState.Running, stillWaiting);
        Assert.Empty(result.Errors);
        Assert.Equal("Succeeded", (string)((dynamic)Assert.Single(result.BaseObjects)).ProvisioningState);
        Assert.Equal(0, Count("PUT", "Compute_CreateOrUpdate"));
    }

    [Fact]
    public void The_attach_wait_reports_progress_and_completes_it()
    {
        InstallAzureML(AksId);

        var result = Session.Run(Connect, ("cluster", AksId)).ThrowIfFailed();

        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
        Assert.Single(result.Output);
    }

    [Fact]
    public async Task A_provisioning_that_fails_after_the_checks_passed_is_an_error_with_its_cause_and_fix()
    {
        InstallAzureML(ArcId);
        State.Options.OperationDuration = Timeout.InfiniteTimeSpan;
        using var running = Session.Start(
            "Connect-AzMLK8sCompute -Name arc-compute -WorkspaceName ws-demo -ResourceGroupName rg-demo -ClusterResourceId $cluster",
            ("cluster", ArcId));
        await Until(() => Count("PUT", "Compute_CreateOrUpdate") == 1, "the attach was sent");

        // The extension goes away after the checks passed, so the service's attach fails.
        lock (State.Gate)
        {
            State.Extensions.Clear();
        }

        State.CompleteOperations();
        var result = await running.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        var error = Assert.Single(result.Errors);
        Assert.Equal("ComputeProvisioningFailed,AzMLK8s.Cmdlets.Computes.ConnectAzMLK8sComputeCommand", error.FullyQualifiedErrorId);
        Assert.Contains("extension not installed", error.ErrorDetails!.Message, StringComparison.Ordinal);
        Assert.Contains("Likely cause", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("Grant-AzMLWorkspaceIdentityRole -WorkspaceName 'ws-demo'", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }
}
