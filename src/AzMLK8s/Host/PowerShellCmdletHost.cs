using System.Collections.Concurrent;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using AzMLK8s.Model;
using System.Collections;
using System.Runtime.CompilerServices;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Host;

/// <summary>The production side of the host seam: forwards to the running PowerShell cmdlet.</summary>
internal sealed class PowerShellCmdletHost : ICmdletHost
{
    // One bag per runspace: Automation runs several jobs in one process, each in its own runspace.
    private static readonly ConditionalWeakTable<Runspace, ConcurrentDictionary<string, object?>> SessionBags = new();

    private readonly PSCmdlet _cmdlet;
    private readonly Runspace _runspace;
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Made on the pipeline thread (BeginProcessing), the only thread where the runspace is known.</summary>
    public PowerShellCmdletHost(PSCmdlet cmdlet)
    {
        _cmdlet = cmdlet;
        _runspace = Runspace.DefaultRunspace
            ?? throw new InvalidOperationException("A PowerShell cmdlet host must be created on the pipeline thread.");
    }

    public CancellationToken Stopping => _stop.Token;

    /// <summary>Called from StopProcessing, on PowerShell's stopping thread.</summary>
    public void SignalStop() => _stop.Cancel();

    public IDictionary<string, object?> Session =>
        SessionBags.GetValue(_runspace, _ => new ConcurrentDictionary<string, object?>(StringComparer.OrdinalIgnoreCase));

    public string CurrentDirectory => _cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath;

    public void WriteObject(object item) => _cmdlet.WriteObject(item);

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> InvokeCommand(string commandName, IReadOnlyDictionary<string, object?> parameters)
    {
        var command = _cmdlet.InvokeCommand.GetCommand(commandName, CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias);
        if (command is null)
        {
            throw new ModuleErrorException(new ModuleError(
                "HostCommandNotFound",
                ErrorKind.ObjectNotFound,
                $"The command '{commandName}' is not available in this PowerShell session.")
            {
                RecommendedAction = $"Install or import the module that provides '{commandName}', or choose another sign-in method with Set-AzMLK8sContext.",
            });
        }

        var arguments = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in parameters)
        {
            arguments[parameter.Key] = parameter.Value;
        }

        // Splatting keeps the values as objects (no string formatting of secrets or switches).
        var output = _cmdlet.InvokeCommand.InvokeScript(
            "param($__name, $__arguments) & $__name @__arguments",
            useNewScope: true,
            writeToPipeline: PipelineResultTypes.None,
            input: null,
            args: new object[] { commandName, arguments });
        return output.Where(o => o is not null).Select(PowerShellValueConverter.ToPropertyBag).ToArray();
    }

    public void WriteError(ModuleError error) => _cmdlet.WriteError(ToErrorRecord(error));

    public void ThrowTerminatingError(ModuleError error) => _cmdlet.ThrowTerminatingError(ToErrorRecord(error));

    public void WriteWarning(string message) => _cmdlet.WriteWarning(message);

    public void WriteVerbose(string message) => _cmdlet.WriteVerbose(message);

    public void WriteDebug(string message) => _cmdlet.WriteDebug(message);

    public void WriteProgress(ProgressUpdate progress)
    {
        var record = new ProgressRecord(progress.ActivityId, progress.Activity, progress.Status)
        {
            ParentActivityId = progress.ParentActivityId,
            PercentComplete = progress.PercentComplete,
            CurrentOperation = progress.CurrentOperation,
            RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        _cmdlet.WriteProgress(record);
    }

    public bool ShouldProcess(string target, string action) => _cmdlet.ShouldProcess(target, action);

    public bool ShouldContinue(string query, string caption) => _cmdlet.ShouldContinue(query, caption);

    internal static ErrorRecord ToErrorRecord(ModuleError error)
    {
        var exception = error.InnerException as ModuleErrorException ?? new ModuleErrorException(error);
        var record = new ErrorRecord(exception, error.ErrorId, (ErrorCategory)(int)error.Category, error.TargetObject)
        {
            ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = error.RecommendedAction },
        };
        return record;
    }
}
