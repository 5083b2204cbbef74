namespace AzMLK8s.Engine.Settings;

/// <summary>
/// The protected-settings rule of updates. The service replaces the whole configurationProtectedSettings map
/// whenever one is sent, and never returns the values. So an update that sends any protected setting must send all
/// the extension has; one it cannot send is an error that names it and says how to supply it, never a silent drop.
/// </summary>
internal static class ProtectedSettingsGuard
{
    /// <summary>The protected keys (as sent) the extension has: the names the service returned, else those its public settings imply.</summary>
    public static IReadOnlyCollection<string> RetainedKeys(ExistingExtension current)
    {
        if (current.ProtectedSettingKeys is { } names)
        {
            // Keys the Azure CLI sent (local PEM paths, relayServerConnectionString) map to the keys this module sends.
            return names.Select(n => SettingsCatalog.Find(n)?.WireKey ?? n).Distinct(StringComparer.Ordinal).ToArray();
        }

        var settings = current.ConfigurationSettings;
        bool On(string key) => SettingValues.IsTrue(settings.GetValueOrDefault(key));
        var implied = new List<string>();
        var usesSecret = settings.ContainsKey(SettingsCatalog.SslSecret) || settings.ContainsKey(SettingsCatalog.ScoringFeSslSecret);

        // An HTTPS inference extension without a Kubernetes secret got its certificate from PEM files.
        if (On(SettingsCatalog.EnableInference) && !On(SettingsCatalog.AllowInsecureConnections) && !usesSecret)
        {
            implied.Add(SettingsCatalog.ScoringFeSslCert);
            implied.Add(SettingsCatalog.ScoringFeSslKey);
        }

        // An extension made before relayserver.enabled existed used the relay on Arc.
        var relay = settings.TryGetValue(SettingsCatalog.RelayServerEnabled, out var relayEnabled)
            ? SettingValues.IsTrue(relayEnabled)
            : current.Kind == ClusterKind.Arc;
        if (relay)
        {
            implied.Add(SettingsCatalog.RelayConnectionString);
        }

        if (On(SettingsCatalog.ServiceBusEnabled))
        {
            implied.Add(SettingsCatalog.ServiceBusConnectionString);
        }

        if (On(SettingsCatalog.LogAnalyticsEnabled) || On(SettingsCatalog.LogAnalyticsWorkspace))
        {
            implied.Add(SettingsCatalog.LogAnalyticsConnectionString);
        }

        return implied;
    }

    /// <summary>
    /// The complete protected map to send, or null when the update sends none. <paramref name="given"/> holds the
    /// caller's protected settings (wire keys), <paramref name="dropped"/> the keys the caller removed on purpose.
    /// </summary>
    public static ProtectedSettingsMap? Build(
        IReadOnlyDictionary<string, string> given,
        IReadOnlyCollection<string> dropped,
        IReadOnlyDictionary<string, string> resolved,
        ExistingExtension current,
        ExtensionSettingsOptions options,
        ICollection<string> warnings,
        ICollection<SettingChange> changes)
    {
        var retained = RetainedKeys(current);
        var addsResolved = resolved.Keys.Any(k => !retained.Contains(k, StringComparer.Ordinal));
        if (given.Count == 0 && dropped.Count == 0 && !addsResolved)
        {
            return null;
        }

        var map = new Dictionary<string, string>(given, StringComparer.Ordinal);
        foreach (var (key, value) in resolved)
        {
            if (!dropped.Contains(key, StringComparer.Ordinal))
            {
                map.TryAdd(key, value);
            }
        }

        var missing = retained.Where(k => !map.ContainsKey(k) && !dropped.Contains(k, StringComparer.Ordinal)).ToArray();
        if (missing.Length > 0)
        {
            if (!options.ReplaceProtectedSettings)
            {
                throw Incomplete(missing);
            }

            warnings.Add(
                $"-ReplaceProtectedSetting: the extension's protected settings {string.Join(", ", missing.Select(k => $"'{k}'"))} are not sent and will be deleted.");
        }

        // Re-read secrets the extension already has are sent to keep them, not reported as changes.
        var reported = given.Keys.Concat(resolved.Keys.Where(k => !retained.Contains(k, StringComparer.Ordinal)));
        foreach (var key in reported.Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal))
        {
            var definition = SettingsCatalog.Find(key);
            changes.Add(new SettingChange(key, null, null, definition?.Disruption ?? SettingDisruption.None)
            {
                IsProtected = true,
                WasSet = retained.Contains(key, StringComparer.Ordinal),
                Effect = definition?.EffectWhenChanged,
            });
        }

        foreach (var key in retained.Where(k => !map.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal))
        {
            var definition = SettingsCatalog.Find(key);
            changes.Add(new SettingChange(key, null, null, definition?.Disruption ?? SettingDisruption.None)
            {
                IsProtected = true,
                IsRemoval = true,
                WasSet = true,
            });
        }

        return new ProtectedSettingsMap(map);
    }

    private static Model.ModuleErrorException Incomplete(IReadOnlyList<string> missing)
    {
        var how = missing.Select(HowToSupply).Distinct().ToArray();
        return SettingErrors.Invalid(
            SettingErrors.ProtectedSettingsIncomplete,
            $"This update sends protected settings, and the service then replaces all of them; it does not return their values, so " +
            $"{string.Join(", ", missing.Select(k => $"'{k}'"))} would be deleted.",
            $"Supply them again in the same update: {string.Join("; ", how)}. To delete them on purpose, set them to $null " +
            "(or add -ReplaceProtectedSetting). Updates that send no protected setting keep them all.",
            missing[0]);
    }

    private static string HowToSupply(string key) => key switch
    {
        SettingsCatalog.ScoringFeSslCert or SettingsCatalog.ScoringFeSslKey =>
            "the TLS certificate and key: give the PEM files again with -SslCertificatePath and -SslKeyPath (protected sslCertPemFile/sslKeyPemFile)",
        SettingsCatalog.RelayConnectionString =>
            "the Azure Relay connection string: the module re-reads it from the cluster's relay hybrid connection; if that is not possible, give relayServerConnectionString",
        SettingsCatalog.ServiceBusConnectionString =>
            "the Service Bus connection string: the module re-reads it from the cluster's Service Bus namespace; if that is not possible, give serviceBusConnectionString",
        SettingsCatalog.LogAnalyticsConnectionString =>
            "the Log Analytics workspace key: the module re-reads it from the workspace; if that is not possible, give azure_log_analytics.connection_string",
        _ => $"give '{key}' again in -ConfigurationProtectedSetting",
    };
}
