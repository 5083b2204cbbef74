using System.Collections;
using System.Management.Automation;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Operations.Extensions;
using AzMLK8s.Engine.Settings;
using AzMLK8s.Model.Extensions;

namespace AzMLK8s.Cmdlets.Extensions;

/// <summary>
/// Changes the AzureML extension's settings, version or upgrade policy without losing any: public settings merge,
/// protected settings are completed (or the update is refused), immutable ones are refused with the way out.
/// -WhatIf shows the exact diff (secrets masked); disruptive changes ask first, or need -Force in scripts.
/// </summary>
[Cmdlet(VerbsData.Update, "AzMLK8sExtension", DefaultParameterSetName = ByClusterId, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AzMLK8sExtension))]
public sealed class UpdateAzMLK8sExtensionCommand : ExtensionCmdletBase
{
    [Parameter(ParameterSetName = ByClusterId, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ByClusterName)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = DefaultExtensionName;

    /// <summary>The extension's resource id, instead of its cluster and name.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByResourceId)]
    [ValidateNotNullOrEmpty]
    public string? ResourceId { get; set; }

    /// <summary>$true or $false: turns training on or off (off is disruptive).</summary>
    [Parameter]
    public bool? EnableTraining { get; set; }

    [Parameter]
    public bool? EnableInference { get; set; }

    [Parameter]
    [ValidateSet("LoadBalancer", "NodePort", "ClusterIP")]
    public string? InferenceRouterServiceType { get; set; }

    [Parameter]
    public bool? InternalLoadBalancer { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SslCertificatePath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SslKeyPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SslSecretName { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SslCname { get; set; }

    [Parameter]
    public bool? AllowInsecureConnection { get; set; }

    [Parameter]
    public Hashtable? NodeSelector { get; set; }

    [Parameter]
    public bool? InstallNvidiaDevicePlugin { get; set; }

    [Parameter]
    public bool? InstallPrometheusOperator { get; set; }

    [Parameter]
    public bool? InstallVolcano { get; set; }

    [Parameter]
    public bool? InstallDcgmExporter { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    [Parameter]
    public bool? AutoUpgradeMinorVersion { get; set; }

    [Parameter]
    [ValidateSet("Stable", "Preview")]
    public string? ReleaseTrain { get; set; }

    /// <summary>Fixed at create: any other value than the installed one is refused with the way out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReleaseNamespace { get; set; }

    /// <summary>Public settings to set; a $null value removes the key.</summary>
    [Parameter]
    public Hashtable? ConfigurationSetting { get; set; }

    /// <summary>Protected settings to send (SecureString values); a $null value drops the key on purpose.</summary>
    [Parameter]
    public Hashtable? ConfigurationProtectedSetting { get; set; }

    [Parameter]
    public SwitchParameter AllowUnknownSetting { get; set; }

    /// <summary>Sends the given protected settings as the complete set, deleting the others.</summary>
    [Parameter]
    public SwitchParameter ReplaceProtectedSetting { get; set; }

    /// <summary>Sends a change to a setting fixed at create (usually breaks the extension's link to Azure ML).</summary>
    [Parameter]
    public SwitchParameter ForceImmutableSetting { get; set; }

    /// <summary>Makes disruptive changes without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter NoWait { get; set; }

    /// <summary>Counts running jobs and deployments through this kubeconfig instead of Azure's user credentials.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeconfigPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeContext { get; set; }

    protected override Task ProcessAsync(CancellationToken cancellationToken) => ProcessOneAsync(cancellationToken);

    private async Task ProcessOneAsync(CancellationToken cancellationToken)
    {
        var (publicSettings, protectedSettings) = ExtensionParameters.ToSettings(new ExtensionScenarioParameters
        {
            EnableTraining = EnableTraining,
            EnableInference = EnableInference,
            InferenceRouterServiceType = InferenceRouterServiceType,
            InternalLoadBalancer = InternalLoadBalancer,
            SslCertificatePath = SslCertificatePath,
            SslKeyPath = SslKeyPath,
            SslSecretName = SslSecretName,
            SslCname = SslCname,
            AllowInsecureConnection = AllowInsecureConnection,
            NodeSelector = Unwrapped(NodeSelector),
            InstallNvidiaDevicePlugin = InstallNvidiaDevicePlugin,
            InstallPrometheusOperator = InstallPrometheusOperator,
            InstallVolcano = InstallVolcano,
            InstallDcgmExporter = InstallDcgmExporter,
            ConfigurationSetting = Unwrapped(ConfigurationSetting),
            ConfigurationProtectedSetting = Unwrapped(ConfigurationProtectedSetting),
        });
        RegisterSecrets(protectedSettings, SslKeyPath);
        var request = new ExtensionUpdateRequest
        {
            ConfigurationSettings = publicSettings.Count == 0 ? null : publicSettings,
            ConfigurationProtectedSettings = protectedSettings.Count == 0 ? null : protectedSettings,
            Version = Version,
            AutoUpgradeMinorVersion = AutoUpgradeMinorVersion,
            ReleaseTrain = ReleaseTrain,
        };
        var options = new ExtensionSettingsOptions
        {
            AllowUnknownSetting = IsPresent(AllowUnknownSetting),
            ReplaceProtectedSettings = IsPresent(ReplaceProtectedSetting),
            ForceImmutableSettingChange = IsPresent(ForceImmutableSetting),
            BaseDirectory = BaseDirectory,
        };

        var (cluster, name) = ResourceId is not null ? ExtensionParameters.ParseExtensionId(ResourceId) : (null, Name);
        ExtensionErrors.CheckName(name);
        ExtensionLifecycle.CheckUpdateInput(request, options);
        var connection = Connect();
        cluster ??= ResolveCluster(connection);
        var lifecycle = new ExtensionLifecycle(connection);
        var prepared = await lifecycle.PrepareUpdateAsync(cluster, name, request, options, cancellationToken, ReleaseNamespace).ConfigureAwait(false);
        RegisterSecrets(prepared.Plan);
        WriteWarnings(prepared.Plan);
        if (!prepared.Plan.HasChanges)
        {
            Seam.WriteVerbose($"Extension '{name}' already has these settings; nothing was sent.");
            Seam.WriteObject(await lifecycle.UpdateAsync(prepared, IsPresent(NoWait), cancellationToken).ConfigureAwait(false));
            return;
        }

        var diff = string.Join(Environment.NewLine, prepared.Plan.WhatIfLines);
        if (!Seam.ShouldProcess(prepared.ExtensionId, $"Update the AzureML extension '{name}':{Environment.NewLine}{diff}"))
        {
            return;
        }

        if (prepared.Plan.DisruptiveChanges.Count > 0 && !IsPresent(Force))
        {
            var impact = await RunningWorkloadCounter.CountAsync(
                connection,
                cluster,
                new KubernetesAccessOptions { KubeconfigPath = KubeconfigPath, KubeContext = KubeContext },
                cancellationToken).ConfigureAwait(false);
            var query = $"These changes interrupt running work on cluster '{cluster.Name}':{Environment.NewLine}" +
                string.Join(Environment.NewLine, prepared.Plan.DisruptiveChanges.Select(c => $"  {c} [{c.Disruption}]")) +
                $"{Environment.NewLine}{impact}{Environment.NewLine}Update the extension now?";
            if (!Seam.ShouldContinue(query, $"Disruptive update of extension '{name}'"))
            {
                Seam.WriteWarning($"Extension '{name}' was not updated. Use -Force to make disruptive changes without asking (for example in scripts).");
                return;
            }
        }

        Seam.WriteObject(await lifecycle.UpdateAsync(prepared, IsPresent(NoWait), cancellationToken).ConfigureAwait(false));
    }
}
