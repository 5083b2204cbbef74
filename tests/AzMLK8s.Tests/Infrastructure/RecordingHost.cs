using System.Collections.Concurrent;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Tests.Infrastructure;

/// <summary>
/// The test side of the host seam: records every call (with the thread it came on), answers ShouldProcess and
/// ShouldContinue as told, serves scripted host commands, and can signal a stop.
/// </summary>
public sealed class RecordingHost : ICmdletHost
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<HostCall> _calls = new();
    private readonly Dictionary<string, Func<IReadOnlyDictionary<string, object?>, IReadOnlyList<IReadOnlyDictionary<string, object?>>>> _commands =
        new(StringComparer.OrdinalIgnoreCase);

    public RecordingHost(IDictionary<string, object?>? session = null)
    {
        Session = session ?? new ConcurrentDictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Answer to every ShouldProcess (as -WhatIf would make it false). Can also decide per target.</summary>
    public Func<string, string, bool> ShouldProcessAnswer { get; set; } = (_, _) => true;

    public Func<string, string, bool> ShouldContinueAnswer { get; set; } = (_, _) => true;

    public IDictionary<string, object?> Session { get; }

    /// <summary>The PowerShell location the test plays; the process's directory unless a test sets it.</summary>
    public string CurrentDirectory { get; set; } = Environment.CurrentDirectory;

    public CancellationToken Stopping => _stop.Token;

    public IReadOnlyList<HostCall> Calls => _calls.ToArray();

    public IReadOnlyList<object> Output => Of("Output").Select(c => c.Payload!).ToArray();

    public IReadOnlyList<ModuleError> Errors => Of("Error").Select(c => (ModuleError)c.Payload!).ToArray();

    public IReadOnlyList<string> Warnings => Of("Warning").Select(c => (string)c.Payload!).ToArray();

    public IReadOnlyList<string> Verbose => Of("Verbose").Select(c => (string)c.Payload!).ToArray();

    public IReadOnlyList<string> Debug => Of("Debug").Select(c => (string)c.Payload!).ToArray();

    public IReadOnlyList<ProgressUpdate> Progress => Of("Progress").Select(c => (ProgressUpdate)c.Payload!).ToArray();

    /// <summary>(target, action) of every ShouldProcess question.</summary>
    public IReadOnlyList<(string Target, string Action)> ShouldProcessCalls =>
        Of("ShouldProcess").Select(c => ((string, string))c.Payload!).ToArray();

    public IReadOnlyList<(string Query, string Caption)> ShouldContinueCalls =>
        Of("ShouldContinue").Select(c => ((string, string))c.Payload!).ToArray();

    /// <summary>Every text the host received on any stream, for secret canary checks.</summary>
    public string AllText => string.Join("\n", Calls.Select(c => c.Payload switch
    {
        ModuleError e => $"{e.ErrorId} {e.Message} {e.RecommendedAction} {e.TargetObject} {e.InnerException}",
        ProgressUpdate p => $"{p.Activity} {p.Status} {p.CurrentOperation}",
        _ => c.Payload?.ToString(),
    }));

    public void SignalStop() => _stop.Cancel();

    public void AddCommand(string name, Func<IReadOnlyDictionary<string, object?>, IReadOnlyList<IReadOnlyDictionary<string, object?>>> handler) =>
        _commands[name] = handler;

    public void WriteObject(object item) => Record("Output", item);

    /// <summary>What -ErrorAction Stop does: a written error ends the call as a terminating error.</summary>
    public bool ErrorActionStop { get; set; }

    public void WriteError(ModuleError error)
    {
        Record("Error", error);
        if (ErrorActionStop)
        {
            throw new TerminatingErrorSignal(error);
        }
    }

    public void ThrowTerminatingError(ModuleError error)
    {
        Record("TerminatingError", error);
        throw new TerminatingErrorSignal(error);
    }

    public void WriteWarning(string message) => Record("Warning", message);

    public void WriteVerbose(string message) => Record("Verbose", message);

    public void WriteDebug(string message) => Record("Debug", message);

    public void WriteProgress(ProgressUpdate progress) => Record("Progress", progress);

    public bool ShouldProcess(string target, string action)
    {
        Record("ShouldProcess", (target, action));
        return ShouldProcessAnswer(target, action);
    }

    public bool ShouldContinue(string query, string caption)
    {
        Record("ShouldContinue", (query, caption));
        return ShouldContinueAnswer(query, caption);
    }

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> InvokeCommand(string commandName, IReadOnlyDictionary<string, object?> parameters)
    {
        Record("InvokeCommand", commandName);
        if (!_commands.TryGetValue(commandName, out var handler))
        {
            throw new ModuleErrorException(new ModuleError("HostCommandNotFound", ErrorKind.ObjectNotFound, $"The command '{commandName}' is not available."));
        }

        return handler(parameters);
    }

    private IEnumerable<HostCall> Of(string kind) => _calls.Where(c => c.Kind == kind);

    private void Record(string kind, object? payload) => _calls.Enqueue(new HostCall(kind, payload, Environment.CurrentManagedThreadId));
}

public sealed record HostCall(string Kind, object? Payload, int ThreadId);
