using System.Collections;
using System.Net;
using System.Security;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Settings;
using AzMLK8s.Model;
using AzMLK8s.Model.Extensions;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Engine.Operations.Extensions;

/// <summary>
/// The flows of New/Get/Update/Remove/Test-AzMLK8sExtension for one pipeline input: check the input (nothing sent on
/// bad input), ask ShouldProcess/ShouldContinue through the host, call the lifecycle, write the result. The cmdlets
/// only bind parameters and call these (their classes hold no engine types, so importing the module loads no engine).
/// </summary>
public static class ExtensionCommands
{
    public static async Task NewAsync(ICmdletHost host, SecretRedactor secrets, ExtensionChangeInput input, ExtensionCommandContext context, CancellationToken cancellationToken)
    {
        var (publicSettings, protectedSettings) = ExtensionParameters.ToSettings(input.Scenario, context.BaseDirectory);
        RegisterSecrets(secrets, protectedSettings, input.Scenario.SslKeyPath ?? KeyPathIn(protectedSettings), context.BaseDirectory);
        var request = new ExtensionCreateRequest
        {
            ConfigurationSettings = publicSettings,
            ConfigurationProtectedSettings = protectedSettings,
            Version = input.Version,
            AutoUpgradeMinorVersion = input.AutoUpgradeMinorVersion,
            ReleaseTrain = input.ReleaseTrain,
            ReleaseNamespace = input.ReleaseNamespace,
        };
        var options = new ExtensionSettingsOptions { AllowUnknownSetting = input.AllowUnknownSetting, BaseDirectory = context.BaseDirectory };
        var (fromId, name) = SplitTarget(input.Target);

        var connection = Connect(host, context);
        var cluster = fromId ?? ResolveCluster(input.Target, connection);
        var lifecycle = new ExtensionLifecycle(connection);
        RegisterSecrets(secrets, lifecycle.CheckCreate(cluster, name, request, options));

        var prepared = await lifecycle.PrepareCreateAsync(cluster, name, request, options, cancellationToken).ConfigureAwait(false);
        RegisterSecrets(secrets, prepared.Plan);
        WriteWarnings(host, prepared.Plan);
        if (prepared.Outcome == CreateOutcome.AlreadyInstalled)
        {
            host.WriteVerbose($"Extension '{name}' is already installed on '{cluster.Name}' with these settings; nothing was sent.");
            host.WriteObject(await lifecycle.CreateAsync(prepared, noWait: true, cancellationToken).ConfigureAwait(false));
            return;
        }

        if (prepared.Outcome == CreateOutcome.InProgress)
        {
            host.WriteVerbose($"Extension '{name}' is being installed on '{cluster.Name}' with these settings already ({prepared.Existing!.Properties.ProvisioningState}); waiting for it, nothing was sent.");
            PipelineInputWork.Starting();
            host.WriteObject(await lifecycle.CreateAsync(prepared, input.NoWait, cancellationToken).ConfigureAwait(false));
            return;
        }

        var verb = prepared.Outcome == CreateOutcome.RetryFailed ? "Install again the failed" : "Install the";
        var action = $"{verb} AzureML extension '{name}' ({prepared.Scenarios}) with {prepared.Plan.Changes.Count} setting(s)" +
            (prepared.Plan.PendingResources == SupportingResources.None ? string.Empty : $", finding or creating: {prepared.Plan.PendingResources}") +
            $":{Environment.NewLine}{string.Join(Environment.NewLine, prepared.Plan.WhatIfLines)}";
        if (!host.ShouldProcess(cluster.ResourceId, action))
        {
            return;
        }

        PipelineInputWork.Starting();

        host.WriteObject(await lifecycle.CreateAsync(prepared, input.NoWait, cancellationToken).ConfigureAwait(false));
    }

    public static async Task GetAsync(ICmdletHost host, ExtensionTarget target, ExtensionCommandContext context, CancellationToken cancellationToken)
    {
        var (fromId, name) = target.ResourceId is null && target.Name is null ? (null, null) : SplitTarget(target);
        var connection = Connect(host, context);
        var cluster = fromId ?? ResolveCluster(target, connection);
        var lifecycle = new ExtensionLifecycle(connection);
        if (name is not null)
        {
            host.WriteObject(await lifecycle.GetAsync(cluster, name, cancellationToken).ConfigureAwait(false));
            return;
        }

        var all = await lifecycle.ListAsync(cluster, cancellationToken).ConfigureAwait(false);
        if (all.Count == 0)
        {
            host.WriteVerbose($"Cluster '{cluster.Name}' has no AzureML extension.");
        }

        foreach (var extension in all)
        {
            host.WriteObject(extension);
        }
    }

    public static async Task UpdateAsync(ICmdletHost host, SecretRedactor secrets, UpdateExtensionInput update, ExtensionCommandContext context, CancellationToken cancellationToken)
    {
        var input = update.Change;
        var (publicSettings, protectedSettings) = ExtensionParameters.ToSettings(input.Scenario, context.BaseDirectory);
        RegisterSecrets(secrets, protectedSettings, input.Scenario.SslKeyPath ?? KeyPathIn(protectedSettings), context.BaseDirectory);
        var request = new ExtensionUpdateRequest
        {
            ConfigurationSettings = publicSettings.NullIfEmpty(),
            ConfigurationProtectedSettings = protectedSettings.NullIfEmpty(),
            Version = input.Version,
            AutoUpgradeMinorVersion = input.AutoUpgradeMinorVersion,
            ReleaseTrain = input.ReleaseTrain,
        };
        var options = new ExtensionSettingsOptions
        {
            AllowUnknownSetting = input.AllowUnknownSetting,
            ReplaceProtectedSettings = update.ReplaceProtectedSetting,
            ForceImmutableSettingChange = update.ForceImmutableSetting,
            BaseDirectory = context.BaseDirectory,
        };
        var (fromId, name) = SplitTarget(input.Target);
        ExtensionLifecycle.CheckUpdateInput(request, options);

        var connection = Connect(host, context);
        var cluster = fromId ?? ResolveCluster(input.Target, connection);
        var lifecycle = new ExtensionLifecycle(connection);
        var prepared = await lifecycle.PrepareUpdateAsync(cluster, name, request, options, cancellationToken, input.ReleaseNamespace).ConfigureAwait(false);
        RegisterSecrets(secrets, prepared.Plan);
        WriteWarnings(host, prepared.Plan);
        if (!prepared.Plan.HasChanges)
        {
            host.WriteVerbose($"Extension '{name}' already has these settings; nothing was sent.");
            host.WriteObject(await lifecycle.UpdateAsync(prepared, input.NoWait, cancellationToken).ConfigureAwait(false));
            return;
        }

        // Read before the questions, which come one input at a time: a fleet's counts run side by side.
        var asksAboutDisruption = prepared.Plan.DisruptiveChanges.Count > 0 && !update.Force;
        var impact = asksAboutDisruption
            ? await RunningWorkloadCounter.CountAsync(
                connection,
                cluster,
                new KubernetesAccessOptions { KubeconfigPath = update.KubeconfigPath, KubeContext = update.KubeContext },
                cancellationToken).ConfigureAwait(false)
            : null;

        var diff = string.Join(Environment.NewLine, prepared.Plan.WhatIfLines);
        if (!host.ShouldProcess(prepared.ExtensionId, $"Update the AzureML extension '{name}':{Environment.NewLine}{diff}"))
        {
            return;
        }

        if (impact is not null)
        {
            var query = $"These changes interrupt running work on cluster '{cluster.Name}':{Environment.NewLine}" +
                string.Join(Environment.NewLine, prepared.Plan.DisruptiveChanges.Select(c => $"  {c} [{c.Disruption}]")) +
                $"{Environment.NewLine}{impact}{Environment.NewLine}Update the extension now?";
            if (!host.ShouldContinue(query, $"Disruptive update of extension '{name}'"))
            {
                host.WriteWarning($"Extension '{name}' was not updated. Use -Force to make disruptive changes without asking (for example in scripts).");
                return;
            }
        }

        PipelineInputWork.Starting();

        host.WriteObject(await lifecycle.UpdateAsync(prepared, input.NoWait, cancellationToken).ConfigureAwait(false));
    }

    public static async Task RemoveAsync(ICmdletHost host, RemoveExtensionInput input, ExtensionCommandContext context, CancellationToken cancellationToken)
    {
        var (fromId, name) = SplitTarget(input.Target);
        var connection = Connect(host, context);
        var cluster = fromId ?? ResolveCluster(input.Target, connection);
        var lifecycle = new ExtensionLifecycle(connection);
        if (await lifecycle.FindForRemovalAsync(cluster, name, cancellationToken).ConfigureAwait(false) is null)
        {
            host.WriteVerbose($"Cluster '{cluster.Name}' has no extension named '{name}'; nothing to remove.");
            return;
        }

        var action = input.Force
            ? $"Force-delete the AzureML extension '{name}' (the Azure resource goes at once; its components may stay on the cluster); running jobs and inference endpoints stop"
            : $"Remove the AzureML extension '{name}' and its components from the cluster; running jobs and inference endpoints stop";
        if (!host.ShouldProcess(Azure.Resources.ExtensionOperations.ExtensionId(cluster.ResourceId, name), action))
        {
            return;
        }

        PipelineInputWork.Starting();

        AzMLK8sExtension? before = null;
        if (input.PassThru)
        {
            before = (await lifecycle.ListAsync(cluster, cancellationToken).ConfigureAwait(false)).FirstOrDefault(e => e.Name == name);
        }

        if (!await lifecycle.DeleteAsync(cluster, name, input.Force, input.NoWait, cancellationToken).ConfigureAwait(false))
        {
            host.WriteVerbose($"Cluster '{cluster.Name}' has no extension named '{name}'; nothing to remove.");
            return;
        }

        host.WriteVerbose(input.NoWait ? $"Removal of extension '{name}' started." : $"Extension '{name}' was removed.");
        if (before is not null)
        {
            host.WriteObject(before);
        }
    }

    public static async Task TestAsync(ICmdletHost host, TestExtensionInput input, ExtensionCommandContext context, CancellationToken cancellationToken)
    {
        if (input.TimeoutSeconds < 1 || input.Interval <= TimeSpan.Zero)
        {
            throw ExtensionErrors.Create(
                ExtensionErrors.InvalidTimeout,
                ErrorKind.InvalidArgument,
                "-TimeoutSeconds and -IntervalSeconds must be at least 1.",
                "For example -Wait -TimeoutSeconds 900 -IntervalSeconds 30.",
                input.TimeoutSeconds);
        }

        var (fromId, name) = SplitTarget(input.Target);
        var connection = Connect(host, context);
        var cluster = fromId ?? ResolveCluster(input.Target, connection);
        var inspector = new ExtensionHealthInspector(connection);
        var access = new KubernetesAccessOptions { KubeconfigPath = input.KubeconfigPath, KubeContext = input.KubeContext };
        if (!input.Wait)
        {
            host.WriteObject(await inspector.InspectAsync(cluster, name, access, cancellationToken).ConfigureAwait(false));
            return;
        }

        var (report, healthy) = await inspector.WaitAsync(cluster, name, access, TimeSpan.FromSeconds(input.TimeoutSeconds), input.Interval, cancellationToken).ConfigureAwait(false);
        host.WriteObject(report);
        if (!healthy)
        {
            host.WriteError(new ModuleError(
                ExtensionErrors.HealthTimeout,
                ErrorKind.OperationTimeout,
                $"Extension '{name}' was not healthy after {input.TimeoutSeconds} seconds: {report.Summary}")
            {
                RecommendedAction = "Follow the Fix of the failing findings in the report, or wait longer with -TimeoutSeconds.",
                TargetObject = report.ResourceId,
            });
        }
    }

    private const string DefaultName = "azureml";

    private static ArmConnection Connect(ICmdletHost host, ExtensionCommandContext context)
    {
        return ArmConnection.FromContext(null, host);
    }

    /// <summary>An extension resource id gives the cluster and name; otherwise the name (checked) and no cluster yet.</summary>
    private static (ClusterReference? Cluster, string Name) SplitTarget(ExtensionTarget target)
    {
        if (target.ResourceId is not null)
        {
            var (cluster, fromId) = ExtensionParameters.ParseExtensionId(target.ResourceId);
            ExtensionErrors.CheckName(fromId);
            return (cluster, fromId);
        }

        var name = target.Name ?? DefaultName;
        ExtensionErrors.CheckName(name);
        if (target.ClusterResourceId is not null)
        {
            return (ClusterReference.Parse(target.ClusterResourceId), name);
        }

        return (null, name);
    }

    /// <summary>The cluster named by the call's parameters; the subscription of a name comes from the context.</summary>
    private static ClusterReference ResolveCluster(ExtensionTarget target, ArmConnection connection)
    {
        if (target.ClusterResourceId is not null)
        {
            return ClusterReference.Parse(target.ClusterResourceId);
        }

        if (string.IsNullOrWhiteSpace(target.ClusterName) || string.IsNullOrWhiteSpace(target.ResourceGroupName))
        {
            throw ExtensionErrors.Create(
                ExtensionErrors.ClusterRequired,
                ErrorKind.InvalidArgument,
                "No cluster was given.",
                "Give -ClusterResourceId, or -ClusterName with -ResourceGroupName and -ClusterType (Aks or Arc).",
                null);
        }

        // Built as an id and parsed back, so names a resource id cannot hold fail like a bad id.
        return ClusterReference.Parse(new ClusterReference(connection.SubscriptionId, target.ResourceGroupName, target.ClusterName, target.ClusterType).ResourceId, "ClusterName");
    }

    /// <summary>Registers every protected value and the PEM key file's lines so no stream can show them.</summary>
    private static void RegisterSecrets(SecretRedactor secrets, IDictionary protectedSettings, string? keyPath, string? baseDirectory)
    {
        foreach (DictionaryEntry entry in protectedSettings)
        {
            switch (entry.Value)
            {
                case SecureString secure:
                    secrets.Add(new NetworkCredential(string.Empty, secure).Password);
                    break;
                case string text when !IsPemPathKey(entry.Key as string):
                    secrets.Add(text);
                    break;
            }
        }

        var path = keyPath is null ? null : Path.GetFullPath(keyPath, baseDirectory ?? Environment.CurrentDirectory);
        if (path is not null && File.Exists(path))
        {
            try
            {
                foreach (var line in File.ReadAllLines(path).Where(l => l.Trim().Length >= 16 && !l.StartsWith("-----", StringComparison.Ordinal)))
                {
                    secrets.Add(line.Trim());
                }
            }
            catch (IOException)
            {
                // The settings engine reports an unreadable file with its own error.
            }
            catch (UnauthorizedAccessException)
            {
                // Likewise.
            }
        }
    }

    private static void RegisterSecrets(SecretRedactor secrets, ExtensionSettingsPlan plan)
    {
        foreach (var (_, value) in plan.ConfigurationProtectedSettings ?? ProtectedSettingsMap.Empty)
        {
            secrets.Add(value);
        }
    }

    private static void WriteWarnings(ICmdletHost host, ExtensionSettingsPlan plan)
    {
        foreach (var warning in plan.Warnings)
        {
            host.WriteWarning(warning);
        }
    }

    // The key file a protected settings table or file names (sslKeyPemFile or its alias), for the redactor.
    private static string? KeyPathIn(IDictionary protectedSettings) =>
        protectedSettings.Keys.OfType<string>()
            .Where(k => SettingsCatalog.Find(k)?.Key == SettingsCatalog.SslKeyPemFile || SettingsCatalog.FindByAlias(k)?.Key == SettingsCatalog.SslKeyPemFile)
            .Select(k => protectedSettings[k] as string)
            .FirstOrDefault(v => !string.IsNullOrEmpty(v));

    private static bool IsPemPathKey(string? key) =>
        string.Equals(key, SettingsCatalog.SslCertPemFile, StringComparison.OrdinalIgnoreCase) || string.Equals(key, SettingsCatalog.SslKeyPemFile, StringComparison.OrdinalIgnoreCase);
}
