using System.Collections;

namespace AzMLK8s.Engine.Settings;

/// <summary>What New-AzMLK8sExtension asks for, before the rules run.</summary>
public sealed record ExtensionCreateRequest
{
    /// <summary>Public settings as given (a PowerShell hashtable: string keys; string, bool or int values).</summary>
    public IDictionary? ConfigurationSettings { get; init; }

    /// <summary>Protected settings as given (values may be SecureString); includes sslCertPemFile/sslKeyPemFile paths.</summary>
    public IDictionary? ConfigurationProtectedSettings { get; init; }

    /// <summary>A pinned extension version, or null for the release train's latest.</summary>
    public string? Version { get; init; }

    /// <summary>Null: true unless a version is pinned.</summary>
    public bool? AutoUpgradeMinorVersion { get; init; }

    /// <summary>Null: Stable.</summary>
    public string? ReleaseTrain { get; init; }

    /// <summary>Null: azureml, the only namespace the extension supports.</summary>
    public string? ReleaseNamespace { get; init; }

    /// <summary>
    /// Settings the operations layer obtained from supporting Azure resources (relay hybrid connection, Log
    /// Analytics workspace): public ones such as relayserver.hybridConnectionResourceID. A caller's value wins.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ResolvedSettings { get; init; }

    /// <summary>Secrets the operations layer obtained (relayServerConnectionString, azure_log_analytics.connection_string).</summary>
    public IReadOnlyDictionary<string, string>? ResolvedProtectedSettings { get; init; }
}

/// <summary>What Update-AzMLK8sExtension asks to change. Anything null stays as it is.</summary>
public sealed record ExtensionUpdateRequest
{
    /// <summary>Public settings to set; a null value removes the key.</summary>
    public IDictionary? ConfigurationSettings { get; init; }

    /// <summary>Protected settings to send; a null value drops the key on purpose.</summary>
    public IDictionary? ConfigurationProtectedSettings { get; init; }

    public string? Version { get; init; }

    public bool? AutoUpgradeMinorVersion { get; init; }

    public string? ReleaseTrain { get; init; }

    /// <summary>Public settings the operations layer obtained from supporting Azure resources (see the create request).</summary>
    public IReadOnlyDictionary<string, string>? ResolvedSettings { get; init; }

    /// <summary>
    /// Secrets re-read from Azure so they survive the protected map's replacement (relay connection string, Log
    /// Analytics key). Sent to keep them; not reported as changes.
    /// </summary>
    public IReadOnlyDictionary<string, string>? ResolvedProtectedSettings { get; init; }
}

/// <summary>The installed extension as GET returns it (no protected values: the service never returns them).</summary>
/// <param name="Kind">The kind of cluster it is installed on.</param>
/// <param name="ConfigurationSettings">The public settings.</param>
public sealed record ExistingExtension(ClusterKind Kind, IReadOnlyDictionary<string, string> ConfigurationSettings)
{
    /// <summary>
    /// The protected settings' key names, when the service returned them (it may return the keys without values,
    /// or nothing); null when unknown.
    /// </summary>
    public IReadOnlyCollection<string>? ProtectedSettingKeys { get; init; }

    public string? Version { get; init; }

    public bool? AutoUpgradeMinorVersion { get; init; }

    public string? ReleaseTrain { get; init; }
}

/// <summary>Switches that relax the rules; each maps to a cmdlet parameter.</summary>
public sealed record ExtensionSettingsOptions
{
    public static ExtensionSettingsOptions Default { get; } = new();

    /// <summary>-AllowUnknownSetting: send keys the catalog does not know, unchecked, with a warning.</summary>
    public bool AllowUnknownSetting { get; init; }

    /// <summary>
    /// -ForceImmutableSetting: allow changing a setting fixed at create (cluster identity, region, relay, namespace).
    /// The extension usually breaks its link to Azure ML; removing and re-creating it is the supported way.
    /// </summary>
    public bool ForceImmutableSettingChange { get; init; }

    /// <summary>-ReplaceProtectedSetting: send the given protected settings as the complete set, dropping the others.</summary>
    public bool ReplaceProtectedSettings { get; init; }

    /// <summary>Where relative PEM paths are resolved from (the PowerShell current location); null: the process directory.</summary>
    public string? BaseDirectory { get; init; }
}
