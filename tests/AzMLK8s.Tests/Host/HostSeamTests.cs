using System.Management.Automation;
using AzMLK8s.Cmdlets;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Host;

public sealed class HostSeamTests
{
    [Fact]
    public void Writes_made_on_worker_threads_reach_the_host_on_the_pipeline_thread_in_order()
    {
        var host = new RecordingHost();
        var cmdlet = new ProbeCmdlet { Count = 5 };

        CmdletRunner.Run(cmdlet, host);

        var pipelineThread = Environment.CurrentManagedThreadId;
        Assert.All(host.Calls, call => Assert.Equal(pipelineThread, call.ThreadId));
        Assert.Equal(new object[] { 0, 1, 2, 3, 4 }, host.Output);
        Assert.Equal(5, host.Progress.Count);
        Assert.DoesNotContain(pipelineThread, cmdlet.WorkerThreadIds);
        Assert.NotEmpty(cmdlet.WorkerThreadIds);
    }

    [Fact]
    public void An_engine_error_in_ProcessRecord_is_non_terminating_and_the_next_input_still_runs()
    {
        var host = new RecordingHost();
        var cmdlet = new ProbeCmdlet();

        var result = CmdletRunner.Run(cmdlet, host, "ok-1", "fail", "ok-2");

        Assert.Null(result.TerminatingError);
        var error = Assert.Single(host.Errors);
        Assert.Equal("ProbeFailed", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Category);
        Assert.Equal(new object[] { "ok-1", "ok-2" }, host.Output);
    }

    [Fact]
    public void An_engine_error_in_BeginProcessing_is_terminating()
    {
        var host = new RecordingHost();
        var result = CmdletRunner.Run(new ProbeCmdlet { FailInBegin = true }, host);

        Assert.Equal("ProbeBeginFailed", result.TerminatingError?.ErrorId);
        Assert.Empty(host.Output);
    }

    [Fact]
    public void An_unexpected_exception_becomes_a_terminating_UnexpectedError_with_a_next_step()
    {
        var host = new RecordingHost();
        var result = CmdletRunner.Run(new ProbeCmdlet(), host, "crash");

        Assert.Equal("UnexpectedError", result.TerminatingError?.ErrorId);
        Assert.Contains("-Debug", result.TerminatingError?.RecommendedAction);
    }

    [Fact]
    public void ShouldProcess_answers_come_from_the_host_and_are_asked_per_input()
    {
        var host = new RecordingHost { ShouldProcessAnswer = (target, _) => target != "skip" };
        CmdletRunner.Run(new ProbeCmdlet(), host, "keep", "skip");

        Assert.Equal(new[] { "keep", "skip" }, host.ShouldProcessCalls.Select(c => c.Target));
        Assert.Equal(new object[] { "keep" }, host.Output);
    }

    [Fact]
    public async Task A_stop_signal_cancels_a_wait_promptly_and_ends_the_cmdlet_without_an_error()
    {
        var host = new RecordingHost();
        var cmdlet = new ProbeCmdlet { WaitForever = true };

        var run = Task.Run(() => CmdletRunner.Run(cmdlet, host));
        await cmdlet.Waiting.Task.WaitAsync(TimeSpan.FromSeconds(10));
        host.SignalStop();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(result.TerminatingError);
        Assert.Empty(host.Errors);
    }

    [Fact]
    public void Secrets_registered_by_the_call_are_masked_in_every_stream()
    {
        const string canary = "CANARY-9f1c2e7a-secret";
        var host = new RecordingHost();

        CmdletRunner.Run(new ProbeCmdlet { Secret = canary }, host, "leak");

        Assert.DoesNotContain(canary, host.AllText, StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Mask, host.Warnings.Single());
        Assert.Contains(SecretRedactor.Mask, host.Errors.Single().Message);
    }

    [Fact]
    public void A_switch_given_outside_PowerShell_reads_as_present_and_an_absent_one_as_absent()
    {
        var host = new RecordingHost();
        CmdletRunner.Run(new ProbeCmdlet().WithSwitch(nameof(ProbeCmdlet.Shout)), host, "hello");
        CmdletRunner.Run(new ProbeCmdlet(), host, "quiet");

        Assert.Equal(new object[] { "HELLO", "quiet" }, host.Output);
    }

    [Fact]
    public void Only_switch_parameters_can_be_given_as_switches()
    {
        Assert.Throws<ArgumentException>(() => new ProbeCmdlet().WithSwitch(nameof(ProbeCmdlet.Input)));
    }

    [Fact]
    public void ErrorKind_mirrors_PowerShell_ErrorCategory_value_for_value()
    {
        var categories = Enum.GetValues<ErrorCategory>().ToDictionary(c => c.ToString(), c => (int)c);
        var kinds = Enum.GetValues<ErrorKind>().ToDictionary(k => k.ToString(), k => (int)k);

        Assert.Equal(categories.OrderBy(p => p.Key), kinds.OrderBy(p => p.Key));
    }

    /// <summary>A cmdlet of the test assembly that exercises each path of the base class.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "Probe")]
    private sealed class ProbeCmdlet : AzMLK8sCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        public string? Input { get; set; }

        [Parameter]
        public SwitchParameter Shout { get; set; }

        public int Count { get; set; }

        public bool FailInBegin { get; set; }

        public bool WaitForever { get; set; }

        public string? Secret { get; set; }

        public System.Collections.Concurrent.ConcurrentBag<int> WorkerThreadIds { get; } = new();

        public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override Task BeginAsync(CancellationToken cancellationToken)
        {
            Secrets.Add(Secret);
            if (FailInBegin)
            {
                throw new ModuleErrorException(new ModuleError("ProbeBeginFailed", ErrorKind.InvalidArgument, "begin failed"));
            }

            return Task.CompletedTask;
        }

        protected override async Task ProcessAsync(CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (WaitForever)
            {
                Waiting.SetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            for (var i = 0; i < Count; i++)
            {
                await Task.Run(() =>
                {
                    WorkerThreadIds.Add(Environment.CurrentManagedThreadId);
                    Seam.WriteProgress(new ProgressUpdate(1, "Probe", $"item {i}"));
                    Seam.WriteObject(i);
                });
            }

            switch (Input)
            {
                case null:
                    return;
                case "fail":
                    throw new ModuleErrorException(new ModuleError("ProbeFailed", ErrorKind.InvalidData, "this input fails"));
                case "crash":
                    throw new InvalidOperationException("boom");
                case "leak":
                    Seam.WriteWarning($"the value is {Secret}");
                    throw new ModuleErrorException(new ModuleError("ProbeLeak", ErrorKind.InvalidData, $"bad value {Secret}"));
            }

            if (Seam.ShouldProcess(Input, "Probe"))
            {
                Seam.WriteObject(IsPresent(Shout) ? Input.ToUpperInvariant() : Input);
            }
        }
    }
}
