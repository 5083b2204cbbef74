using System.Management.Automation;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Host;

/// <summary>The production side of the host seam: forwards to the running PowerShell cmdlet.</summary>
internal sealed class PowerShellCmdletHost : ICmdletHost
{
    private readonly PSCmdlet _cmdlet;
    private readonly CancellationTokenSource _stop = new();

    public PowerShellCmdletHost(PSCmdlet cmdlet)
    {
        _cmdlet = cmdlet;
    }

    public CancellationToken Stopping => _stop.Token;

    /// <summary>Called from StopProcessing, on PowerShell's stopping thread.</summary>
    public void SignalStop() => _stop.Cancel();

    public void WriteObject(object item) => _cmdlet.WriteObject(item);

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
