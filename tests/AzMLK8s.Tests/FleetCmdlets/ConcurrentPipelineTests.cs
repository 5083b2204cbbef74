using System.Text.RegularExpressions;
using AzMLK8s.Cmdlets;
using AzMLK8s.Cmdlets.Extensions;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Azure.Context;
using AzMLK8s.Harness;
using AzMLK8s.Model.Extensions;
using AzMLK8s.Tests.Azure;
using AzMLK8s.Tests.ExtensionCmdlets;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.FleetCmdlets;

/// <summary>
/// Many pipeline inputs through one cmdlet call: the inputs' long work overlaps, bounded by -ThrottleLimit. The
/// emulator's clock is frozen to hold every LRO in flight, so the tests observe the states in between without timing.
/// </summary>
public sealed class ConcurrentPipelineTests : ExtensionCmdletTestBase
{
    private DateTimeOffset? _frozenAt;

    private sealed record ClusterInput(string ClusterResourceId);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        State.Clock = () => _frozenAt ?? DateTimeOffset.UtcNow;
    }

    [Fact]
    public async Task Results_are_written_as_each_input_completes()
    {
        var clusters = FleetSeed.AddClusters(State, 4);
        InstallTraining(clusters[1]);
        InstallTraining(clusters[3]);
        FreezeClock();

        var (run, host, _) = Start(Training(), clusters);
        await Until(() => host.Output.Count == 2, "the already installed inputs were written");
        Assert.Equal(new[] { clusters[1], clusters[3] }, ClusterIdsOf(host).Order());

        ThawClock();
        await Finish(run);
        Assert.Empty(host.Errors);
        var written = ClusterIdsOf(host);
        Assert.Equal(new[] { clusters[1], clusters[3] }, written.Take(2).Order());
        Assert.Equal(clusters.Order(), written.Order());
    }

    [Fact]
    public async Task PreserveOrder_holds_results_until_the_earlier_inputs_are_written()
    {
        var clusters = FleetSeed.AddClusters(State, 4);
        InstallTraining(clusters[1]);
        InstallTraining(clusters[3]);
        FreezeClock();

        var (run, host, _) = Start(Training().WithSwitch(nameof(NewAzMLK8sExtensionCommand.PreserveOrder)), clusters);
        await Until(() => FleetStatuses(host).Any(s => s.StartsWith("2 of 4 done", StringComparison.Ordinal)), "two inputs completed");
        Assert.Empty(host.Output);

        ThawClock();
        await Finish(run);
        Assert.Empty(host.Errors);
        Assert.Equal(clusters, ClusterIdsOf(host));
    }

    [Fact]
    public async Task One_inputs_error_does_not_stop_the_others()
    {
        var clusters = FleetSeed.AddClusters(State, 4).ToList();
        var missing = clusters[0].Replace("fleet-000", "fleet-missing", StringComparison.Ordinal);
        clusters.Insert(1, missing);

        var (run, host, _) = Start(Training(), clusters);
        await Finish(run);

        var error = Assert.Single(host.Errors);
        Assert.Contains("fleet-missing", error.Message + error.TargetObject, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(clusters.Where(c => c != missing).Order(), ClusterIdsOf(host).Order());
        Assert.Equal(4, State.Extensions.Count);
        Assert.DoesNotContain(host.Calls, c => c.Kind == "TerminatingError");
    }

    [Fact]
    public async Task Each_input_is_asked_before_its_work_starts_on_the_pipeline_thread()
    {
        var clusters = FleetSeed.AddClusters(State, 4);
        var declined = clusters[2];
        var putsWhenAsked = new List<int>();
        var (run, host, pipelineThread) = Start(Training(), clusters, h => h.ShouldProcessAnswer = (target, _) =>
        {
            putsWhenAsked.Add(PutsTo(target));
            return target != declined;
        });
        await Finish(run);

        Assert.Empty(host.Errors);
        Assert.Equal(clusters, host.ShouldProcessCalls.Select(c => c.Target));
        Assert.All(putsWhenAsked, puts => Assert.Equal(0, puts));
        Assert.All(host.Calls.Where(c => c.Kind == "ShouldProcess"), c => Assert.Equal(pipelineThread.Result, c.ThreadId));
        Assert.Equal(0, PutsTo(declined));
        Assert.Equal(clusters.Where(c => c != declined).Order(), ClusterIdsOf(host).Order());
    }

    [Fact]
    public async Task Inputs_read_while_earlier_inputs_wait_for_their_answer_and_questions_keep_input_order()
    {
        var clusters = FleetSeed.AddClusters(State, 5);
        var othersReadWhileFirstWasAsked = false;

        // The first input's question is held until every other input has read its extension: with inputs that only
        // start once the earlier ones were answered, that never happens.
        var (run, host, _) = Start(Training(), clusters, h => h.ShouldProcessAnswer = (target, _) =>
        {
            if (target == clusters[0])
            {
                othersReadWhileFirstWasAsked = SpinWait.SpinUntil(() => clusters.Skip(1).All(c => ExtensionReadsOf(c) == 1), TimeSpan.FromSeconds(20));
            }

            return true;
        });
        await Finish(run);

        Assert.True(othersReadWhileFirstWasAsked);
        Assert.Empty(host.Errors);
        Assert.Equal(clusters, host.ShouldProcessCalls.Select(c => c.Target));
        Assert.All(clusters, c => Assert.Equal(1, PutsTo(c)));
    }

    [Fact]
    public async Task Ctrl_C_cancels_every_inputs_wait_without_errors()
    {
        var clusters = FleetSeed.AddClusters(State, 3);
        FreezeClock();

        var (run, host, _) = Start(Training(), clusters);
        await Until(() => clusters.All(c => PutsTo(c) == 1), "every input's create was sent");
        host.SignalStop();
        await Finish(run);

        Assert.Empty(host.Errors);
        Assert.Empty(host.Output);
        Assert.DoesNotContain(host.Calls, c => c.Kind == "TerminatingError");
    }

    [Fact]
    public async Task A_terminating_error_ends_the_call_and_cancels_the_other_inputs_waits()
    {
        var clusters = FleetSeed.AddClusters(State, 4).ToList();
        var failing = clusters[^1];
        var others = clusters.Take(3).ToList();
        State.Faults.Add(new FaultRule(FaultKind.BadRequest) { Method = "PUT", PathPattern = "^" + Regex.Escape(failing + "/providers/Microsoft.KubernetesConfiguration/extensions/") });
        FreezeClock();
        var cmdlet = Training();

        // The last input's create is refused once the others' creates are in flight (the frozen clock holds them);
        // -ErrorAction Stop turns its error into the end of the call.
        var (run, host, _) = Start(cmdlet, clusters, h =>
        {
            h.ErrorActionStop = true;
            h.ShouldProcessAnswer = (target, _) => target != failing || SpinWait.SpinUntil(() => others.All(c => PutsTo(c) == 1), Waiting.HangGuard);
        }, expectTerminating: true);
        await Finish(run);

        Assert.Equal("Arm.InvalidRequestContent", Assert.Single(host.Errors).ErrorId);
        Assert.All(others, c => Assert.Equal(1, PutsTo(c)));
        Assert.Equal(0, cmdlet.RunningInputs);
        Assert.Empty(host.Output);
        var requestsWhenEnded = State.Requests.Entries.Count;
        ThawClock();
        await Task.Delay(200);
        Assert.Equal(requestsWhenEnded, State.Requests.Entries.Count);
    }

    [Fact]
    public async Task ThrottleLimit_bounds_the_inputs_in_flight()
    {
        var clusters = FleetSeed.AddClusters(State, 6);
        FreezeClock();
        var cmdlet = Training();
        cmdlet.ThrottleLimit = 2;

        var (run, host, _) = Start(cmdlet, clusters);
        await Until(() => clusters.Count(c => PutsTo(c) == 1) == 2, "two creates in flight");
        ThawClock();
        await Finish(run);

        Assert.Empty(host.Errors);
        Assert.Equal(2, cmdlet.PeakConcurrency);
        Assert.Equal(6, State.Extensions.Count);
    }

    [Fact]
    public void ThrottleLimit_out_of_range_is_refused_before_anything_is_sent()
    {
        var clusters = FleetSeed.AddClusters(State, 2);
        var cmdlet = Training();
        cmdlet.ThrottleLimit = 0;
        State.Requests.Clear();

        var host = Run(cmdlet, null, clusters.Select(c => (object)new ClusterInput(c)).ToArray());

        Assert.Equal("InvalidThrottleLimit", Assert.Single(AllErrors(host)).ErrorId);
        Assert.Empty(State.Requests.Entries);
    }

    [Fact]
    public async Task The_fleet_progress_counts_done_and_failed_inputs()
    {
        var clusters = FleetSeed.AddClusters(State, 2).ToList();
        clusters.Add(clusters[0].Replace("fleet-000", "fleet-missing", StringComparison.Ordinal));

        var (run, host, _) = Start(Training(), clusters);
        await Finish(run);

        Assert.True(host.Errors.Count == 1, string.Join(Environment.NewLine, host.Errors.Select(e => $"{e.ErrorId}: {e.Message}")));
        var fleet = host.Progress.Where(p => p.ActivityId == ConcurrentInputCmdlet.FleetActivityId).ToList();
        Assert.True(fleet[^1].Completed);
        Assert.StartsWith("3 of 3 done, 1 failed", fleet[^1].Status, StringComparison.Ordinal);
        Assert.Equal("New-AzMLK8sExtension on 3 inputs", fleet[^1].Activity);
        Assert.All(host.Progress.Where(p => p.ActivityId != ConcurrentInputCmdlet.FleetActivityId), p => Assert.NotEqual(-1, p.ActivityId));
    }

    private static NewAzMLK8sExtensionCommand Training() =>
        new NewAzMLK8sExtensionCommand().WithSwitch(nameof(NewAzMLK8sExtensionCommand.EnableTraining));

    private void InstallTraining(string clusterId)
    {
        var cmdlet = Training();
        cmdlet.ClusterResourceId = clusterId;
        Assert.Empty(Run(cmdlet).Errors);
    }

    /// <summary>Runs the cmdlet on its own (pipeline) thread; returns that thread's id once it started.</summary>
    private (Task Run, RecordingHost Host, Task<int> PipelineThread) Start(
        AzMLK8sCmdlet cmdlet, IEnumerable<string> clusters, Action<RecordingHost>? configure = null, bool expectTerminating = false)
    {
        var host = new RecordingHost();
        AzureContextStore.Set(host, ArmTestConnections.Settings(Server));
        configure?.Invoke(host);
        ((ExtensionCmdletBase)cmdlet).PollingInterval = TimeSpan.FromMilliseconds(25);
        var thread = new TaskCompletionSource<int>();
        var inputs = clusters.Select(c => (object)new ClusterInput(c)).ToArray();
        var run = Task.Factory.StartNew(
            () =>
            {
                thread.SetResult(Environment.CurrentManagedThreadId);
                var result = CmdletRunner.Run(cmdlet, host, inputs);
                Assert.Equal(expectTerminating, result.TerminatingError is not null);
            },
            TaskCreationOptions.LongRunning);
        return (run, host, thread.Task);
    }

    private static async Task Finish(Task run) => await run.WaitAsync(Waiting.HangGuard);

    private static Task Until(Func<bool> condition, string what) => Waiting.Until(condition, what);

    private void FreezeClock() => _frozenAt = DateTimeOffset.UtcNow;

    private void ThawClock() => _frozenAt = null;

    private int PutsTo(string clusterId) =>
        State.Requests.Entries.Count(e => e.Method == "PUT" && e.Path.StartsWith(clusterId + "/providers/Microsoft.KubernetesConfiguration/extensions/", StringComparison.OrdinalIgnoreCase));

    private int ExtensionReadsOf(string clusterId) =>
        State.Requests.Entries.Count(e => e.Method == "GET" && e.Route == "Extensions_Get" && e.Path.StartsWith(clusterId + "/", StringComparison.OrdinalIgnoreCase));

    private static IReadOnlyList<string> ClusterIdsOf(RecordingHost host) =>
        host.Output.Cast<AzMLK8sExtension>().Select(e => e.ClusterResourceId!).ToArray();

    private static IEnumerable<string> FleetStatuses(RecordingHost host) =>
        host.Progress.Where(p => p.ActivityId == ConcurrentInputCmdlet.FleetActivityId).Select(p => p.Status);
}
