using System.Diagnostics;
using System.Management.Automation;
using System.Text.RegularExpressions;
using AzMLK8s.Emulator.State;
using AzMLK8s.PowerShellHost.Tests.Infrastructure;

namespace AzMLK8s.PowerShellHost.Tests.Fleet;

/// <summary>
/// Many pipeline inputs through one call of a fleet cmdlet in a real runspace: the inputs' long work overlaps, bounded
/// by -ThrottleLimit; questions come one input at a time in input order on the pipeline thread, answered by the host;
/// results come as inputs complete (or in input order); one input's error does not stop the others; Ctrl+C and
/// -ErrorAction Stop end every wait. The emulator's clock is frozen to hold operations in flight.
/// </summary>
public sealed class ConcurrentPipelineTests : FleetSessionPerTest
{
    private const string Training = "New-AzMLK8sExtension -EnableTraining";

    [Fact]
    public async Task Results_are_written_as_each_input_completes_not_in_input_order()
    {
        var clusters = AddFleet(4);
        InstallTraining(clusters[1]);
        InstallTraining(clusters[3]);
        FreezeClock();

        using var running = StartFleet(Training, clusters);
        await FleetWaiting.Until(() => Written.Count == 2, "the already installed inputs were written");
        Assert.Equal(new[] { clusters[1], clusters[3] }, Written.Order());

        ThawClock();
        var result = await Finish(running);

        Assert.Empty(result.Errors);
        Assert.Null(result.Terminated);
        Assert.Equal(new[] { clusters[1], clusters[3] }, Written.Take(2).Order());
        Assert.Equal(clusters.Order(), Written.Order());
    }

    [Fact]
    public async Task PreserveOrder_holds_results_until_the_earlier_inputs_are_written()
    {
        var clusters = AddFleet(4);
        InstallTraining(clusters[1]);
        InstallTraining(clusters[3]);
        FreezeClock();

        using var running = StartFleet(Training + " -PreserveOrder", clusters);
        await FleetWaiting.Until(
            () => FleetRecords(running).Any(p => p.StatusDescription.StartsWith("2 of 4 done", StringComparison.Ordinal)),
            "two inputs completed");
        Assert.Empty(Written);

        ThawClock();
        var result = await Finish(running);

        Assert.Empty(result.Errors);
        Assert.Equal(clusters, Written);
    }

    [Fact]
    public async Task One_inputs_error_does_not_stop_the_others()
    {
        var clusters = AddFleet(4).ToList();
        var missing = clusters[0].Replace("fleet-000", "fleet-missing", StringComparison.Ordinal);
        clusters.Insert(1, missing);

        using var running = StartFleet(Training, clusters);
        var result = await Finish(running);

        var error = Assert.Single(result.Errors);
        Assert.Contains("fleet-missing", error.ToString() + error.TargetObject, StringComparison.OrdinalIgnoreCase);
        Assert.Null(result.Terminated);
        Assert.Equal(clusters.Where(c => c != missing).Order(), Written.Order());
        Assert.Equal(4, State.Extensions.Count);
    }

    [Fact]
    public async Task Each_input_is_asked_on_the_pipeline_thread_in_input_order_before_its_work_starts_and_No_changes_nothing()
    {
        var clusters = AddFleet(4);
        var declined = clusters[2];
        var asked = new List<(string Target, int Puts, int Thread)>();
        Session.Host.OnPrompt = (_, message) =>
        {
            var target = FleetWaiting.TargetOf(message);
            asked.Add((target, PutsTo(target), Environment.CurrentManagedThreadId));
            Session.Host.Answers.Enqueue(target == declined ? "No" : "Yes");
        };

        using var running = StartFleet(Training + " -Confirm", clusters);
        var result = await Finish(running);

        Assert.Empty(result.Errors);
        Assert.Equal(clusters, asked.Select(a => a.Target));
        Assert.All(asked, a => Assert.Equal(0, a.Puts));
        Assert.All(asked, a => Assert.Equal(PipelineThread, a.Thread));
        Assert.Equal(0, PutsTo(declined));
        Assert.Equal(clusters.Where(c => c != declined).Order(), Written.Order());
    }

    [Fact]
    public async Task Inputs_read_while_an_earlier_input_waits_for_its_answer_and_questions_keep_input_order()
    {
        var clusters = AddFleet(5);
        var othersReadWhileFirstWasAsked = false;

        // The first input's first read is slow, so PowerShell has handed over every input before that input asks
        // (while its question is held below, the pipeline thread hands over nothing more).
        State.Faults.Add(new FaultRule(FaultKind.Latency) { Method = "GET", PathPattern = "^" + Regex.Escape(clusters[0]) + "$", Latency = TimeSpan.FromMilliseconds(500), Times = 1 });

        // The first input's question is held until every other input has read its extension: with inputs that only
        // start once the earlier ones were answered, that never happens.
        Session.Host.OnPrompt = (_, message) =>
        {
            if (FleetWaiting.TargetOf(message) == clusters[0])
            {
                othersReadWhileFirstWasAsked = SpinWait.SpinUntil(() => clusters.Skip(1).All(c => ExtensionReadsOf(c) == 1), TimeSpan.FromSeconds(20));
            }

            Session.Host.Answers.Enqueue("Yes");
        };

        using var running = StartFleet(Training + " -Confirm", clusters);
        var result = await Finish(running);

        Assert.True(othersReadWhileFirstWasAsked);
        Assert.Empty(result.Errors);
        Assert.Equal(clusters, Session.Host.Prompts.Select(p => FleetWaiting.TargetOf(p.Message)));
        Assert.All(clusters, c => Assert.Equal(1, PutsTo(c)));
    }

    [Fact]
    public async Task Stop_during_a_fleet_ends_every_inputs_wait_within_a_second_and_a_rerun_finishes_them_without_a_second_install()
    {
        var clusters = AddFleet(3);
        FreezeClock();

        using var running = StartFleet(Training, clusters);
        await FleetWaiting.Until(() => clusters.All(c => PutsTo(c) == 1), "every input's install was sent");
        var stopwatch = Stopwatch.StartNew();
        running.Stop();
        var result = await Finish(running);
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {stopwatch.Elapsed.TotalMilliseconds:F0} ms.");
        Assert.Equal(PSInvocationState.Stopped, running.State.State);
        Assert.IsType<PipelineStoppedException>(result.Terminated);
        Assert.Empty(result.Errors);
        Assert.Empty(Written);

        ThawClock();
        Written.Clear();
        using var again = StartFleet(Training, clusters);
        var rerun = await Finish(again);

        Assert.Empty(rerun.Errors);
        Assert.Equal(clusters.Order(), Written.Order());
        Assert.All(clusters, c => Assert.Equal(1, PutsTo(c)));
        Assert.All(State.Extensions.Values, e => Assert.Equal("Succeeded", e.ProvisioningState));
    }

    [Fact]
    public async Task ErrorAction_Stop_ends_the_call_at_the_first_error_and_the_other_inputs_stop_waiting()
    {
        var clusters = AddFleet(4);
        var failing = clusters[^1];
        var others = clusters.Take(3).ToArray();
        State.Faults.Add(new FaultRule(FaultKind.BadRequest) { Method = "PUT", PathPattern = "^" + Regex.Escape(failing + "/providers/Microsoft.KubernetesConfiguration/extensions/") });
        FreezeClock();

        // The last input's install is refused once the others' installs are in flight (the frozen clock holds them);
        // -ErrorAction Stop turns its error into the end of the call, which would otherwise wait for ever.
        Session.Host.OnPrompt = (_, message) =>
        {
            if (FleetWaiting.TargetOf(message) == failing)
            {
                SpinWait.SpinUntil(() => others.All(c => PutsTo(c) == 1), FleetWaiting.HangGuard);
            }

            Session.Host.Answers.Enqueue("Yes");
        };

        using var running = StartFleet(Training + " -Confirm -ErrorAction Stop", clusters);
        var result = await Finish(running);

        Assert.Equal("Arm.InvalidRequestContent,AzMLK8s.Cmdlets.Extensions.NewAzMLK8sExtensionCommand", result.TerminatingError?.FullyQualifiedErrorId);
        Assert.All(others, c => Assert.Equal(1, PutsTo(c)));
        Assert.Empty(Written);
        var requestsWhenEnded = State.Requests.Entries.Count;
        ThawClock();
        await Task.Delay(300);
        Assert.Equal(requestsWhenEnded, State.Requests.Entries.Count);
    }

    [Fact]
    public async Task ThrottleLimit_bounds_the_inputs_in_flight_and_the_next_input_waits_in_the_pipeline_for_a_slot()
    {
        var clusters = AddFleet(6);
        FreezeClock();

        using var running = StartFleet(Training + " -ThrottleLimit 2", clusters);

        // Two installs are held by the frozen clock; the third input was handed over and waits for a slot, so
        // PowerShell hands over no fourth.
        await FleetWaiting.Until(() => clusters.Count(c => PutsTo(c) == 1) >= 2 && Fed.Count >= 3, "two installs in flight and a third input waiting");
        Assert.Equal(2, clusters.Count(c => PutsTo(c) == 1));
        Assert.Equal(3, Fed.Count);
        ThawClock();
        var result = await Finish(running);

        Assert.Empty(result.Errors);
        Assert.Equal(6, State.Extensions.Count);
        Assert.All(FleetRecords(running), p => Assert.True(Running(p) <= 2, p.StatusDescription));
    }

    [Fact]
    public async Task The_fleet_progress_counts_done_and_failed_inputs_and_each_inputs_progress_sits_under_it()
    {
        var clusters = AddFleet(2).ToList();
        clusters.Add(clusters[0].Replace("fleet-000", "fleet-missing", StringComparison.Ordinal));

        using var running = StartFleet(Training, clusters);
        var result = await Finish(running);

        Assert.True(result.Errors.Count == 1, string.Join(Environment.NewLine, result.Errors.Select(e => e.FullyQualifiedErrorId)));
        var fleet = FleetRecords(running);
        var last = fleet[^1];
        Assert.Equal(ProgressRecordType.Completed, last.RecordType);
        Assert.StartsWith("3 of 3 done, 1 failed", last.StatusDescription, StringComparison.Ordinal);
        Assert.Equal("New-AzMLK8sExtension on 3 inputs", last.Activity);
        Assert.Single(fleet.Select(p => p.ActivityId).Distinct());
        var inputs = FleetWaiting.Snapshot(running.Streams.Progress).Where(p => p.ActivityId != last.ActivityId).ToArray();
        Assert.NotEmpty(inputs);
        Assert.All(inputs.Where(p => p.ParentActivityId != -1), p => Assert.Equal(last.ActivityId, p.ParentActivityId));
        Assert.Contains(inputs, p => p.ParentActivityId == last.ActivityId);
    }

    private static IReadOnlyList<ProgressRecord> FleetRecords(RunningScript running) =>
        FleetWaiting.Snapshot(running.Streams.Progress).Where(p => p.Activity.StartsWith("New-AzMLK8sExtension on ", StringComparison.Ordinal)).ToArray();

    private static int Running(ProgressRecord fleet) =>
        int.Parse(Regex.Match(fleet.StatusDescription, @"(\d+) running").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
}
