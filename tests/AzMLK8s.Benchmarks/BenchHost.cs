using System.Collections.Concurrent;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Benchmarks;

/// <summary>A host that says yes to every question and keeps output and errors (no console: it would time the console).</summary>
internal sealed class BenchHost : ICmdletHost
{
    private readonly ConcurrentQueue<object> _output = new();
    private readonly ConcurrentQueue<ModuleError> _errors = new();

    public IReadOnlyList<object> Output => _output.ToArray();

    public IReadOnlyList<ModuleError> Errors => _errors.ToArray();

    public CancellationToken Stopping => CancellationToken.None;

    public IDictionary<string, object?> Session { get; } = new ConcurrentDictionary<string, object?>(StringComparer.OrdinalIgnoreCase);


    public string CurrentDirectory => Environment.CurrentDirectory;

    public void WriteObject(object item) => _output.Enqueue(item);

    public void WriteError(ModuleError error) => _errors.Enqueue(error);

    public void ThrowTerminatingError(ModuleError error)
    {
        _errors.Enqueue(error);
        throw new TerminatingErrorSignal(error);
    }

    public void WriteWarning(string message)
    {
    }

    public void WriteVerbose(string message)
    {
    }

    public void WriteDebug(string message)
    {
    }

    public void WriteProgress(ProgressUpdate progress)
    {
    }

    public bool ShouldProcess(string target, string action) => true;

    public bool ShouldContinue(string query, string caption) => true;

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> InvokeCommand(string commandName, IReadOnlyDictionary<string, object?> parameters) =>
        throw new ModuleErrorException(new ModuleError("HostCommandNotFound", ErrorKind.ObjectNotFound, $"The command '{commandName}' is not available."));
}
