using System.Collections;
using System.Management.Automation;
using AzMLK8s.Engine.Operations.Extensions;
using AzMLK8s.Model.Extensions;

namespace AzMLK8s.Cmdlets.Extensions;

/// <summary>
/// Installs the Azure Machine Learning extension on an AKS or Arc cluster for training, inference or both. Every
/// setting is checked before anything is sent; waits until Succeeded (or reports the failure) unless -NoWait.
/// Running it again with the same settings changes nothing and returns the installed extension.
/// </summary>
[Cmdlet(VerbsCommon.New, "AzMLK8sExtension", HelpUri = AzMLK8sCmdlet.HelpUriBase + "New-AzMLK8sExtension.md", DefaultParameterSetName = ByClusterId, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AzMLK8sExtension))]
public sealed class NewAzMLK8sExtensionCommand : ExtensionSettingsCmdletBase
{
    [Parameter(ParameterSetName = ByClusterId)]
    [Parameter(ParameterSetName = ByClusterName)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = DefaultExtensionName;

    [Parameter]
    public SwitchParameter EnableTraining { get; set; }

    [Parameter]
    public SwitchParameter EnableInference { get; set; }

    /// <summary>Exposes the inference router on an Azure internal load balancer (AKS).</summary>
    [Parameter]
    public SwitchParameter InternalLoadBalancer { get; set; }

    [Parameter]
    public SwitchParameter AllowInsecureConnection { get; set; }

    [Parameter]
    public SwitchParameter InstallNvidiaDevicePlugin { get; set; }

    [Parameter]
    public SwitchParameter InstallPrometheusOperator { get; set; }

    [Parameter]
    public SwitchParameter InstallVolcano { get; set; }

    [Parameter]
    public SwitchParameter InstallDcgmExporter { get; set; }

    /// <summary>Runs the command as a PowerShell job (Get-Job, Receive-Job, Wait-Job, Stop-Job), one per input; see about_AzMLK8s.</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    private protected override bool RunsAsJob => AsJob.IsPresent;

    private protected override string JobTarget => ResourceId ?? ClusterResourceId ?? $"{ResourceGroupName}/{ClusterName}";

    protected override Task ProcessOneAsync(CancellationToken cancellationToken) => ExtensionCommands.NewAsync(
        Seam,
        Secrets,
        Change(Name, new ExtensionToggles(
            TrueOrNull(EnableTraining.IsPresent),
            TrueOrNull(EnableInference.IsPresent),
            TrueOrNull(InternalLoadBalancer.IsPresent),
            TrueOrNull(AllowInsecureConnection.IsPresent),
            TrueOrNull(InstallNvidiaDevicePlugin.IsPresent),
            TrueOrNull(InstallPrometheusOperator.IsPresent),
            TrueOrNull(InstallVolcano.IsPresent),
            TrueOrNull(InstallDcgmExporter.IsPresent))),
        CommandContext(),
        cancellationToken);
}
