using System.Collections.Concurrent;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Walkthrough;

/// <summary>
/// A host seam that behaves like an interactive console with -Confirm:$false: streams print as PowerShell prints
/// them, ShouldProcess is answered yes (and shown with -Verbose), output objects are collected per step.
/// </summary>
internal sealed class ConsoleHost : ICmdletHost
{
    private readonly TextWriter _out;
    private readonly bool _verbose;
    private readonly List<object> _output = new();
    private string? _lastProgress;

    public ConsoleHost(TextWriter output, bool verbose, IDictionary<string, object?>? session = null)
    {
        _out = output;
        _verbose = verbose;
        Session = session ?? new ConcurrentDictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
    }

    public IDictionary<string, object?> Session { get; }

    public string CurrentDirectory => Environment.CurrentDirectory;

    public CancellationToken Stopping => CancellationToken.None;

    public int ErrorCount { get; private set; }

    /// <summary>The objects written since the last call.</summary>
    public IReadOnlyList<object> TakeOutput()
    {
        var taken = _output.ToArray();
        _output.Clear();
        return taken;
    }

    public void WriteObject(object item) => _output.Add(item);

    public void WriteError(ModuleError error)
    {
        ErrorCount++;
        _out.WriteLine($"{error.ErrorId}: {error.Message}");
        if (error.RecommendedAction is { } action)
        {
            _out.WriteLine($"  Recommended action: {action}");
        }
    }

    public void ThrowTerminatingError(ModuleError error)
    {
        WriteError(error);
        throw new TerminatingErrorSignal(error);
    }

    public void WriteWarning(string message) => _out.WriteLine($"WARNING: {message}");

    public void WriteVerbose(string message)
    {
        if (_verbose)
        {
            _out.WriteLine($"VERBOSE: {message}");
        }
    }

    public void WriteDebug(string message)
    {
    }

    public void WriteProgress(ProgressUpdate progress)
    {
        // A console shows a progress bar; a transcript shows each new status once.
        var line = progress.Completed ? null : $"  {progress.Activity}: {progress.Status}";
        if (line is not null && line != _lastProgress)
        {
            _out.WriteLine(line);
        }

        _lastProgress = line;
    }

    public bool ShouldProcess(string target, string action)
    {
        WriteVerbose($"Performing the operation \"{action}\" on target \"{target}\".");
        return true;
    }

    public bool ShouldContinue(string query, string caption) => true;

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> InvokeCommand(string commandName, IReadOnlyDictionary<string, object?> parameters) =>
        throw new ModuleErrorException(new ModuleError(
            "HostCommandNotFound",
            ErrorKind.ObjectNotFound,
            $"The command '{commandName}' is not available: the walk-through runs without PowerShell.")
        {
            RecommendedAction = "Give the walk-through an explicit sign-in (see --help), or run the module in PowerShell 7.4.",
        });
}
