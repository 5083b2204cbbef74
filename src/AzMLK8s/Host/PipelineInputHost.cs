using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Host;

/// <summary>
/// The seam one pipeline input's flow sees while other inputs run at the same time: its questions wait for the earlier
/// inputs' questions, its output is held back when the call keeps input order, and its progress gets activity ids of
/// its own under the fleet's activity (two inputs waiting on the same kind of operation would otherwise overwrite each
/// other's progress bar).
/// </summary>
internal sealed class PipelineInputHost : ICmdletHost
{
    private static int s_nextActivityId = 0x41000;

    private readonly ICmdletHost _call;
    private readonly int _parentActivityId;
    private readonly bool _holdOutput;
    private readonly List<object> _heldOutput = new();
    private readonly Dictionary<int, int> _activityIds = new();
    private readonly Task _questionTurn;

    public PipelineInputHost(ICmdletHost call, int parentActivityId, bool holdOutput, Task questionTurn)
    {
        _call = call;
        _parentActivityId = parentActivityId;
        _holdOutput = holdOutput;
        _questionTurn = questionTurn;
    }

    /// <summary>The output held back so far (when the call keeps input order); taking it empties it.</summary>
    public IReadOnlyList<object> TakeHeldOutput()
    {
        lock (_heldOutput)
        {
            var held = _heldOutput.ToArray();
            _heldOutput.Clear();
            return held;
        }
    }

    public CancellationToken Stopping => _call.Stopping;

    public IDictionary<string, object?> Session => _call.Session;

    public string CurrentDirectory => _call.CurrentDirectory;

    public string ResolvePath(string path) => _call.ResolvePath(path);

    public void WriteObject(object item)
    {
        if (!_holdOutput)
        {
            _call.WriteObject(item);
            return;
        }

        lock (_heldOutput)
        {
            _heldOutput.Add(item);
        }
    }

    public void WriteProgress(ProgressUpdate progress)
    {
        int id;
        lock (_activityIds)
        {
            if (!_activityIds.TryGetValue(progress.ActivityId, out id))
            {
                id = Interlocked.Increment(ref s_nextActivityId);
                _activityIds[progress.ActivityId] = id;
            }
        }

        var parent = progress.ParentActivityId;
        if (parent >= 0)
        {
            lock (_activityIds)
            {
                parent = _activityIds.TryGetValue(parent, out var mapped) ? mapped : _parentActivityId;
            }
        }
        else
        {
            parent = _parentActivityId;
        }

        _call.WriteProgress(progress with { ActivityId = id, ParentActivityId = parent });
    }

    public void WriteError(ModuleError error) => _call.WriteError(error);

    public void ThrowTerminatingError(ModuleError error) => _call.ThrowTerminatingError(error);

    public void WriteWarning(string message) => _call.WriteWarning(message);

    public void WriteVerbose(string message) => _call.WriteVerbose(message);

    public void WriteDebug(string message) => _call.WriteDebug(message);

    public bool WritesDebug => _call.WritesDebug;

    public bool ShouldProcess(string target, string action)
    {
        WaitForTurn();
        return _call.ShouldProcess(target, action);
    }

    public bool ShouldContinue(string query, string caption)
    {
        WaitForTurn();
        return _call.ShouldContinue(query, caption);
    }

    // The questions of the inputs come in input order: this input asks once every earlier one has asked all of its.
    private void WaitForTurn() => _questionTurn.Wait(Stopping);

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> InvokeCommand(string commandName, IReadOnlyDictionary<string, object?> parameters) =>
        _call.InvokeCommand(commandName, parameters);
}
