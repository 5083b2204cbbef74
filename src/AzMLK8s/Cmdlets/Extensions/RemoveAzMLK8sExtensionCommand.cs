using System.Management.Automation;
using AzMLK8s.Engine.Operations.Extensions;
using AzMLK8s.Model.Extensions;

namespace AzMLK8s.Cmdlets.Extensions;

/// <summary>
/// Removes the AzureML extension from a cluster and waits until it is gone (unless -NoWait). Running jobs and
/// inference endpoints on the cluster stop. -Force deletes the Azure resource at once without cleaning up the cluster
/// (forceDelete). Removing an extension that is not there is not an error.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "AzMLK8sExtension", HelpUri = AzMLK8sCmdlet.HelpUriBase + "Remove-AzMLK8sExtension.md", DefaultParameterSetName = ByInputObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(AzMLK8sExtension))]
public sealed class RemoveAzMLK8sExtensionCommand : ExtensionCmdletBase
{
    /// <summary>An extension from Get-, New- or Update-AzMLK8sExtension, or its health report: its resource id names it.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObject)]
    public IAzMLK8sExtensionReference? InputObject
    {
        get => PipedExtension;
        set => PipedExtension = value;
    }

    [Parameter(ParameterSetName = ByClusterId)]
    [Parameter(ParameterSetName = ByClusterName)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = DefaultExtensionName;

    /// <summary>forceDelete: removes the Azure resource even when the cluster cannot be cleaned up (offline Arc cluster).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter NoWait { get; set; }

    /// <summary>Writes the extension as it was before removal.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Runs the command as a PowerShell job (Get-Job, Receive-Job, Wait-Job, Stop-Job), one per input; see about_AzMLK8s.</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    private protected override bool RunsAsJob => AsJob.IsPresent;

    private protected override string JobTarget => ResourceId ?? ClusterResourceId ?? $"{ResourceGroupName}/{ClusterName}";

    protected override Task ProcessOneAsync(CancellationToken cancellationToken) => ExtensionCommands.RemoveAsync(
        Seam,
        new RemoveExtensionInput { Target = Target(Name), Force = Force.IsPresent, NoWait = NoWait.IsPresent, PassThru = PassThru.IsPresent },
        CommandContext(),
        cancellationToken);
}
