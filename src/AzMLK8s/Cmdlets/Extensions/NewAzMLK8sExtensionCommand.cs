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
[Cmdlet(VerbsCommon.New, "AzMLK8sExtension", DefaultParameterSetName = ByClusterId, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AzMLK8sExtension))]
public sealed class NewAzMLK8sExtensionCommand : ExtensionCmdletBase
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = DefaultExtensionName;

    [Parameter]
    public SwitchParameter EnableTraining { get; set; }

    [Parameter]
    public SwitchParameter EnableInference { get; set; }

    [Parameter]
    [ValidateSet("LoadBalancer", "NodePort", "ClusterIP")]
    public string? InferenceRouterServiceType { get; set; }

    /// <summary>Exposes the inference router on an Azure internal load balancer (AKS).</summary>
    [Parameter]
    public SwitchParameter InternalLoadBalancer { get; set; }

    /// <summary>PEM file of the inference endpoint's certificate (full chain). Read and checked locally; never sent as a path.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SslCertificatePath { get; set; }

    /// <summary>PEM file of the certificate's private key (no passphrase).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SslKeyPath { get; set; }

    /// <summary>A Kubernetes secret in the azureml namespace holding cert.pem and key.pem, instead of the files.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SslSecretName { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SslCname { get; set; }

    [Parameter]
    public SwitchParameter AllowInsecureConnection { get; set; }

    /// <summary>Node labels the extension's components and workloads run on: @{ 'agentpool' = 'ml' }.</summary>
    [Parameter]
    public Hashtable? NodeSelector { get; set; }

    [Parameter]
    public SwitchParameter InstallNvidiaDevicePlugin { get; set; }

    [Parameter]
    public SwitchParameter InstallPrometheusOperator { get; set; }

    [Parameter]
    public SwitchParameter InstallVolcano { get; set; }

    [Parameter]
    public SwitchParameter InstallDcgmExporter { get; set; }

    /// <summary>Pins the extension version (turns auto-upgrade off).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    [Parameter]
    public bool? AutoUpgradeMinorVersion { get; set; }

    [Parameter]
    [ValidateSet("Stable", "Preview")]
    public string? ReleaseTrain { get; set; }

    /// <summary>Only 'azureml' is supported; any other value is refused before anything is sent.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReleaseNamespace { get; set; }

    /// <summary>Any other public setting, checked by the same catalog: @{ clusterPurpose = 'DevTest' }.</summary>
    [Parameter]
    public Hashtable? ConfigurationSetting { get; set; }

    /// <summary>Protected settings (values as SecureString), never shown after they are sent.</summary>
    [Parameter]
    public Hashtable? ConfigurationProtectedSetting { get; set; }

    /// <summary>Sends keys the catalog does not know, with a warning, instead of refusing them.</summary>
    [Parameter]
    public SwitchParameter AllowUnknownSetting { get; set; }

    [Parameter]
    public SwitchParameter NoWait { get; set; }

    protected override Task ProcessAsync(CancellationToken cancellationToken) => ExtensionCommands.NewAsync(
        Seam,
        Secrets,
        new NewExtensionInput
        {
            Target = Target(Name),
            Scenario = new ExtensionScenarioParameters
            {
                EnableTraining = TrueOrNull(IsPresent(EnableTraining)),
                EnableInference = TrueOrNull(IsPresent(EnableInference)),
                InferenceRouterServiceType = InferenceRouterServiceType,
                InternalLoadBalancer = TrueOrNull(IsPresent(InternalLoadBalancer)),
                SslCertificatePath = SslCertificatePath,
                SslKeyPath = SslKeyPath,
                SslSecretName = SslSecretName,
                SslCname = SslCname,
                AllowInsecureConnection = TrueOrNull(IsPresent(AllowInsecureConnection)),
                NodeSelector = Unwrapped(NodeSelector),
                InstallNvidiaDevicePlugin = TrueOrNull(IsPresent(InstallNvidiaDevicePlugin)),
                InstallPrometheusOperator = TrueOrNull(IsPresent(InstallPrometheusOperator)),
                InstallVolcano = TrueOrNull(IsPresent(InstallVolcano)),
                InstallDcgmExporter = TrueOrNull(IsPresent(InstallDcgmExporter)),
                ConfigurationSetting = Unwrapped(ConfigurationSetting),
                ConfigurationProtectedSetting = Unwrapped(ConfigurationProtectedSetting),
            },
            Version = Version,
            AutoUpgradeMinorVersion = AutoUpgradeMinorVersion,
            ReleaseTrain = ReleaseTrain,
            ReleaseNamespace = ReleaseNamespace,
            AllowUnknownSetting = IsPresent(AllowUnknownSetting),
            NoWait = IsPresent(NoWait),
        },
        CommandContext(),
        cancellationToken);
}
