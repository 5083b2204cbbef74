using System.Management.Automation;
using AzMLK8s.Host;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Cmdlets;

/// <summary>
/// Base of the cmdlets that roll a change out to many pipeline inputs. Each input runs <see cref="ProcessOneAsync"/>
/// as soon as one of <see cref="ThrottleLimit"/> slots is free, so the reads and checks of many inputs overlap. Their
/// questions (ShouldProcess, ShouldContinue) still come one input at a time and in input order: an input asks only
/// once every earlier input has asked all of its (reached <see cref="PipelineInputWork.Starting"/> or ended), and
/// nothing is changed before its own questions are answered. Results are written as each input completes (or in input
/// order with -PreserveOrder); one input's error is non-terminating and does not stop the others; Ctrl+C cancels every
/// input's waits; EndProcessing waits for the rest. PowerShell answers questions and takes output on the pipeline
/// thread, which serves them whenever the cmdlet runs: while the next input waits for a slot, and in EndProcessing.
/// Each input's flow runs on a copy of the cmdlet taken when PowerShell had bound that input, so the binding of the
/// next inputs never changes the parameters a running flow reads.
/// </summary>
public abstract class ConcurrentInputCmdlet : AzMLK8sCmdlet
{
    public const int DefaultThrottleLimit = 16;
    public const int MaxThrottleLimit = 128;
    internal const int FleetActivityId = 0x40FFF;

    private readonly object _gate = new();
    private readonly List<Task> _inFlight = new();
    private readonly SortedDictionary<int, IReadOnlyList<object>> _completedOutput = new();
    private readonly object _outputOrder = new();
    private SemaphoreSlim? _slots;
    private Task _earlierInputsAsked = Task.CompletedTask;
    private int _started;
    private int _done;
    private int _failed;
    private int _running;
    private int _nextToWrite;
    private string? _commandName;

    /// <summary>How many inputs run at once (1 runs them one after the other).</summary>
    [Parameter]
    [ValidateRange(1, MaxThrottleLimit)]
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

    /// <summary>Writes results in the order the inputs came, instead of as each completes.</summary>
    [Parameter]
    public SwitchParameter PreserveOrder { get; set; }

    /// <summary>The work of one pipeline input, run on the copy of the cmdlet bound to that input.</summary>
    protected abstract Task ProcessOneAsync(CancellationToken cancellationToken);

    // -ThrottleLimit is within its range: PowerShell's ValidateRange refuses anything else before this runs.
    protected override Task BeginAsync(CancellationToken cancellationToken)
    {
        _slots = new SemaphoreSlim(ThrottleLimit, ThrottleLimit);
        return Task.CompletedTask;
    }

    protected sealed override async Task ProcessAsync(CancellationToken cancellationToken)
    {
        _slots ??= new SemaphoreSlim(ThrottleLimit, ThrottleLimit);
        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await WhenAllInFlightAsync().ConfigureAwait(false);
            throw;
        }

        // This input's turn to ask comes when every earlier input has asked; its own end of asking opens the next turn.
        var earlierAsked = _earlierInputsAsked;
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _earlierInputsAsked = asked.Task;
        var sequence = Interlocked.Increment(ref _started) - 1;
        var host = new PipelineInputHost(CallSeam, sequence == 0 ? -1 : FleetActivityId, PreserveOrder.IsPresent, earlierAsked);
        ReportFleet();
        var bound = (ConcurrentInputCmdlet)MemberwiseClone();
        var input = Task.Run(() => RunInputAsync(bound, sequence, host, DoneAsking(earlierAsked, asked), cancellationToken), CancellationToken.None);
        lock (_gate)
        {
            _inFlight.Add(input);
        }
    }

    protected override async Task EndAsync(CancellationToken cancellationToken)
    {
        await WhenAllInFlightAsync().ConfigureAwait(false);
        if (_started > 1)
        {
            CallSeam.WriteProgress(new ProgressUpdate(FleetActivityId, FleetActivity, FleetStatus()) { Completed = true });
        }

        await EndInputsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After every input has completed.</summary>
    protected virtual Task EndInputsAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>How long a terminated call waits for its cancelled inputs to unwind (they only stop waiting).</summary>
    internal static readonly TimeSpan UnwindTimeout = TimeSpan.FromSeconds(30);

    private protected override void OnCallTerminated()
    {
        // The inputs' waits are cancelled; what Azure already accepted carries on there. Their failures are observed
        // here so none surfaces later as an unobserved task exception.
        try
        {
            WhenAllInFlightAsync().Wait(UnwindTimeout);
        }
        catch (AggregateException)
        {
        }
    }

    /// <summary>An input is done asking once it reached its work or ended, and every earlier input is done asking too.</summary>
    private static Action DoneAsking(Task earlierAsked, TaskCompletionSource asked) =>
        () => earlierAsked.ContinueWith(_ => asked.TrySetResult(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private async Task RunInputAsync(ConcurrentInputCmdlet bound, int sequence, PipelineInputHost host, Action doneAsking, CancellationToken cancellationToken)
    {
        InputSeam.Value = host;
        PipelineInputWork.OnStarting(doneAsking);
        lock (_gate)
        {
            _running++;
        }

        var failed = false;
        try
        {
            await bound.ProcessOneAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The user stopped the pipeline: PowerShell reports that itself.
        }
        catch (ModuleErrorException ex)
        {
            failed = true;
            CallSeam.WriteError(ex.Error);
        }
        catch (Exception ex) when (PowerShellCmdletHost.IsPowerShells(ex))
        {
            // PowerShell's own (a terminating error, -ErrorAction Stop, a stopped pipeline): the pipeline thread
            // raises it as PowerShell raised it and the call ends.
            failed = true;
        }
        catch (Exception ex)
        {
            failed = true;
            CallSeam.WriteDebug($"AzMLK8s internal failure: {ex}");
            CallSeam.WriteError(new ModuleError("UnexpectedError", ErrorKind.NotSpecified, $"AzMLK8s failed unexpectedly: {ex.GetType().Name}: {ex.Message}")
            {
                RecommendedAction = "Run the command again after $DebugPreference = 'Continue' (or with -Debug), and report its debug records and Get-Error at the project's issue tracker.",
                InnerException = ex,
            });
        }
        finally
        {
            lock (_gate)
            {
                _running--;
            }

            doneAsking();
            _slots!.Release();
        }

        try
        {
            Complete(sequence, host.TakeHeldOutput(), failed);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped or terminated: nothing is written any more.
        }
    }

    private void Complete(int sequence, IReadOnlyList<object> heldOutput, bool failed)
    {
        lock (_outputOrder)
        {
            _completedOutput[sequence] = heldOutput;
            while (_completedOutput.Remove(_nextToWrite, out var ready))
            {
                _nextToWrite++;
                foreach (var item in ready)
                {
                    CallSeam.WriteObject(item);
                }
            }
        }

        lock (_gate)
        {
            _done++;
            _failed += failed ? 1 : 0;
        }

        ReportFleet();
    }

    private void ReportFleet()
    {
        if (_started < 2)
        {
            return;
        }

        int done, total;
        lock (_gate)
        {
            (done, total) = (_done, _started);
        }

        CallSeam.WriteProgress(new ProgressUpdate(FleetActivityId, FleetActivity, FleetStatus()) { PercentComplete = 100 * done / total });
    }

    private string FleetActivity => $"{_commandName ??= CommandName()} on {_started} inputs";

    private string FleetStatus()
    {
        lock (_gate)
        {
            return $"{_done} of {_started} done, {_failed} failed, {_running} running";
        }
    }

    private string CommandName() => MyInvocation.MyCommand.Name;

    private Task WhenAllInFlightAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll(_inFlight.ToArray());
        }
    }
}
