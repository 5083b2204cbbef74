namespace AzMLK8s.Model.Host;

/// <summary>
/// The only way the cmdlets and the engine reach PowerShell. The module's PowerShell implementation forwards to
/// the running cmdlet; tests use a recording implementation. Every string passed here may be shown to a user or
/// written to a job log, so callers never pass secrets (the cmdlet base also wraps the host in a redactor).
/// </summary>
public interface ICmdletHost
{
    void WriteObject(object item);

    /// <summary>A non-terminating error: the cmdlet goes on with the next input.</summary>
    void WriteError(ModuleError error);

    /// <summary>Stops the cmdlet. Never returns normally.</summary>
    void ThrowTerminatingError(ModuleError error);

    void WriteWarning(string message);

    void WriteVerbose(string message);

    void WriteDebug(string message);

    /// <summary>
    /// Whether debug records are shown or kept (-Debug, $DebugPreference other than SilentlyContinue/Ignore): code
    /// that would build many of them (one per request) asks first.
    /// </summary>
    bool WritesDebug => true;

    void WriteProgress(ProgressUpdate progress);

    bool ShouldProcess(string target, string action);

    /// <summary>Asks the user a yes/no question; only asked after ShouldProcess said yes and -Force was not given.</summary>
    bool ShouldContinue(string query, string caption);

    /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing) or the pipeline is stopped.</summary>
    CancellationToken Stopping { get; }

    /// <summary>
    /// Runs a command in the caller's PowerShell session (for example Az.Accounts' Get-AzContext) and returns each
    /// output object as a property bag (nested objects as nested bags, SecureString values kept as they are).
    /// Throws <see cref="ModuleErrorException"/> with ErrorId "HostCommandNotFound" when the command does not exist.
    /// </summary>
    IReadOnlyList<IReadOnlyDictionary<string, object?>> InvokeCommand(string commandName, IReadOnlyDictionary<string, object?> parameters);

    /// <summary>
    /// The caller's current file-system location. In PowerShell it is the session's location (Set-Location),
    /// which is not the process's working directory; relative paths the user gives resolve against it.
    /// </summary>
    string CurrentDirectory { get; }

    /// <summary>
    /// A path the user typed as a file-system path, resolved as PowerShell resolves it (the location, ~, PowerShell
    /// drives); it need not exist.
    /// </summary>
    string ResolvePath(string path) => Path.GetFullPath(path, CurrentDirectory);

    /// <summary>State that lives as long as the caller's PowerShell session (runspace), such as the chosen context.</summary>
    IDictionary<string, object?> Session { get; }
}
