using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using AzMLK8s.Host;

namespace AzMLK8s.Jobs;

/// <summary>
/// A PowerShell job (Get-Job, Receive-Job, Wait-Job, Stop-Job) that runs one AzMLK8s command in a runspace of its own
/// in this process, signed in as the caller's session is (the Set-AzMLK8sContext choice is copied, never serialized).
/// Its output is the command's typed objects; its errors, warnings, verbose, debug and progress are the command's.
/// The job's runspace has no user interface: a question the command would ask fails with ConfirmationRequired, so
/// disruptive changes need -Force (the caller answered ShouldProcess before the job started).
/// </summary>
internal sealed class CommandJob : Job
{
    public const string JobTypeName = "AzMLK8sJob";

    private readonly string _commandName;
    private readonly Hashtable _parameters;
    private readonly string _modulePath;
    private readonly Runspace _runspace;
    private readonly PowerShell _shell;
    private int _stopping;

    private CommandJob(string commandLine, string commandName, Hashtable parameters, string modulePath, Runspace callerRunspace)
        : base(commandLine)
    {
        _commandName = commandName;
        _parameters = parameters;
        _modulePath = modulePath;
        PSJobTypeName = JobTypeName;
        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        _runspace.Name = $"AzMLK8s job {Id}";
        _shell = PowerShell.Create();
        _shell.Runspace = _runspace;
        PowerShellCmdletHost.CopySession(callerRunspace, _runspace);
        Forward(_shell.Streams.Error, Error);
        Forward(_shell.Streams.Warning, Warning);
        Forward(_shell.Streams.Verbose, Verbose);
        Forward(_shell.Streams.Debug, Debug);
        Forward(_shell.Streams.Information, Information);
        Forward(_shell.Streams.Progress, Progress);
    }

    public override string Location => Environment.MachineName;

    public override string StatusMessage => JobStateInfo.State.ToString();

    public override bool HasMoreData =>
        Output.Count > 0 || Error.Count > 0 || Warning.Count > 0 || Verbose.Count > 0 || Debug.Count > 0 || Information.Count > 0 || Progress.Count > 0;

    /// <summary>Starts <paramref name="commandName"/> with <paramref name="parameters"/> as a job of the calling session.</summary>
    public static CommandJob Start(string commandLine, string commandName, Hashtable parameters, string modulePath, Runspace callerRunspace)
    {
        var job = new CommandJob(commandLine, commandName, parameters, modulePath, callerRunspace);
        job.SetJobState(JobState.NotStarted);
        _ = Task.Run(job.Run);
        return job;
    }

    public override void StopJob()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 0 && !IsFinished(JobStateInfo.State))
        {
            SetJobState(JobState.Stopping);
            _shell.Stop();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _shell.Dispose();
            _runspace.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Run()
    {
        SetJobState(JobState.Running);
        try
        {
            _runspace.Open();
            _shell.AddCommand("Import-Module").AddParameter("Name", _modulePath).AddParameter("ErrorAction", ActionPreference.Stop);
            _shell.Invoke();
            _shell.Commands.Clear();
            if (_stopping == 1)
            {
                SetJobState(JobState.Stopped);
                return;
            }

            var output = new PSDataCollection<PSObject>();
            output.DataAdded += (_, e) => Output.Add(output[e.Index]);
            _shell.AddCommand(_commandName).AddParameters(_parameters);
            _shell.Invoke(input: null, output);
            SetJobState(_stopping == 1 ? JobState.Stopped : JobState.Completed);
        }
        catch (PipelineStoppedException)
        {
            SetJobState(JobState.Stopped);
        }
        catch (RuntimeException ex)
        {
            // A terminating error ends the job as Failed, with the error where Receive-Job shows it.
            Error.Add(ex.ErrorRecord);
            SetJobState(JobState.Failed);
        }
        catch (Exception ex) when (ex is InvalidRunspaceStateException or PSInvalidOperationException)
        {
            Error.Add(new ErrorRecord(ex, "AzMLK8sJobFailed", ErrorCategory.InvalidOperation, _commandName));
            SetJobState(JobState.Failed);
        }
    }

    private static bool IsFinished(JobState state) => state is JobState.Completed or JobState.Failed or JobState.Stopped;

    private static void Forward<T>(PSDataCollection<T> from, PSDataCollection<T> to) =>
        from.DataAdded += (_, e) => to.Add(from[e.Index]);
}
