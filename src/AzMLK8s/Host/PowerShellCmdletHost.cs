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
        WritesDebug = ShowsDebug(cmdlet);
    }

    public bool WritesDebug { get; }

    public CancellationToken Stopping => _stop.Token;

    /// <summary>Called from StopProcessing, on PowerShell's stopping thread.</summary>
    public void SignalStop() => _stop.Cancel();

    /// <summary>Gives a job's runspace the caller's session state (the context chosen by Set-AzMLK8sContext).</summary>
    public static void CopySession(Runspace from, Runspace to)
    {
        if (!SessionBags.TryGetValue(from, out var source))
        {
            return;
        }

        var copy = new ConcurrentDictionary<string, object?>(source, StringComparer.OrdinalIgnoreCase);
        SessionBags.AddOrUpdate(to, copy);
    }

    public IDictionary<string, object?> Session => SessionOf(_runspace);

    /// <summary>The state the module keeps for a runspace (the chosen context, completion's cache).</summary>
    public static IDictionary<string, object?> SessionOf(Runspace runspace) =>
        SessionBags.GetValue(runspace, _ => new ConcurrentDictionary<string, object?>(StringComparer.OrdinalIgnoreCase));

    public string CurrentDirectory => _cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath;

    public string ResolvePath(string path) => _cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

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

    public void WriteWarning(string message) => WithoutInquiry(() => _cmdlet.WriteWarning(message));

    public void WriteVerbose(string message) => WithoutInquiry(() => _cmdlet.WriteVerbose(message));

    public void WriteDebug(string message) => WithoutInquiry(() => _cmdlet.WriteDebug(message));

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

    public bool ShouldProcess(string target, string action)
    {
        try
        {
            return _cmdlet.ShouldProcess(target, action);
        }
        catch (Exception ex) when (HostPromptFailure.IsCannotPrompt(ex))
        {
            throw HostPromptFailure.ConfirmRefused(CommandName, target, ex);
        }
    }

    public bool ShouldContinue(string query, string caption)
    {
        try
        {
            return _cmdlet.ShouldContinue(query, caption);
        }
        catch (Exception ex) when (HostPromptFailure.IsCannotPrompt(ex))
        {
            throw HostPromptFailure.ContinueRefused(CommandName, caption, ex);
        }
    }

    // PowerShell decides per command whether debug records are shown: -Debug, else $DebugPreference as the caller's
    // scope sees it (a function's local $DebugPreference included). A binary module loaded from a manifest has a
    // session state of its own, so the cmdlet's GetVariableValue sees the module's and global scopes only; the command
    // runtime holds the decision PowerShell will apply, so it is read from there. Should PowerShell ever not have it,
    // every record is written and PowerShell filters them: slower, never wrong.
    private static readonly System.Reflection.PropertyInfo? RuntimeDebugPreference =
        typeof(PSCmdlet).Assembly.GetType("System.Management.Automation.MshCommandRuntime")?
            .GetProperty("DebugPreference", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public);

    private static bool ShowsDebug(PSCmdlet cmdlet)
    {
        if (cmdlet.MyInvocation.BoundParameters.TryGetValue("Debug", out var debug))
        {
            return debug is SwitchParameter { IsPresent: true } || debug is true;
        }

        object? preference;
        try
        {
            preference = RuntimeDebugPreference is not null && RuntimeDebugPreference.DeclaringType!.IsInstanceOfType(cmdlet.CommandRuntime)
                ? RuntimeDebugPreference.GetValue(cmdlet.CommandRuntime)
                : null;
        }
        catch (System.Reflection.TargetInvocationException)
        {
            preference = null;
        }

        return preference is not ActionPreference.SilentlyContinue and not ActionPreference.Ignore;
    }

    private string CommandName => _cmdlet.MyInvocation.MyCommand?.Name ?? "The command";

    // With -Debug, PowerShell asks "Continue with this operation?" after each debug, verbose and warning record it has shown.
    // A host that cannot ask (a runbook, CI) fails that inquiry; the record was shown already, so the call goes on.
    private static void WithoutInquiry(Action write)
    {
        try
        {
            write();
        }
        catch (Exception ex) when (HostPromptFailure.IsCannotPrompt(ex))
        {
        }
    }

    /// <summary>
    /// An exception PowerShell raised (a terminating error, a stopped pipeline, -ErrorAction Stop, a host that cannot
    /// prompt, parameter binding): it ends the command as PowerShell raised it, never as the module's failure.
    /// </summary>
    public static bool IsPowerShells(Exception exception) =>
        exception is RuntimeException
        || (exception is IContainsErrorRecord && exception.GetType().Assembly == typeof(PSCmdlet).Assembly);

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
