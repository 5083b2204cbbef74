using System.Diagnostics;
using System.Management.Automation;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.PowerShellHost.Tests.Infrastructure;

namespace AzMLK8s.PowerShellHost.Tests;

/// <summary>Ctrl+C (PowerShell.Stop) during waits, and questions answered through the host, in a real runspace.</summary>
public sealed class StopAndPromptTests : SessionPerTest
{
    // Operations never finish on their own: the wait lasts until the test stops it.
    protected override EmulatorOptions Options()
    {
        var options = EmulatorFixture.FastOptions();
        options.OperationDuration = Timeout.InfiniteTimeSpan;
        return options;
    }

    [Fact]
    public async Task Stop_during_the_install_wait_ends_within_a_second_and_leaves_the_accepted_install_to_Azure()
    {
        using var running = Session.Start("New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining", ("aks", AksId));
        await Until(() => State.Requests.Count("PUT", "Extensions_Create") == 1, "the install was sent");

        var stopwatch = Stopwatch.StartNew();
        running.Stop();
        var result = await running.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {stopwatch.Elapsed.TotalMilliseconds:F0} ms.");
        Assert.Equal(PSInvocationState.Stopped, running.State.State);
        Assert.IsType<PipelineStoppedException>(result.Terminated);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Equal(1, State.Requests.Count("PUT", "Extensions_Create"));
        Assert.Equal(0, State.Requests.Count("DELETE", "Extensions_Delete"));
    }

    [Fact]
    public async Task Stop_while_a_second_call_waits_on_the_same_install_does_not_send_anything_more()
    {
        using var first = Session.Start("New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining -NoWait", ("aks", AksId));
        var accepted = await first.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(accepted.Errors);

        using var second = Session.Start("New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining", ("aks", AksId));
        await Until(() => State.Requests.Count("GET", "Extensions_Get") >= 2, "the second call read the running install");
        second.Stop();
        var result = await second.Completion.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.IsType<PipelineStoppedException>(result.Terminated);
        Assert.Equal(1, State.Requests.Count("PUT", "Extensions_Create"));
    }

    [Fact]
    public async Task A_Remove_answered_No_at_its_confirmation_sends_no_delete()
    {
        using var install = Session.Start("New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining", ("aks", AksId));
        await Until(() => State.Requests.Count("PUT", "Extensions_Create") == 1, "the install was sent");
        State.CompleteOperations();
        (await install.Completion.WaitAsync(TimeSpan.FromSeconds(30))).ThrowIfFailed();
        Session.Host.Answers.Enqueue("No");

        var result = Session.Run("Remove-AzMLK8sExtension -ClusterResourceId $aks", ("aks", AksId));

        Assert.Single(Session.Host.Prompts);
        Assert.Empty(result.Errors);
        Assert.Equal(0, State.Requests.Count("DELETE", "Extensions_Delete"));
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        while (!condition())
        {
            Assert.False(guard.IsCancellationRequested, $"Gave up waiting until {what}.");
            await Task.Delay(10);
        }
    }
}
