namespace AzMLK8s.Engine.Settings;

/// <summary>
/// The settings engine: turns what a cmdlet was given into the extension body to send, applying the catalog's
/// input rules, the create rules, the cluster-derived settings, and on update the merge and guard rules. Pure: no
/// Azure calls; everything it needs (cluster facts, the current extension, re-read secrets) is passed in.
/// </summary>
public sealed class ExtensionSettingsPlanner
{
    private readonly TimeProvider _time;

    public ExtensionSettingsPlanner(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The full extension body for New-AzMLK8sExtension.</summary>
    /// <exception cref="Model.ModuleErrorException">A rule is broken; nothing should be sent.</exception>
    public ExtensionSettingsPlan PlanCreate(ExtensionCreateRequest request, ClusterFacts cluster, ExtensionSettingsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(cluster);
        options ??= ExtensionSettingsOptions.Default;

        CheckReleaseNamespace(request.ReleaseNamespace);
        var (version, autoUpgrade) = VersionRules.ForCreate(request.Version, request.AutoUpgradeMinorVersion);

        var input = SettingsInputReader.Read(request.ConfigurationSettings, request.ConfigurationProtectedSettings, options.AllowUnknownSetting, allowRemovals: false);
        var warnings = input.Warnings;
        ResolvedSettings.Merge(input, request.ResolvedSettings, request.ResolvedProtectedSettings);

        var training = input.IsTrue(SettingsCatalog.EnableTraining);
        var inference = input.IsTrue(SettingsCatalog.EnableInference);
        if (!training && !inference)
        {
            throw SettingErrors.Invalid(
                SettingErrors.NoScenarioEnabled,
                "The extension needs at least one scenario: neither enableTraining nor enableInference is true.",
                "Add -EnableTraining and/or -EnableInference (configuration settings enableTraining=true, enableInference=true).",
                SettingsCatalog.EnableTraining);
        }

        // Both sent explicitly, so later reads of the extension never depend on chart defaults.
        input.Public[SettingsCatalog.EnableTraining] = SettingValues.FromBoolean(training);
        input.Public[SettingsCatalog.EnableInference] = SettingValues.FromBoolean(inference);

        var effects = new Dictionary<string, string>(StringComparer.Ordinal);
        if (inference)
        {
            ApplyInferenceForCreate(input, cluster, options, warnings, effects);
        }
        else
        {
            DropUnusedPemFiles(input, warnings);
        }

        WarnAboutInactiveSettings(input.Public.Keys.Concat(input.Protected.Keys), training, inference, warnings);
        ClusterDefaults.Apply(input.Public, cluster, warnings);
        if (SettingValues.IsTrue(input.PublicValue(SettingsCatalog.IsAksMigration)) && inference)
        {
            input.Public[SettingsCatalog.ScoringFeNamespace] = "default";
        }

        ResolvedSettings.SendUnderWireKeys(input.Protected);
        var pending = ResolvedSettings.Pending(input.Public, input.Protected);
        var publicSettings = Sorted(input.Public);
        return new ExtensionSettingsPlan
        {
            ReleaseNamespace = SettingsCatalog.ReleaseNamespace,
            IdentityType = cluster.Kind == ClusterKind.Arc ? "SystemAssigned" : null,
            Version = version,
            AutoUpgradeMinorVersion = autoUpgrade,
            ReleaseTrain = VersionRules.CanonicalReleaseTrain(request.ReleaseTrain) ?? "Stable",
            ConfigurationSettings = publicSettings,
            ConfigurationProtectedSettings = new ProtectedSettingsMap(input.Protected),
            ResultingConfigurationSettings = publicSettings,
            PendingResources = pending,
            Warnings = warnings.ToArray(),
            Changes = CreateChanges(publicSettings, input.Protected.Keys, effects),
        };
    }

    /// <summary>The PATCH body for Update-AzMLK8sExtension: changed public settings, removals, and the complete protected map or none.</summary>
    /// <exception cref="Model.ModuleErrorException">A rule is broken; nothing should be sent.</exception>
    public ExtensionSettingsPlan PlanUpdate(ExtensionUpdateRequest request, ExistingExtension current, ExtensionSettingsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        return new ExtensionUpdatePlanner(request, current, options ?? ExtensionSettingsOptions.Default, _time.GetUtcNow()).Plan();
    }

    /// <summary>
    /// The protected keys the installed extension has and an update must send again whenever it sends any
    /// protected setting: the names the service returned, or else those its public settings imply (TLS files,
    /// relay, Service Bus, Log Analytics). The operations layer re-reads the Azure-held ones before planning.
    /// </summary>
    public static IReadOnlyCollection<string> RetainedProtectedKeys(ExistingExtension current) => ProtectedSettingsGuard.RetainedKeys(current);

    private void ApplyInferenceForCreate(SettingsInput input, ClusterFacts cluster, ExtensionSettingsOptions options, List<string> warnings, Dictionary<string, string> effects)
    {
        // No type given: the seed documents' default (public load balancer), said out loud.
        if (input.Public.TryAdd(SettingsCatalog.InferenceRouterServiceType, SettingsCatalog.ServiceTypes.LoadBalancer) &&
            InferenceSettingsRules.IsPublicLoadBalancer(input.Public))
        {
            warnings.Add(InferenceSettingsRules.PublicRouterWarning);
            effects[SettingsCatalog.InferenceRouterServiceType] = InferenceSettingsRules.PublicRouterEffect;
        }

        InferenceSettingsRules.CheckServiceType(input.Public);
        if (InferenceSettingsRules.IsNodePort(input.Public))
        {
            input.Public[SettingsCatalog.ScoringFeNodePort] = SettingValues.True;
        }

        if (InferenceSettingsRules.IsInternalLoadBalancer(input.Public))
        {
            input.Public[SettingsCatalog.ScoringFeInternalLoadBalancer] = SettingValues.True;
            if (cluster.Kind == ClusterKind.Arc)
            {
                warnings.Add("internalLoadBalancerProvider=azure works only where Kubernetes can create Azure internal load balancers (AKS, AKS Engine); other Arc clusters leave the router's service pending.");
            }
        }

        var files = InferenceSettingsRules.PemFiles(input);
        var secret = input.PublicValue(SettingsCatalog.SslSecret);
        var direct = input.Protected.ContainsKey(SettingsCatalog.ScoringFeSslCert) || input.Protected.ContainsKey(SettingsCatalog.ScoringFeSslKey);
        var sources = new[] { files is not null ? "PEM files" : null, secret is not null ? "sslSecret" : null, direct ? "scoringFe.sslCert/sslKey" : null }
            .OfType<string>().ToArray();
        if (sources.Length > 1)
        {
            throw InferenceSettingsRules.TlsSourceConflict(string.Join(" and ", sources), "Give one: the PEM files (-SslCertificatePath/-SslKeyPath) or -SslSecretName.");
        }

        var insecure = input.IsTrue(SettingsCatalog.AllowInsecureConnections);
        if (sources.Length == 1 && insecure)
        {
            throw InferenceSettingsRules.TlsWithInsecureConnections();
        }

        if (sources.Length == 0)
        {
            if (!insecure)
            {
                throw InferenceSettingsRules.TlsRequired();
            }

            warnings.Add(InferenceSettingsRules.InsecureWarning);
            return;
        }

        var cname = input.PublicValue(SettingsCatalog.SslCname) ?? throw InferenceSettingsRules.SslCnameRequired();
        if (secret is not null)
        {
            input.Public[SettingsCatalog.ScoringFeSslSecret] = secret;
        }

        if (files is { } pair)
        {
            InferenceSettingsRules.ReplacePemFilesWithContent(input, pair, cname, _time.GetUtcNow(), options.BaseDirectory, warnings);
        }
    }

    internal static void DropUnusedPemFiles(SettingsInput input, List<string> warnings)
    {
        if (input.Protected.Remove(SettingsCatalog.SslCertPemFile) | input.Protected.Remove(SettingsCatalog.SslKeyPemFile))
        {
            warnings.Add("The TLS PEM files were not read: they serve inference endpoints, and enableInference is not true.");
        }
    }

    /// <summary>Warns about settings given for a scenario that is not enabled: they are sent but have no effect.</summary>
    internal static void WarnAboutInactiveSettings(IEnumerable<string> keys, bool training, bool inference, List<string> warnings)
    {
        foreach (var key in keys)
        {
            var definition = SettingsCatalog.Find(key);
            if (definition is null || definition.IsGenerated || IsScenarioSwitch(key))
            {
                continue;
            }

            if (definition.Scenarios == SettingScenarios.Inference && !inference)
            {
                warnings.Add($"Setting '{key}' applies to inference only and has no effect while enableInference is not true.");
            }
            else if (definition.Scenarios == SettingScenarios.Training && !training)
            {
                warnings.Add($"Setting '{key}' applies to training only and has no effect while enableTraining is not true.");
            }
        }
    }

    // enableTraining=false or enableInference=false says which scenario is off; it is not a setting of that scenario.
    private static bool IsScenarioSwitch(string key) =>
        key.Equals(SettingsCatalog.EnableTraining, StringComparison.OrdinalIgnoreCase)
        || key.Equals(SettingsCatalog.EnableInference, StringComparison.OrdinalIgnoreCase);

    private static IReadOnlyList<SettingChange> CreateChanges(IReadOnlyDictionary<string, string> publicSettings, IEnumerable<string> protectedKeys, IReadOnlyDictionary<string, string> effects)
    {
        var changes = publicSettings.Select(p =>
        {
            var definition = SettingsCatalog.Find(p.Key);
            var effect = effects.GetValueOrDefault(p.Key)
                ?? (definition?.Kind == SettingValueKind.Boolean && SettingValues.IsTrue(p.Value) ? definition.EffectWhenTurnedOn : null);
            return new SettingChange(p.Key, null, p.Value, SettingDisruption.None) { Effect = effect };
        });
        var secrets = protectedKeys.OrderBy(k => k, StringComparer.Ordinal)
            .Select(k => new SettingChange(k, null, null, SettingDisruption.None) { IsProtected = true });
        return changes.Concat(secrets).ToArray();
    }

    private static void CheckReleaseNamespace(string? releaseNamespace)
    {
        if (releaseNamespace is not null && !string.Equals(releaseNamespace, SettingsCatalog.ReleaseNamespace, StringComparison.Ordinal))
        {
            throw SettingErrors.Invalid(
                SettingErrors.ReleaseNamespaceFixed,
                $"The {SettingsCatalog.ExtensionType} extension installs only at cluster scope into the '{SettingsCatalog.ReleaseNamespace}' namespace, not '{releaseNamespace}'.",
                "Leave out the release namespace. Training and inference workloads run in the namespace you choose when attaching the compute (Connect-AzMLK8sCompute -Namespace).",
                releaseNamespace);
        }
    }

    internal static IReadOnlyDictionary<string, string> Sorted(IEnumerable<KeyValuePair<string, string>> settings) =>
        new SortedDictionary<string, string>(settings.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal);
}
