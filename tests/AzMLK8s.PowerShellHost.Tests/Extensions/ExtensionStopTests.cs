using System.Diagnostics;
using System.Management.Automation;
using AzMLK8s.Emulator.Hosting;

namespace AzMLK8s.PowerShellHost.Tests.Extensions;

/// <summary>
/// Ctrl+C (PowerShell.Stop) while the extension cmdlets wait: for an update, a removal, or Test -Wait. The pipeline
/// stops within a second, writes nothing more, and what Azure already accepted carries on there; nothing is sent
/// after the stop. Operations run until the test completes them.
/// </summary>
public sealed class ExtensionStopTests : ExtensionSessionTest
{
    protected override EmulatorOptions Options()
    {
        var options = base.Options();
        options.OperationDuration = Timeout.InfiniteTimeSpan;
        return options;
    }

    [Fact]
    public async Task Stop_during_the_update_wait_ends_within_a_second_and_the_accepted_update_finishes_in_Azure()
    {
        InstallAndComplete(AksId);
        using var running = Session.Start("Update-AzMLK8sExtension -ClusterResourceId $aks -InstallVolcano $false -Force", ("aks", AksId));
        await Until(() => Count("PATCH", "Extensions_Update") == 1, "the update was sent");

        var (elapsed, result) = await StopAsync(running);
        var arrivedWhenStopped = State.Requests.Arrived;
        State.CompleteOperations();
        await Task.Delay(300);

        AssertStopped(running, result, elapsed);
        Assert.Empty(WritesArrivedAfter(arrivedWhenStopped));
        Assert.Equal(1, Count("PATCH", "Extensions_Update"));
        Assert.Equal("Succeeded", Stored(AksId)!.ProvisioningState);
        Assert.Equal("false", Stored(AksId)!.ConfigurationSettings["installVolcano"]);
    }

    [Fact]
    public async Task Stop_during_the_removal_wait_ends_within_a_second_and_sends_nothing_more()
    {
        InstallAndComplete(ArcId);
        using var running = Session.Start("Remove-AzMLK8sExtension -ClusterResourceId $arc -Confirm:$false -PassThru", ("arc", ArcId));
        await Until(() => Count("DELETE", "Extensions_Delete") == 1, "the removal was sent");

        var (elapsed, result) = await StopAsync(running);
        var arrivedWhenStopped = State.Requests.Arrived;
        State.CompleteOperations();
        await Task.Delay(300);

        AssertStopped(running, result, elapsed);
        Assert.Empty(WritesArrivedAfter(arrivedWhenStopped));
        Assert.Equal(1, Count("DELETE", "Extensions_Delete"));
        Assert.Null(Stored(ArcId));
    }

    [Fact]
    public async Task Stop_during_Test_Wait_ends_within_a_second_between_two_checks()
    {
        InstallAndComplete(AksId);
        Kubernetes(AksId).Delete("apps/v1", "StatefulSet", "azureml", "frameworkcontroller");
        using var running = Session.Start("Test-AzMLK8sExtension -ClusterResourceId $aks -Wait -TimeoutSeconds 600 -IntervalSeconds 1", ("aks", AksId));
        await Until(() => Count("GET", "Extensions_Get") >= 2, "the extension was checked twice");

        var (elapsed, result) = await StopAsync(running);
        var arrivedWhenStopped = State.Requests.Arrived;
        await Task.Delay(1500);

        AssertStopped(running, result, elapsed);
        Assert.Empty(State.Requests.ArrivedAfter(arrivedWhenStopped).Select(e => $"{e.Method} {e.Path}"));
    }

    [Fact]
    public async Task Stop_during_the_install_wait_of_a_second_pipeline_input_stops_both_and_sends_nothing_more()
    {
        using var running = Session.Start("$aks, $arc | ForEach-Object { [pscustomobject]@{ ClusterResourceId = $_ } } | New-AzMLK8sExtension -EnableTraining -WarningAction SilentlyContinue", ("aks", AksId), ("arc", ArcId));
        await Until(() => Count("PUT", "Extensions_Create") == 2, "both installs were sent");

        var (elapsed, result) = await StopAsync(running);
        var arrivedWhenStopped = State.Requests.Arrived;
        State.CompleteOperations();
        await Task.Delay(300);

        AssertStopped(running, result, elapsed);
        Assert.Empty(WritesArrivedAfter(arrivedWhenStopped));
        Assert.Equal(2, Count("PUT", "Extensions_Create"));
    }

    private void InstallAndComplete(string clusterId)
    {
        Ok("$null = New-AzMLK8sExtension -ClusterResourceId $cluster -EnableTraining -NoWait -WarningAction SilentlyContinue", ("cluster", clusterId));
        State.CompleteOperations();
        Assert.Equal("Succeeded", Stored(clusterId)!.ProvisioningState);
    }

    private static async Task<(TimeSpan Elapsed, Infrastructure.ScriptResult Result)> StopAsync(Infrastructure.RunningScript running)
    {
        var stopwatch = Stopwatch.StartNew();
        running.Stop();
        var result = await running.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        stopwatch.Stop();
        return (stopwatch.Elapsed, result);
    }

    private static void AssertStopped(Infrastructure.RunningScript running, Infrastructure.ScriptResult result, TimeSpan elapsed)
    {
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"Stop took {elapsed.TotalMilliseconds:F0} ms.");
        Assert.Equal(PSInvocationState.Stopped, running.State.State);
        Assert.IsType<PipelineStoppedException>(result.Terminated);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
    }
}
