using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Host;

/// <summary>
/// The host seam while PowerShell completes an argument: the runspace's session state (its context and cache), its
/// commands (Az.Accounts' token), and nowhere to write — completion shows names, never messages — nor anyone to ask.
/// Made on the pipeline thread; <see cref="PipelineThreadHost"/> brings the engine's calls back to it.
/// </summary>
internal sealed class CompletionHost : ICmdletHost
{
    private readonly Runspace _runspace;

    public CompletionHost(Runspace runspace, CancellationToken stopping)
    {
        _runspace = runspace;
        Stopping = stopping;
    }

    public CancellationToken Stopping { get; }

    public IDictionary<string, object?> Session => PowerShellCmdletHost.SessionOf(_runspace);

    public string CurrentDirectory => _runspace.SessionStateProxy.Path.CurrentFileSystemLocation.ProviderPath;

    public bool WritesDebug => false;

    public string ResolvePath(string path) => _runspace.SessionStateProxy.Path.GetUnresolvedProviderPathFromPSPath(path);

    public void WriteObject(object item)
    {
    }

    public void WriteError(ModuleError error)
    {
    }

    public void ThrowTerminatingError(ModuleError error) => throw new ModuleErrorException(error);

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

    public bool ShouldProcess(string target, string action) => false;

    public bool ShouldContinue(string query, string caption) => false;

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> InvokeCommand(string commandName, IReadOnlyDictionary<string, object?> parameters)
    {
        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        if (shell.Runspace.SessionStateProxy.InvokeCommand.GetCommand(commandName, CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias) is null)
        {
            throw new ModuleErrorException(new ModuleError("HostCommandNotFound", ErrorKind.ObjectNotFound, $"The command '{commandName}' is not available in this PowerShell session."));
        }

        shell.AddCommand(commandName).AddParameters((IDictionary)new Hashtable(parameters.ToDictionary(p => p.Key, p => p.Value), StringComparer.OrdinalIgnoreCase));
        return shell.Invoke().Where(o => o is not null).Select(PowerShellValueConverter.ToPropertyBag).ToArray();
    }
}
