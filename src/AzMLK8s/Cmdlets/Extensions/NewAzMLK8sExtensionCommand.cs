using System.Collections;
using System.Management.Automation;
using AzMLK8s.Engine.Operations.Extensions;
using AzMLK8s.Engine.Settings;
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

    protected override Task ProcessAsync(CancellationToken cancellationToken) => ProcessOneAsync(cancellationToken);

    private async Task ProcessOneAsync(CancellationToken cancellationToken)
    {
        var (publicSettings, protectedSettings) = ExtensionParameters.ToSettings(new ExtensionScenarioParameters
        {
            EnableTraining = IsPresent(EnableTraining) ? true : null,
            EnableInference = IsPresent(EnableInference) ? true : null,
            InferenceRouterServiceType = InferenceRouterServiceType,
            InternalLoadBalancer = IsPresent(InternalLoadBalancer) ? true : null,
            SslCertificatePath = SslCertificatePath,
            SslKeyPath = SslKeyPath,
            SslSecretName = SslSecretName,
            SslCname = SslCname,
            AllowInsecureConnection = IsPresent(AllowInsecureConnection) ? true : null,
            NodeSelector = Unwrapped(NodeSelector),
            InstallNvidiaDevicePlugin = IsPresent(InstallNvidiaDevicePlugin) ? true : null,
            InstallPrometheusOperator = IsPresent(InstallPrometheusOperator) ? true : null,
            InstallVolcano = IsPresent(InstallVolcano) ? true : null,
            InstallDcgmExporter = IsPresent(InstallDcgmExporter) ? true : null,
            ConfigurationSetting = Unwrapped(ConfigurationSetting),
            ConfigurationProtectedSetting = Unwrapped(ConfigurationProtectedSetting),
        });
        RegisterSecrets(protectedSettings, SslKeyPath);
        var request = new ExtensionCreateRequest
        {
            ConfigurationSettings = publicSettings,
            ConfigurationProtectedSettings = protectedSettings,
            Version = Version,
            AutoUpgradeMinorVersion = AutoUpgradeMinorVersion,
            ReleaseTrain = ReleaseTrain,
            ReleaseNamespace = ReleaseNamespace,
        };
        var options = new ExtensionSettingsOptions { AllowUnknownSetting = IsPresent(AllowUnknownSetting), BaseDirectory = BaseDirectory };

        var connection = Connect();
        var cluster = ResolveCluster(connection);
        var lifecycle = new ExtensionLifecycle(connection);
        RegisterSecrets(lifecycle.CheckCreate(cluster, Name, request, options));

        var prepared = await lifecycle.PrepareCreateAsync(cluster, Name, request, options, cancellationToken).ConfigureAwait(false);
        RegisterSecrets(prepared.Plan);
        WriteWarnings(prepared.Plan);
        if (prepared.Outcome == CreateOutcome.AlreadyInstalled)
        {
            Seam.WriteVerbose($"Extension '{Name}' is already installed on '{cluster.Name}' with these settings; nothing was sent.");
            Seam.WriteObject(await lifecycle.CreateAsync(prepared, noWait: true, cancellationToken).ConfigureAwait(false));
            return;
        }

        foreach (var line in prepared.Plan.WhatIfLines)
        {
            Seam.WriteVerbose(line);
        }

        var action = prepared.Outcome == CreateOutcome.RetryFailed
            ? $"Install again the failed AzureML extension '{Name}' ({prepared.Scenarios}) with {prepared.Plan.Changes.Count} setting(s)"
            : $"Install the AzureML extension '{Name}' ({prepared.Scenarios}) with {prepared.Plan.Changes.Count} setting(s)" +
              (prepared.Plan.PendingResources == SupportingResources.None ? string.Empty : $", creating if missing: {prepared.Plan.PendingResources}");
        if (!Seam.ShouldProcess(cluster.ResourceId, action))
        {
            return;
        }

        var extension = await lifecycle.CreateAsync(prepared, IsPresent(NoWait), cancellationToken).ConfigureAwait(false);
        Seam.WriteObject(extension);
    }
}
