using System.Collections;
using System.Management.Automation;
using AzMLK8s.Engine.Operations.Extensions;
using AzMLK8s.Model.Extensions;

namespace AzMLK8s.Cmdlets.Extensions;

/// <summary>
/// Changes the AzureML extension's settings, version or upgrade policy without losing any: public settings merge,
/// protected settings are completed (or the update is refused), immutable ones are refused with the way out.
/// -WhatIf shows the exact diff (secrets masked); disruptive changes ask first, or need -Force in scripts.
/// </summary>
[Cmdlet(VerbsData.Update, "AzMLK8sExtension", HelpUri = AzMLK8sCmdlet.HelpUriBase + "Update-AzMLK8sExtension.md", DefaultParameterSetName = ByInputObject, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AzMLK8sExtension))]
public sealed class UpdateAzMLK8sExtensionCommand : ExtensionSettingsCmdletBase
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

    /// <summary>$true or $false: turns training on or off (off is disruptive).</summary>
    [Parameter]
    [TrueOrFalse]
    public bool? EnableTraining { get; set; }

    [Parameter]
    [TrueOrFalse]
    public bool? EnableInference { get; set; }

    [Parameter]
    [TrueOrFalse]
    public bool? InternalLoadBalancer { get; set; }

    [Parameter]
    [TrueOrFalse]
    public bool? AllowInsecureConnection { get; set; }

    [Parameter]
    [TrueOrFalse]
    public bool? InstallNvidiaDevicePlugin { get; set; }

    [Parameter]
    [TrueOrFalse]
    public bool? InstallPrometheusOperator { get; set; }

    [Parameter]
    [TrueOrFalse]
    public bool? InstallVolcano { get; set; }

    [Parameter]
    [TrueOrFalse]
    public bool? InstallDcgmExporter { get; set; }

    /// <summary>Sends the given protected settings as the complete set, deleting the others.</summary>
    [Parameter]
    public SwitchParameter ReplaceProtectedSetting { get; set; }

    /// <summary>Sends a change to a setting fixed at create (usually breaks the extension's link to Azure ML).</summary>
    [Parameter]
    public SwitchParameter ForceImmutableSetting { get; set; }

    /// <summary>Makes disruptive changes without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Counts running jobs and deployments through this kubeconfig instead of Azure's user credentials.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeconfigPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeContext { get; set; }

    /// <summary>Runs the command as a PowerShell job (Get-Job, Receive-Job, Wait-Job, Stop-Job), one per input; see about_AzMLK8s.</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    private protected override bool RunsAsJob => AsJob.IsPresent;

    private protected override string JobTarget => ResourceId ?? ClusterResourceId ?? $"{ResourceGroupName}/{ClusterName}";

    protected override Task ProcessOneAsync(CancellationToken cancellationToken) => ExtensionCommands.UpdateAsync(
        Seam,
        Secrets,
        new UpdateExtensionInput
        {
            Change = Change(Name, new ExtensionToggles(
                EnableTraining, EnableInference, InternalLoadBalancer, AllowInsecureConnection, InstallNvidiaDevicePlugin, InstallPrometheusOperator, InstallVolcano, InstallDcgmExporter)),
            ReplaceProtectedSetting = ReplaceProtectedSetting.IsPresent,
            ForceImmutableSetting = ForceImmutableSetting.IsPresent,
            Force = Force.IsPresent,
            KubeconfigPath = UserFile.Existing(Seam, KubeconfigPath, nameof(KubeconfigPath)),
            KubeContext = KubeContext,
        },
        CommandContext(),
        cancellationToken);
}
