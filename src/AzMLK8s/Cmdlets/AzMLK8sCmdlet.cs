using System.Management.Automation;
using AzMLK8s.Host;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Cmdlets;

/// <summary>
/// Base of every AzMLK8s cmdlet. Derived cmdlets implement the async steps and talk to PowerShell only through
/// <see cref="Seam"/>; this class owns the host stack (pipeline-thread marshalling, secret redaction),
/// cancellation and the mapping of engine errors to ErrorRecords.
/// </summary>
public abstract class AzMLK8sCmdlet : PSCmdlet
{
    /// <summary>
    /// Where each cmdlet's help lives online (Get-Help -Online): the project's docs/help/&lt;cmdlet&gt;.md, which is also
    /// the source of its Get-Help text. The help build fails when a cmdlet's HelpUri is not this plus its name.
    /// </summary>
    internal const string HelpUriBase = "https://github.com/AzMLK8s/AzMLK8s/blob/main/docs/help/";

    private PowerShellCmdletHost? _outerHost;
    private PipelineThreadHost? _pipelineHost;
    private ICmdletHost? _seam;

    /// <summary>Secrets this call has seen; any text written to a stream is redacted against it.</summary>
    protected SecretRedactor Secrets { get; } = new();

    /// <summary>What derived cmdlets write to and ask through. Valid from BeginProcessing on.</summary>
    protected ICmdletHost Seam => InputSeam.Value ?? CallSeam;

    /// <summary>The seam of the whole call, whichever pipeline input's flow is running.</summary>
    private protected ICmdletHost CallSeam => _seam ?? throw new InvalidOperationException("The cmdlet has not started.");

    /// <summary>A seam of one pipeline input's flow (its async context), when inputs run concurrently.</summary>
    private protected AsyncLocal<ICmdletHost?> InputSeam { get; } = new();

    protected sealed override void BeginProcessing()
    {
        _outerHost = new PowerShellCmdletHost(this);
        _pipelineHost = new PipelineThreadHost(_outerHost);
        _seam = new RedactingHost(_pipelineHost, Secrets);
        Execute(BeginAsync, terminating: true);
    }

    protected sealed override void ProcessRecord()
    {
        if (RunsAsJob && !(MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) && whatIf is SwitchParameter { IsPresent: true }))
        {
            StartJob();
            return;
        }

        Execute(ProcessAsync, terminating: false);
    }

    /// <summary>-AsJob was given: each input starts a job (with -WhatIf the command runs here, as it changes nothing).</summary>
    private protected virtual bool RunsAsJob => false;

    /// <summary>What the job's ShouldProcess question names: the cluster or compute of this input.</summary>
    private protected virtual string JobTarget => MyInvocation.MyCommand.Name;

    private void StartJob()
    {
        try
        {
            Jobs.JobStarter.Start(this, JobTarget);
        }
        catch (Exception ex) when (HostPromptFailure.IsCannotPrompt(ex))
        {
            WriteError(PowerShellCmdletHost.ToErrorRecord(Secretless(HostPromptFailure.ConfirmRefused(MyInvocation.MyCommand.Name, JobTarget, ex).Error)));
        }
    }

    private ModuleError Secretless(ModuleError error) => error with { Message = Secrets.Redact(error.Message) };

    protected sealed override void EndProcessing() => Execute(EndAsync, terminating: true);

    protected sealed override void StopProcessing() => _outerHost?.SignalStop();

    protected virtual Task BeginAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Once per pipeline input (or once when there is none). An engine error here is non-terminating.</summary>
    protected virtual Task ProcessAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task EndAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The call has ended on a terminating error while work may still run in the background (pipeline inputs in
    /// flight): by now that work has been cancelled; wait here until it has unwound.
    /// </summary>
    private protected virtual void OnCallTerminated()
    {
    }

    private void Execute(Func<CancellationToken, Task> step, bool terminating)
    {
        var host = _pipelineHost ?? throw new InvalidOperationException("BeginProcessing has not run.");
        var ended = false;
        try
        {
            ExecuteStep(host, step, terminating);
            ended = true;
        }
        finally
        {
            // A terminating error (ours, -ErrorAction Stop on a written error, a stopped downstream command) ends the
            // whole call: nothing may keep waiting or writing after it.
            if (!ended)
            {
                host.Close();
                OnCallTerminated();
            }
        }
    }

    private void ExecuteStep(PipelineThreadHost host, Func<CancellationToken, Task> step, bool terminating)
    {
        try
        {
            host.Run(() => step(Seam.Stopping));
        }
        catch (OperationCanceledException) when (Seam.Stopping.IsCancellationRequested)
        {
            // The user stopped the pipeline: PowerShell reports that itself.
        }
        catch (ModuleErrorException ex) when (!terminating)
        {
            Seam.WriteError(ex.Error);
        }
        catch (ModuleErrorException ex)
        {
            Seam.ThrowTerminatingError(ex.Error);
        }
        catch (Exception ex) when (IsUnexpected(ex))
        {
            Seam.WriteDebug($"AzMLK8s internal failure: {ex}");
            Seam.ThrowTerminatingError(new ModuleError(
                "UnexpectedError",
                ErrorKind.NotSpecified,
                $"AzMLK8s failed unexpectedly: {ex.GetType().Name}: {ex.Message}")
            {
                RecommendedAction = "Run the command again after $DebugPreference = 'Continue' (or with -Debug), and report its debug records and Get-Error at the project's issue tracker.",
                InnerException = ex,
            });
        }
    }

    // Exceptions PowerShell itself raises pass through untouched.
    private static bool IsUnexpected(Exception ex) =>
        !PowerShellCmdletHost.IsPowerShells(ex);
}
