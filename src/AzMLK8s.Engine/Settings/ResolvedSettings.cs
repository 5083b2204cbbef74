namespace AzMLK8s.Engine.Settings;

/// <summary>
/// Settings that come from supporting Azure resources rather than from the caller (relay hybrid connection, Service
/// Bus, Log Analytics workspace): merging what the operations layer resolved, sending secrets under the keys the
/// chart reads, and telling what is still missing.
/// </summary>
internal static class ResolvedSettings
{
    /// <summary>Adds resolved settings the caller did not give (a caller's value wins).</summary>
    public static void Merge(SettingsInput input, IReadOnlyDictionary<string, string>? resolved, IReadOnlyDictionary<string, string>? resolvedProtected)
    {
        foreach (var (key, value) in resolved ?? new Dictionary<string, string>())
        {
            input.Public.TryAdd(CanonicalKnownKey(key, isProtected: false), value);
        }

        foreach (var (key, value) in resolvedProtected ?? new Dictionary<string, string>())
        {
            input.Protected.TryAdd(CanonicalKnownKey(key, isProtected: true), value);
        }

        if (input.Protected.ContainsKey(SettingsCatalog.LogAnalyticsConnectionString))
        {
            input.Public.TryAdd(SettingsCatalog.LogAnalyticsEnabled, SettingValues.True);
        }
    }

    /// <summary>
    /// Renames secrets given under their input names to the keys the chart reads (relayServerConnectionString ->
    /// relayserver.relayConnectionString). The CLI copies instead and so sends each connection string twice.
    /// </summary>
    public static void SendUnderWireKeys(IDictionary<string, string> protectedSettings)
    {
        foreach (var key in protectedSettings.Keys.ToArray())
        {
            var definition = SettingsCatalog.Find(key);
            if (definition?.SentAs is not { } wireKey || definition.IsLocalOnly)
            {
                continue;
            }

            var value = protectedSettings[key];
            if (protectedSettings.TryGetValue(wireKey, out var existing) && !string.Equals(existing, value, StringComparison.Ordinal))
            {
                throw SettingErrors.Invalid(
                    SettingErrors.LegacyKeyConflict,
                    $"'{key}' and '{wireKey}' both set the same secret, to different values.",
                    $"Give only '{key}'.",
                    wireKey);
            }

            protectedSettings.Remove(key);
            protectedSettings[wireKey] = value;
        }
    }

    /// <summary>The supporting resources the settings ask for whose secrets are not there yet.</summary>
    public static SupportingResources Pending(IReadOnlyDictionary<string, string> publicSettings, IReadOnlyDictionary<string, string> protectedSettings)
    {
        var pending = SupportingResources.None;
        if (SettingValues.IsTrue(publicSettings.GetValueOrDefault(SettingsCatalog.RelayServerEnabled)) &&
            !protectedSettings.ContainsKey(SettingsCatalog.RelayConnectionString))
        {
            pending |= SupportingResources.Relay;
        }

        if (SettingValues.IsTrue(publicSettings.GetValueOrDefault(SettingsCatalog.ServiceBusEnabled)) &&
            !protectedSettings.ContainsKey(SettingsCatalog.ServiceBusConnectionString))
        {
            pending |= SupportingResources.ServiceBus;
        }

        if (SettingValues.IsTrue(publicSettings.GetValueOrDefault(SettingsCatalog.LogAnalyticsWorkspace)) &&
            !protectedSettings.ContainsKey(SettingsCatalog.LogAnalyticsConnectionString))
        {
            pending |= SupportingResources.LogAnalytics;
        }

        return pending;
    }

    private static string CanonicalKnownKey(string key, bool isProtected)
    {
        var definition = SettingsCatalog.Find(key);
        if (definition is null || definition.IsProtected != isProtected)
        {
            throw new ArgumentException($"'{key}' is not a {(isProtected ? "protected" : "public")} setting of the catalog; resolved settings must be.", nameof(key));
        }

        return SettingsCatalog.Canonicalize(key, definition);
    }
}
