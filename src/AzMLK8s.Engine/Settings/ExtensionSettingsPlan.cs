namespace AzMLK8s.Engine.Settings;

/// <summary>One setting that a create or update sets, changes or removes, with what that does.</summary>
/// <param name="Key">The canonical key.</param>
/// <param name="OldValue">The value before (null: not set, or protected).</param>
/// <param name="NewValue">The value after (null: removed, or protected).</param>
/// <param name="Disruption">What the change does to running work.</param>
public sealed record SettingChange(string Key, string? OldValue, string? NewValue, SettingDisruption Disruption)
{
    /// <summary>A secret: <see cref="OldValue"/> and <see cref="NewValue"/> are always null and shown masked.</summary>
    public bool IsProtected { get; init; }

    public bool IsRemoval { get; init; }

    /// <summary>For a protected key (whose values are never known): whether it had a value before.</summary>
    public bool WasSet { get; init; }

    /// <summary>What the change does, from the catalog ("installs the inference router"); null when nothing to say.</summary>
    public string? Effect { get; init; }

    public bool IsDisruptive => Disruption != SettingDisruption.None;

    /// <summary>The WhatIf line: "enableInference: false -> true (installs the inference router)".</summary>
    public override string ToString()
    {
        var before = IsProtected ? (WasSet ? "***" : "(not set)") : OldValue ?? "(not set)";
        var after = IsRemoval ? "(removed)" : IsProtected ? "*** (new value)" : NewValue ?? "(not set)";
        return Effect is null ? $"{Key}: {before} -> {after}" : $"{Key}: {before} -> {after} ({Effect})";
    }
}

/// <summary>
/// The extension body the rules produced, ready for the ARM layer: for a create the whole body, for an update the
/// PATCH (public settings that change, removals, and the complete protected map or none).
/// </summary>
public sealed record ExtensionSettingsPlan
{
    public string ExtensionType => SettingsCatalog.ExtensionType;

    /// <summary>The release namespace of the cluster scope (always azureml); null on update (it cannot change).</summary>
    public string? ReleaseNamespace { get; init; }

    /// <summary>"SystemAssigned" on Arc (the service needs the extension identity there), null on AKS and on update.</summary>
    public string? IdentityType { get; init; }

    /// <summary>Null on update: leave as is.</summary>
    public string? Version { get; init; }

    /// <summary>Null on update: leave as is.</summary>
    public bool? AutoUpgradeMinorVersion { get; init; }

    /// <summary>Null on update: leave as is.</summary>
    public string? ReleaseTrain { get; init; }

    /// <summary>configurationSettings to send: on create all of them, on update the ones that change.</summary>
    public IReadOnlyDictionary<string, string> ConfigurationSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>Public keys to remove: send them with a null value in the PATCH body.</summary>
    public IReadOnlyList<string> RemovedConfigurationSettings { get; init; } = Array.Empty<string>();

    /// <summary>
    /// configurationProtectedSettings to send, complete (the service replaces the whole map); null when the update
    /// must not send any.
    /// </summary>
    public ProtectedSettingsMap? ConfigurationProtectedSettings { get; init; }

    /// <summary>All public settings the extension has after this plan is applied (for diffs and output).</summary>
    public IReadOnlyDictionary<string, string> ResultingConfigurationSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>Azure resources the caller still has to find or create, then plan again with their secrets.</summary>
    public SupportingResources PendingResources { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    public IReadOnlyList<SettingChange> Changes { get; init; } = Array.Empty<SettingChange>();

    /// <summary>False when an update would change nothing (the caller can skip the PATCH: idempotent updates).</summary>
    public bool HasChanges => Changes.Count > 0;

    public IReadOnlyList<SettingChange> DisruptiveChanges => Changes.Where(c => c.IsDisruptive).ToArray();

    /// <summary>One line per change, for -WhatIf and ShouldProcess (secrets masked).</summary>
    public IReadOnlyList<string> WhatIfLines => Changes.Select(c => c.ToString()).ToArray();
}

/// <summary>Azure resources some settings depend on, which the operations layer finds or creates.</summary>
[Flags]
public enum SupportingResources
{
    None = 0,

    /// <summary>Azure Relay namespace, hybrid connection and rule: gives relayServerConnectionString.</summary>
    Relay = 1,

    /// <summary>Service Bus namespace: gives serviceBusConnectionString.</summary>
    ServiceBus = 2,

    /// <summary>Log Analytics workspace: gives azure_log_analytics.customer_id and .connection_string.</summary>
    LogAnalytics = 4,
}
