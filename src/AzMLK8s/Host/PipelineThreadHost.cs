using System.Collections.Concurrent;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Host;

/// <summary>
/// PowerShell accepts WriteObject, WriteProgress, ShouldProcess and the rest only on the pipeline thread, while
/// the engine works asynchronously. This host runs calls made on other threads on the pipeline thread: the
/// caller waits while <see cref="Run"/> (on the pipeline thread) pumps them in order. Once the call has ended on a
/// terminating error (<see cref="Close"/>), nothing is pumped again: <see cref="Stopping"/> is cancelled, so work
/// still running stops waiting, and its host calls fail with <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class PipelineThreadHost : ICmdletHost
{
    private readonly ICmdletHost _inner;
    private readonly int _pipelineThreadId;
    private readonly BlockingCollection<WorkItem> _queue = new();
    private readonly CancellationTokenSource _stopping;

    public PipelineThreadHost(ICmdletHost inner)
    {
        _inner = inner;
        _pipelineThreadId = Environment.CurrentManagedThreadId;
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(inner.Stopping);
    }

    /// <summary>Cancelled when the user stops the pipeline or the call has ended on a terminating error.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>The call has ended (a terminating error): cancels the work still running and refuses its host calls.</summary>
    public void Close() => _stopping.Cancel();

    /// <summary>Runs <paramref name="work"/> to completion, serving its host calls on this (the pipeline) thread.</summary>
    public void Run(Func<Task> work)
    {
        if (Environment.CurrentManagedThreadId != _pipelineThreadId)
        {
            throw new InvalidOperationException("Run must be called on the pipeline thread that created the host.");
        }

        var task = Task.Run(work);
        task.ContinueWith(_ => _queue.Add(WorkItem.Finished), TaskScheduler.Default);
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            if (ReferenceEquals(item, WorkItem.Finished))
            {
                break;
            }

            item.Execute();
        }

        task.GetAwaiter().GetResult();
    }

    public IDictionary<string, object?> Session => _inner.Session;

    public string CurrentDirectory => OnPipelineThread(() => _inner.CurrentDirectory);

    public string ResolvePath(string path) => OnPipelineThread(() => _inner.ResolvePath(path));

    public void WriteObject(object item) => OnPipelineThread(() => _inner.WriteObject(item));

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> InvokeCommand(string commandName, IReadOnlyDictionary<string, object?> parameters) =>
        OnPipelineThread(() => _inner.InvokeCommand(commandName, parameters));

    public void WriteError(ModuleError error) => OnPipelineThread(() => _inner.WriteError(error));

    public void ThrowTerminatingError(ModuleError error) => OnPipelineThread(() => _inner.ThrowTerminatingError(error));

    public void WriteWarning(string message) => OnPipelineThread(() => _inner.WriteWarning(message));

    public void WriteVerbose(string message) => OnPipelineThread(() => _inner.WriteVerbose(message));

    public void WriteDebug(string message) => OnPipelineThread(() => _inner.WriteDebug(message));

    public bool WritesDebug => _inner.WritesDebug;

    public void WriteProgress(ProgressUpdate progress) => OnPipelineThread(() => _inner.WriteProgress(progress));

    public bool ShouldProcess(string target, string action) => OnPipelineThread(() => _inner.ShouldProcess(target, action));

    public bool ShouldContinue(string query, string caption) => OnPipelineThread(() => _inner.ShouldContinue(query, caption));

    private void OnPipelineThread(Action action) => OnPipelineThread(() =>
    {
        action();
        return true;
    });

    private T OnPipelineThread<T>(Func<T> call)
    {
        if (Environment.CurrentManagedThreadId == _pipelineThreadId)
        {
            return call();
        }

        Stopping.ThrowIfCancellationRequested();
        var item = new WorkItem(() => call());
        _queue.Add(item);

        // A stopped pipeline may never be pumped again: a worker waiting here must not wait for ever.
        Task.WaitAny(new Task[] { item.Result }, Stopping);
        return (T)item.Result.GetAwaiter().GetResult()!;
    }

    private sealed class WorkItem
    {
        public static readonly WorkItem Finished = new(() => null);

        private readonly Func<object?> _call;
        private readonly TaskCompletionSource<object?> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public WorkItem(Func<object?> call)
        {
            _call = call;
        }

        public Task<object?> Result => _result.Task;

        public void Execute()
        {
            try
            {
                _result.SetResult(_call());
            }
            catch (Exception ex)
            {
                // The waiting worker sees the failure. PowerShell's own exceptions (a terminating error, a stopped
                // pipeline, -ErrorAction Stop) must also end the cmdlet, so the pipeline thread rethrows them; the
                // module's errors (a question the host could not ask) are the worker's to report.
                _result.SetException(ex);
                if (ex is not ModuleErrorException)
                {
                    throw;
                }
            }
        }
    }
}
