using System.Collections;
using System.Management.Automation;
using AzMLK8s.Engine.Operations.Extensions;

namespace AzMLK8s.Cmdlets.Extensions;

/// <summary>
/// The settings parameters New- and Update-AzMLK8sExtension share. The on/off scenario parameters differ (switches
/// to install, $true/$false to change) and stay in each cmdlet.
/// </summary>
public abstract class ExtensionSettingsCmdletBase : ExtensionCmdletBase
{
    [Parameter]
    [ValidateSet("LoadBalancer", "NodePort", "ClusterIP")]
    public string? InferenceRouterServiceType { get; set; }

    /// <summary>PEM file of the inference endpoint's certificate (full chain). Read and checked locally; never sent as a path.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SslCertificatePath { get; set; }

    /// <summary>PEM file of the certificate's private key (no passphrase).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SslKeyPath { get; set; }

    /// <summary>A Kubernetes secret in the azureml namespace holding the certificate and key, instead of the files.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SslSecretName { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SslCname { get; set; }

    /// <summary>Node labels the extension's components and workloads run on: @{ 'agentpool' = 'ml' }.</summary>
    [Parameter]
    public Hashtable? NodeSelector { get; set; }

    /// <summary>Pins the extension version (turns auto-upgrade off).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    [Parameter]
    [TrueOrFalse]
    public bool? AutoUpgradeMinorVersion { get; set; }

    /// <summary>
    /// The release train the extension follows (with automatic minor-version upgrades): any train name the service
    /// knows; Stable (the default) and Preview complete with Tab.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ReleaseTrainCompleter))]
    public string? ReleaseTrain { get; set; }

    /// <summary>Only 'azureml' is supported (fixed at create); any other value is refused before anything is written.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReleaseNamespace { get; set; }

    /// <summary>Any other public setting, checked by the same catalog: @{ clusterPurpose = 'DevTest' }. On update a $null value removes the key.</summary>
    [Parameter]
    public Hashtable? ConfigurationSetting { get; set; }

    /// <summary>Protected settings (values as SecureString), never shown after they are sent. On update a $null value drops the key on purpose.</summary>
    [Parameter]
    public Hashtable? ConfigurationProtectedSetting { get; set; }

    /// <summary>
    /// A JSON file of public settings in the Azure CLI's format (az k8s-extension --configuration-settings-file): one
    /// object of key to string, true/false or number. Merged with -ConfigurationSetting and the other parameters; a
    /// key given twice must have the same value. On update a null value removes the key.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConfigurationSettingFile { get; set; }

    /// <summary>
    /// A JSON file of protected settings in the Azure CLI's format (az k8s-extension --config-protected-file). Its
    /// values are secrets: sent, never shown; on update it is the protected settings the update sends.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConfigurationProtectedSettingFile { get; set; }

    /// <summary>Sends keys the catalog does not know, with a warning, instead of refusing them.</summary>
    [Parameter]
    public SwitchParameter AllowUnknownSetting { get; set; }

    [Parameter]
    public SwitchParameter NoWait { get; set; }

    /// <summary>The settings change this call asks for, with the cmdlet's own on/off values.</summary>
    protected ExtensionChangeInput Change(string? name, ExtensionToggles toggles) => new()
    {
        Target = Target(name),
        Scenario = new ExtensionScenarioParameters
        {
            EnableTraining = toggles.EnableTraining,
            EnableInference = toggles.EnableInference,
            InferenceRouterServiceType = InferenceRouterServiceType,
            InternalLoadBalancer = toggles.InternalLoadBalancer,
            SslCertificatePath = SslCertificatePath,
            SslKeyPath = SslKeyPath,
            SslSecretName = SslSecretName,
            SslCname = SslCname,
            AllowInsecureConnection = toggles.AllowInsecureConnection,
            NodeSelector = Unwrapped(NodeSelector),
            InstallNvidiaDevicePlugin = toggles.InstallNvidiaDevicePlugin,
            InstallPrometheusOperator = toggles.InstallPrometheusOperator,
            InstallVolcano = toggles.InstallVolcano,
            InstallDcgmExporter = toggles.InstallDcgmExporter,
            ConfigurationSetting = Unwrapped(ConfigurationSetting),
            ConfigurationProtectedSetting = Unwrapped(ConfigurationProtectedSetting),
            ConfigurationSettingFile = ConfigurationSettingFile,
            ConfigurationProtectedSettingFile = ConfigurationProtectedSettingFile,
        },
        Version = Version,
        AutoUpgradeMinorVersion = AutoUpgradeMinorVersion,
        ReleaseTrain = ReleaseTrain,
        ReleaseNamespace = ReleaseNamespace,
        AllowUnknownSetting = AllowUnknownSetting.IsPresent,
        NoWait = NoWait.IsPresent,
    };

    /// <summary>The on/off parameters: null means not given.</summary>
    protected readonly record struct ExtensionToggles(
        bool? EnableTraining,
        bool? EnableInference,
        bool? InternalLoadBalancer,
        bool? AllowInsecureConnection,
        bool? InstallNvidiaDevicePlugin,
        bool? InstallPrometheusOperator,
        bool? InstallVolcano,
        bool? InstallDcgmExporter);
}
