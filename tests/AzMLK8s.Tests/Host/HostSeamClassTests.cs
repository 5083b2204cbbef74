using System.Collections.Concurrent;
using System.Management.Automation;
using AzMLK8s.Host;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Tests.Host;

/// <summary>
/// The host seam's own classes, which touch no PowerShell: the pipeline-thread pump and the redactor. How they behave
/// under the real cmdlets in a runspace is tested in AzMLK8s.PowerShellHost.Tests (Host/, Fleet/).
/// </summary>
public sealed class HostSeamClassTests
{
    [Fact]
    public void Calls_made_on_worker_threads_run_on_the_thread_that_made_the_pump_in_the_order_they_were_made()
    {
        var inner = new ThreadRecordingHost();
        var pipelineThread = Environment.CurrentManagedThreadId;
        var host = new PipelineThreadHost(inner);
        var workerThreads = new ConcurrentBag<int>();

        host.Run(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                await Task.Run(() =>
                {
                    workerThreads.Add(Environment.CurrentManagedThreadId);
                    host.WriteProgress(new ProgressUpdate(1, "Probe", $"item {i}"));
                    host.WriteObject(i);
                    Assert.True(host.ShouldProcess($"target {i}", "Probe"));
                });
            }
        });

        Assert.DoesNotContain(pipelineThread, workerThreads);
        Assert.All(inner.Calls, call => Assert.Equal(pipelineThread, call.Thread));
        Assert.Equal(new object[] { 0, 1, 2, 3, 4 }, inner.Calls.Where(c => c.Kind == "Object").Select(c => c.Payload));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"target {i} | Probe"), inner.Calls.Where(c => c.Kind == "ShouldProcess").Select(c => c.Payload));
        Assert.Equal(15, inner.Calls.Count);
    }

    [Fact]
    public void A_failure_of_the_work_comes_back_on_the_pipeline_thread()
    {
        var host = new PipelineThreadHost(new ThreadRecordingHost());

        var failure = Assert.Throws<ModuleErrorException>(() => host.Run(async () =>
        {
            await Task.Yield();
            throw new ModuleErrorException(new ModuleError("ProbeFailed", ErrorKind.InvalidData, "this input fails"));
        }));

        Assert.Equal("ProbeFailed", failure.Error.ErrorId);
    }

    [Fact]
    public void Once_the_call_has_ended_a_worker_stops_waiting_and_its_calls_are_refused()
    {
        var inner = new ThreadRecordingHost();
        var host = new PipelineThreadHost(inner);

        host.Close();

        // A thread of its own: a pool thread could be the very thread that made the host.
        Exception? late = null;
        var worker = new Thread(() => late = Record.Exception(() => host.WriteObject("late")));
        worker.Start();
        Assert.True(worker.Join(TimeSpan.FromSeconds(10)), "the worker still waits");

        Assert.True(host.Stopping.IsCancellationRequested);
        Assert.IsAssignableFrom<OperationCanceledException>(late);
        Assert.Empty(inner.Calls);
    }

    [Fact]
    public void Every_text_bound_for_a_stream_or_a_question_is_masked_and_output_objects_pass_as_they_are()
    {
        const string canary = "CANARY-9f1c2e7a-secret";
        var inner = new ThreadRecordingHost();
        var secrets = new SecretRedactor();
        secrets.Add(canary);
        var host = new RedactingHost(inner, secrets);
        var output = new { Value = canary };

        host.WriteWarning($"w {canary}");
        host.WriteVerbose($"v {canary}");
        host.WriteDebug($"d {canary}");
        host.WriteProgress(new ProgressUpdate(1, $"a {canary}", $"s {canary}") { CurrentOperation = $"o {canary}" });
        host.WriteError(new ModuleError("Leak", ErrorKind.InvalidData, $"m {canary}")
        {
            RecommendedAction = $"r {canary}",
            InnerException = new InvalidOperationException($"i {canary}"),
        });
        host.ShouldProcess($"t {canary}", $"a {canary}");
        host.ShouldContinue($"q {canary}", $"c {canary}");
        host.WriteObject(output);

        var texts = inner.Calls.Where(c => c.Kind != "Object").Select(c => c.Payload?.ToString() ?? string.Empty).ToArray();
        Assert.Equal(7, texts.Length);
        Assert.All(texts, text => Assert.DoesNotContain(canary, text, StringComparison.Ordinal));
        Assert.All(texts, text => Assert.Contains(SecretRedactor.Mask, text, StringComparison.Ordinal));
        var error = (ModuleError)inner.Calls.Single(c => c.Kind == "Error").Raw!;
        Assert.IsType<RedactedException>(error.InnerException);
        Assert.DoesNotContain(canary, error.InnerException!.ToString(), StringComparison.Ordinal);
        Assert.Same(output, inner.Calls.Single(c => c.Kind == "Object").Payload);
    }

    [Fact]
    public void Short_values_are_not_taken_for_secrets_and_a_secret_inside_another_is_masked_whole()
    {
        var secrets = new SecretRedactor();
        secrets.Add("abc");
        secrets.Add("key-123456");
        secrets.Add("key-123456-long");

        Assert.Equal("abc *** and ***", secrets.Redact("abc key-123456-long and key-123456"));
    }

    [Fact]
    public void ErrorKind_mirrors_PowerShell_ErrorCategory_value_for_value()
    {
        var categories = Enum.GetValues<ErrorCategory>().ToDictionary(c => c.ToString(), c => (int)c);
        var kinds = Enum.GetValues<ErrorKind>().ToDictionary(k => k.ToString(), k => (int)k);

        Assert.Equal(categories.OrderBy(p => p.Key), kinds.OrderBy(p => p.Key));
    }

    /// <summary>Records each call with its thread; answers every question yes.</summary>
    private sealed class ThreadRecordingHost : ICmdletHost
    {
        private readonly ConcurrentQueue<(string Kind, object? Payload, object? Raw, int Thread)> _calls = new();

        public IReadOnlyList<(string Kind, object? Payload, object? Raw, int Thread)> Calls => _calls.ToArray();

        public CancellationToken Stopping => CancellationToken.None;

        public IDictionary<string, object?> Session { get; } = new Dictionary<string, object?>();

        public string CurrentDirectory => Environment.CurrentDirectory;

        public void WriteObject(object item) => Add("Object", item);

        public void WriteError(ModuleError error) => Add("Error", $"{error.Message} {error.RecommendedAction}", error);

        public void ThrowTerminatingError(ModuleError error) => throw new ModuleErrorException(error);

        public void WriteWarning(string message) => Add("Warning", message);

        public void WriteVerbose(string message) => Add("Verbose", message);

        public void WriteDebug(string message) => Add("Debug", message);

        public void WriteProgress(ProgressUpdate progress) => Add("Progress", $"{progress.Activity} {progress.Status} {progress.CurrentOperation}", progress);

        public bool ShouldProcess(string target, string action)
        {
            Add("ShouldProcess", $"{target} | {action}");
            return true;
        }

        public bool ShouldContinue(string query, string caption)
        {
            Add("ShouldContinue", $"{query} {caption}");
            return true;
        }

        public IReadOnlyList<IReadOnlyDictionary<string, object?>> InvokeCommand(string commandName, IReadOnlyDictionary<string, object?> parameters) =>
            Array.Empty<IReadOnlyDictionary<string, object?>>();

        private void Add(string kind, object? payload, object? raw = null) => _calls.Enqueue((kind, payload, raw, Environment.CurrentManagedThreadId));
    }
}
