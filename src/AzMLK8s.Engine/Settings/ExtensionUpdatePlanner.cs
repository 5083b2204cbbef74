namespace AzMLK8s.Engine.Settings;

/// <summary>
/// One update's plan: merges the requested public settings into the current ones (sending only what changes),
/// guards immutable settings and node selectors, re-checks the inference rules on the result, and builds the
/// protected map under the protected-settings rule.
/// </summary>
internal sealed class ExtensionUpdatePlanner
{
    private readonly ExtensionUpdateRequest _request;
    private readonly ExistingExtension _current;
    private readonly ExtensionSettingsOptions _options;
    private readonly DateTimeOffset _now;
    private readonly Dictionary<string, string> _sends = new(StringComparer.Ordinal);
    private readonly List<string> _removals = new();
    private readonly List<SettingChange> _changes = new();
    private readonly List<string> _warnings = new();

    public ExtensionUpdatePlanner(ExtensionUpdateRequest request, ExistingExtension current, ExtensionSettingsOptions options, DateTimeOffset now)
    {
        _request = request;
        _current = current;
        _options = options;
        _now = now;
    }

    public ExtensionSettingsPlan Plan()
    {
        var (version, autoUpgrade) = VersionRules.ForUpdate(_request.Version, _request.AutoUpgradeMinorVersion);
        var releaseTrain = VersionRules.CanonicalReleaseTrain(_request.ReleaseTrain);
        AddPropertyChange("version", _current.Version, version);
        AddPropertyChange("autoUpgradeMinorVersion", Format(_current.AutoUpgradeMinorVersion), Format(autoUpgrade));
        AddPropertyChange("releaseTrain", _current.ReleaseTrain, releaseTrain);

        var input = SettingsInputReader.Read(_request.ConfigurationSettings, _request.ConfigurationProtectedSettings, _options.AllowUnknownSetting, allowRemovals: true);
        _warnings.AddRange(input.Warnings);
        ResolvedSettings.Merge(input, _request.ResolvedSettings, resolvedProtected: null);
        WarnAboutMiscasedKeys(input);

        foreach (var (key, value) in input.Public.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Set(key, value, derived: false);
        }

        foreach (var key in input.PublicRemovals.OrderBy(k => k, StringComparer.Ordinal))
        {
            Remove(key, derived: false);
        }

        DeriveInternalSettings();
        var training = SettingValues.IsTrue(Result(SettingsCatalog.EnableTraining));
        var inference = SettingValues.IsTrue(Result(SettingsCatalog.EnableInference));
        CheckScenarios(training, inference);
        if (inference)
        {
            InferenceSettingsRules.CheckServiceType(ResultingSettings());
            ApplyTlsRules(input);
        }
        else
        {
            ExtensionSettingsPlanner.DropUnusedPemFiles(input, _warnings);
        }

        ExtensionSettingsPlanner.WarnAboutInactiveSettings(input.Public.Keys.Concat(input.Protected.Keys), training, inference, _warnings);

        ResolvedSettings.SendUnderWireKeys(input.Protected);
        var resolvedProtected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in _request.ResolvedProtectedSettings ?? new Dictionary<string, string>())
        {
            var definition = SettingsCatalog.Find(key);
            if (definition is not { IsProtected: true })
            {
                throw new ArgumentException($"'{key}' is not a protected setting of the catalog; resolved protected settings must be.", nameof(_request.ResolvedProtectedSettings));
            }

            resolvedProtected[definition.WireKey] = value;
        }

        var dropped = input.ProtectedRemovals.Select(k => SettingsCatalog.Find(k)?.WireKey ?? k).Distinct(StringComparer.Ordinal).ToArray();
        var protectedMap = ProtectedSettingsGuard.Build(input.Protected, dropped, resolvedProtected, _current, _options, _warnings, _changes);

        var resulting = ResultingSettings();
        var sentProtected = protectedMap ?? (IReadOnlyDictionary<string, string>)resolvedProtected;
        return new ExtensionSettingsPlan
        {
            Version = version,
            AutoUpgradeMinorVersion = autoUpgrade,
            ReleaseTrain = releaseTrain,
            ConfigurationSettings = ExtensionSettingsPlanner.Sorted(_sends),
            RemovedConfigurationSettings = _removals.ToArray(),
            ConfigurationProtectedSettings = protectedMap,
            ResultingConfigurationSettings = resulting,
            PendingResources = PendingFor(resulting, sentProtected),
            Warnings = _warnings.ToArray(),
            Changes = _changes.ToArray(),
        };
    }

    private void Set(string key, string value, bool derived)
    {
        var definition = SettingsCatalog.Find(key);
        RemoveMiscasedVariants(key);

        // A key set twice (given by the caller and derived from another key) is reported once, with its last value.
        _changes.RemoveAll(c => c.Key == key && !c.IsProtected);
        _sends.Remove(key);
        var old = Current(key);
        if (SettingValues.Equivalent(definition, old, value))
        {
            return;
        }

        if (old is not null)
        {
            GuardImmutable(definition, key, old, value);
        }

        _sends[key] = value;
        _changes.Add(new SettingChange(key, old, value, derived || definition is null ? SettingDisruption.None : definition.DisruptionOf(old, value))
        {
            Effect = derived ? null : definition?.EffectOf(old, value),
        });
    }

    private void Remove(string key, bool derived)
    {
        var definition = SettingsCatalog.Find(key);
        var present = _current.ConfigurationSettings.Keys.Where(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (present.Length == 0)
        {
            return;
        }

        if (definition?.Key == SettingsCatalog.NodeSelectorPrefix)
        {
            throw SettingErrors.Invalid(
                SettingErrors.NodeSelectorRemoval,
                $"Node selector '{key}' cannot be removed by an update: the extension keeps existing node selectors and only changes or adds them.",
                $"Change its value instead (-ConfigurationSetting @{{ '{key}' = '<label value>' }}), or remove the extension and create it again without it " +
                "(Remove-AzMLK8sExtension, then New-AzMLK8sExtension).",
                key);
        }

        foreach (var variant in present)
        {
            var old = _current.ConfigurationSettings[variant];
            GuardImmutable(definition, variant, old, null);
            _removals.Add(variant);
            _changes.Add(new SettingChange(variant, old, null, derived || definition is null ? SettingDisruption.None : definition.DisruptionOf(old, null))
            {
                IsRemoval = true,
                Effect = derived ? null : definition?.EffectOf(old, null),
            });
        }
    }

    private void GuardImmutable(SettingDefinition? definition, string key, string old, string? value)
    {
        if (definition?.Disruption != SettingDisruption.ImmutableAfterCreate)
        {
            return;
        }

        var change = value is null ? "removed" : $"changed from '{old}' to '{value}'";
        if (!_options.ForceImmutableSettingChange)
        {
            throw SettingErrors.Invalid(
                SettingErrors.ImmutableSetting,
                $"Setting '{key}' is fixed when the extension is created and cannot be {change} by an update: {definition.Description}",
                "Remove the extension and create it again with the new value (Remove-AzMLK8sExtension, then New-AzMLK8sExtension). " +
                $"-ForceImmutableSetting sends the change anyway; it usually {definition.EffectWhenChanged ?? "breaks the extension"}.",
                key);
        }

        _warnings.Add($"-ForceImmutableSetting: '{key}' is {change}, although it is fixed at create; this usually {definition.EffectWhenChanged ?? "breaks the extension"}.");
    }

    /// <summary>The internal keys the chart reads, kept in step with the user-facing keys they come from.</summary>
    private void DeriveInternalSettings()
    {
        var settings = ResultingSettings();
        if (Touched(SettingsCatalog.EnableInference) && SettingValues.IsTrue(Result(SettingsCatalog.EnableInference)) &&
            Result(SettingsCatalog.InferenceRouterServiceType) is null)
        {
            Set(SettingsCatalog.InferenceRouterServiceType, SettingsCatalog.ServiceTypes.LoadBalancer, derived: false);
            settings = ResultingSettings();
            if (InferenceSettingsRules.IsPublicLoadBalancer(settings))
            {
                _warnings.Add(InferenceSettingsRules.PublicRouterWarning);
                var index = _changes.FindIndex(c => c.Key == SettingsCatalog.InferenceRouterServiceType && !c.IsProtected);
                if (index >= 0)
                {
                    _changes[index] = _changes[index] with { Effect = InferenceSettingsRules.PublicRouterEffect };
                }
            }
        }

        // The CLI's update sends both flags explicitly whenever either user key is given; so does this.
        if (Touched(SettingsCatalog.InferenceRouterServiceType))
        {
            Set(SettingsCatalog.ScoringFeNodePort, SettingValues.FromBoolean(InferenceSettingsRules.IsNodePort(settings)), derived: true);
        }

        if (Touched(SettingsCatalog.InternalLoadBalancerProvider))
        {
            Set(SettingsCatalog.ScoringFeInternalLoadBalancer, SettingValues.FromBoolean(InferenceSettingsRules.IsInternalLoadBalancer(settings)), derived: true);
        }

        if (_sends.TryGetValue(SettingsCatalog.SslSecret, out var secret))
        {
            Set(SettingsCatalog.ScoringFeSslSecret, secret, derived: true);
        }
        else if (_removals.Contains(SettingsCatalog.SslSecret))
        {
            Remove(SettingsCatalog.ScoringFeSslSecret, derived: true);
        }

        if (Touched(SettingsCatalog.LogAnalyticsWorkspace) && !SettingValues.IsTrue(Result(SettingsCatalog.LogAnalyticsWorkspace)) &&
            SettingValues.IsTrue(Current(SettingsCatalog.LogAnalyticsEnabled)))
        {
            Set(SettingsCatalog.LogAnalyticsEnabled, SettingValues.False, derived: true);
        }
    }

    private void CheckScenarios(bool training, bool inference)
    {
        if (!training && !inference)
        {
            throw SettingErrors.Invalid(
                SettingErrors.NoScenarioEnabled,
                "After this update neither enableTraining nor enableInference would be true; the extension needs at least one scenario.",
                "Keep one scenario enabled. To take Azure Machine Learning off the cluster, use Remove-AzMLK8sExtension.",
                SettingsCatalog.EnableTraining);
        }

        if (Touched(SettingsCatalog.AllowInsecureConnections) && inference && SettingValues.IsTrue(Result(SettingsCatalog.AllowInsecureConnections)))
        {
            _warnings.Add(InferenceSettingsRules.InsecureWarning);
        }
    }

    private void ApplyTlsRules(SettingsInput input)
    {
        var files = InferenceSettingsRules.PemFiles(input);
        var newSecret = _sends.ContainsKey(SettingsCatalog.SslSecret);
        var resultSecret = Result(SettingsCatalog.SslSecret) ?? Result(SettingsCatalog.ScoringFeSslSecret);
        var droppedFiles = input.ProtectedRemovals.Any(k => SettingsCatalog.Find(k)?.WireKey is SettingsCatalog.ScoringFeSslCert or SettingsCatalog.ScoringFeSslKey);
        var retainedFiles = !droppedFiles && ProtectedSettingsGuard.RetainedKeys(_current).Contains(SettingsCatalog.ScoringFeSslCert);
        var insecure = SettingValues.IsTrue(Result(SettingsCatalog.AllowInsecureConnections));

        if (files is not null && resultSecret is not null)
        {
            throw InferenceSettingsRules.TlsSourceConflict(
                "PEM files and the Kubernetes secret sslSecret",
                "To switch to the PEM files, remove the secret in the same update: -ConfigurationSetting @{ sslSecret = $null }.");
        }

        if (newSecret && retainedFiles)
        {
            throw InferenceSettingsRules.TlsSourceConflict(
                "sslSecret and the PEM certificate the extension already has",
                "To switch to the secret, drop the PEM certificate in the same update: -ConfigurationProtectedSetting @{ sslCertPemFile = $null; sslKeyPemFile = $null } " +
                "(and supply the other protected settings again).");
        }

        if (insecure && (files is not null || newSecret))
        {
            throw InferenceSettingsRules.TlsWithInsecureConnections();
        }

        if (!insecure && files is null && resultSecret is null && !retainedFiles && TlsRelevantChange(input))
        {
            throw InferenceSettingsRules.TlsRequired();
        }

        var cname = Result(SettingsCatalog.SslCname);
        if ((files is not null || newSecret) && cname is null)
        {
            throw InferenceSettingsRules.SslCnameRequired();
        }

        if (files is { } pair)
        {
            InferenceSettingsRules.ReplacePemFilesWithContent(input, pair, cname, _now, _options.BaseDirectory, _warnings);
        }
    }

    // Only an update that touches inference or TLS re-checks that HTTPS has a certificate: an unrelated update of an
    // extension made by other tools is not refused for the state it already had.
    private bool TlsRelevantChange(SettingsInput input) =>
        Touched(SettingsCatalog.EnableInference) || Touched(SettingsCatalog.AllowInsecureConnections) || Touched(SettingsCatalog.SslSecret) ||
        input.ProtectedRemovals.Count > 0 || input.Protected.Count > 0;

    private SupportingResources PendingFor(IReadOnlyDictionary<string, string> resulting, IReadOnlyDictionary<string, string> protectedSettings)
    {
        // Only what this update turns on is pending; the extension's existing secrets are the guard's business.
        var pending = ResolvedSettings.Pending(resulting, protectedSettings);
        if (!Touched(SettingsCatalog.RelayServerEnabled))
        {
            pending &= ~SupportingResources.Relay;
        }

        if (!Touched(SettingsCatalog.ServiceBusEnabled))
        {
            pending &= ~SupportingResources.ServiceBus;
        }

        if (!Touched(SettingsCatalog.LogAnalyticsWorkspace))
        {
            pending &= ~SupportingResources.LogAnalytics;
        }

        return pending;
    }

    private void WarnAboutMiscasedKeys(SettingsInput input)
    {
        foreach (var key in _current.ConfigurationSettings.Keys)
        {
            var definition = SettingsCatalog.Find(key);
            if (definition is null || definition.IsMap)
            {
                continue;
            }

            if (!string.Equals(key, definition.Key, StringComparison.Ordinal) &&
                !input.Public.ContainsKey(definition.Key) && !input.PublicRemovals.Contains(definition.Key))
            {
                _warnings.Add(
                    $"The extension has setting '{key}', which the extension ignores (keys are case-sensitive; the key is '{definition.Key}'). " +
                    $"Set '{definition.Key}' in an update to apply a value and drop '{key}'.");
            }
        }
    }

    private void RemoveMiscasedVariants(string key)
    {
        foreach (var variant in _current.ConfigurationSettings.Keys.Where(k => !string.Equals(k, key, StringComparison.Ordinal) && string.Equals(k, key, StringComparison.OrdinalIgnoreCase)))
        {
            if (!_removals.Contains(variant))
            {
                _removals.Add(variant);
                _changes.Add(new SettingChange(variant, _current.ConfigurationSettings[variant], null, SettingDisruption.None)
                {
                    IsRemoval = true,
                    Effect = $"misspelt key the extension ignored; replaced by '{key}'",
                });
            }
        }
    }

    private void AddPropertyChange(string name, string? old, string? value)
    {
        if (value is not null && !string.Equals(old, value, StringComparison.OrdinalIgnoreCase))
        {
            var effect = name == "version" ? "upgrades or downgrades the extension's components" : null;
            _changes.Add(new SettingChange(name, old, value, name == "version" ? SettingDisruption.ReinstallsComponents : SettingDisruption.None) { Effect = effect });
        }
    }

    private bool Touched(string key) => _sends.ContainsKey(key) || _removals.Contains(key);

    private string? Current(string key) => _current.ConfigurationSettings.GetValueOrDefault(key);

    private string? Result(string key) =>
        _sends.TryGetValue(key, out var value) ? value : _removals.Contains(key) ? null : Current(key);

    private IReadOnlyDictionary<string, string> ResultingSettings()
    {
        var result = new Dictionary<string, string>(_current.ConfigurationSettings, StringComparer.Ordinal);
        foreach (var key in _removals)
        {
            result.Remove(key);
        }

        foreach (var (key, value) in _sends)
        {
            result[key] = value;
        }

        return ExtensionSettingsPlanner.Sorted(result);
    }

    private static string? Format(bool? value) => value is { } b ? SettingValues.FromBoolean(b) : null;
}
