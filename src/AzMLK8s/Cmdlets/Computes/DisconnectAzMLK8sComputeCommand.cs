using System.Management.Automation;
using AzMLK8s.Cmdlets.Completion;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Computes;
using AzMLK8s.Model.Computes;

namespace AzMLK8s.Cmdlets.Computes;

/// <summary>
/// Detaches a Kubernetes compute from its workspace (never deletes the cluster) and waits until it is gone. Takes
/// computes from Get-AzMLK8sCompute. A compute that is already gone is not an error.
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "AzMLK8sCompute", HelpUri = AzMLK8sCmdlet.HelpUriBase + "Disconnect-AzMLK8sCompute.md", DefaultParameterSetName = ComputeWorkspaceParameters.ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(AzMLK8sCompute))]
public sealed class DisconnectAzMLK8sComputeCommand : ConcurrentInputCmdlet
{
    private const string ByInputObject = "InputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ComputeWorkspaceParameters.ByName)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ComputeWorkspaceParameters.ById)]
    [Alias("ComputeName")]
    [ArgumentCompleter(typeof(ComputeNameCompleter))]
    public string? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ComputeWorkspaceParameters.ByName)]
    [ArgumentCompleter(typeof(WorkspaceNameCompleter))]
    public string? WorkspaceName { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ComputeWorkspaceParameters.ByName)]
    [ArgumentCompleter(typeof(ResourceGroupNameCompleter))]
    public string? ResourceGroupName { get; set; }

    /// <summary>The workspace's resource id; a workspace object from Get-AzMLWorkspace binds it through its Id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ComputeWorkspaceParameters.ById, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    public string? WorkspaceResourceId { get; set; }

    /// <summary>A compute from Get-AzMLK8sCompute or Connect-AzMLK8sCompute.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByInputObject, ValueFromPipeline = true)]
    public AzMLK8sCompute? InputObject { get; set; }

    [Parameter]
    public SwitchParameter NoWait { get; set; }

    /// <summary>Write the detached compute (as it was before the detach).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Runs the command as a PowerShell job (Get-Job, Receive-Job, Wait-Job, Stop-Job), one per input; see about_AzMLK8s.</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    private protected override bool RunsAsJob => AsJob.IsPresent;

    private protected override string JobTarget => InputObject?.ResourceId ?? $"{WorkspaceResourceId ?? WorkspaceName}/computes/{Name}";

    protected override async Task ProcessOneAsync(CancellationToken cancellationToken)
    {
        var connection = ArmConnection.FromContext(null, Seam);
        var (workspace, name) = InputObject is not null
            ? (ComputeMapper.WorkspaceOf(InputObject.ResourceId), InputObject.Name)
            : (ComputeWorkspaceParameters.Resolve(connection, WorkspaceName, ResourceGroupName, WorkspaceResourceId), Name!);
        var detached = await new DisconnectComputeOperation(connection, Seam).DisconnectAsync(workspace, name, NoWait.IsPresent, cancellationToken).ConfigureAwait(false);
        if (detached is not null && PassThru.IsPresent)
        {
            Seam.WriteObject(detached);
        }
    }
}
