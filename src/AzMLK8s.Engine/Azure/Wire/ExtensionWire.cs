using System.Text.Json.Serialization;

namespace AzMLK8s.Engine.Azure.Wire;

/// <summary>Microsoft.KubernetesConfiguration/extensions (a proxy resource: no location, no tags).</summary>
public sealed class ExtensionResource : ArmResource
{
    /// <summary>Create-only: the service does not accept identity in PATCH.</summary>
    [JsonPropertyName("identity")]
    public ArmIdentity? Identity { get; set; }

    [JsonPropertyName("properties")]
    public ExtensionProperties Properties { get; set; } = new();
}

public sealed class ExtensionProperties
{
    [JsonPropertyName("extensionType")]
    public string? ExtensionType { get; set; }

    [JsonPropertyName("autoUpgradeMinorVersion")]
    public bool? AutoUpgradeMinorVersion { get; set; }

    [JsonPropertyName("releaseTrain")]
    public string? ReleaseTrain { get; set; }

    /// <summary>Only with autoUpgradeMinorVersion false.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; set; }

    [JsonPropertyName("scope")]
    public ExtensionScope? Scope { get; set; }

    [JsonPropertyName("configurationSettings")]
    public Dictionary<string, string>? ConfigurationSettings { get; set; }

    /// <summary>Secret (x-ms-secret): sent, never read back with values (null, or keys only).</summary>
    [JsonPropertyName("configurationProtectedSettings")]
    public Dictionary<string, string?>? ConfigurationProtectedSettings { get; set; }

    [JsonPropertyName("provisioningState")]
    public string? ProvisioningState { get; set; }

    [JsonPropertyName("currentVersion")]
    public string? CurrentVersion { get; set; }

    [JsonPropertyName("statuses")]
    public List<ExtensionStatus>? Statuses { get; set; }

    [JsonPropertyName("errorInfo")]
    public ArmErrorDetail? ErrorInfo { get; set; }

    [JsonPropertyName("aksAssignedIdentity")]
    public ArmIdentity? AksAssignedIdentity { get; set; }

    [JsonPropertyName("isSystemExtension")]
    public bool? IsSystemExtension { get; set; }
}

public sealed class ExtensionScope
{
    [JsonPropertyName("cluster")]
    public ExtensionClusterScope? Cluster { get; set; }

    [JsonPropertyName("namespace")]
    public ExtensionNamespaceScope? Namespace { get; set; }
}

public sealed class ExtensionClusterScope
{
    [JsonPropertyName("releaseNamespace")]
    public string? ReleaseNamespace { get; set; }
}

public sealed class ExtensionNamespaceScope
{
    [JsonPropertyName("targetNamespace")]
    public string? TargetNamespace { get; set; }
}

public sealed class ExtensionStatus
{
    [JsonPropertyName("code")]
    public string? Code { get; set; }

    [JsonPropertyName("displayStatus")]
    public string? DisplayStatus { get; set; }

    /// <summary>Error, Warning, Information.</summary>
    [JsonPropertyName("level")]
    public string? Level { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("time")]
    public string? Time { get; set; }
}

/// <summary>The PATCH body (patchExtension): public settings merge; protected settings, when present, replace the map.</summary>
public sealed class ExtensionPatch
{
    [JsonPropertyName("properties")]
    public ExtensionPatchProperties Properties { get; set; } = new();
}

public sealed class ExtensionPatchProperties
{
    [JsonPropertyName("autoUpgradeMinorVersion")]
    public bool? AutoUpgradeMinorVersion { get; set; }

    [JsonPropertyName("releaseTrain")]
    public string? ReleaseTrain { get; set; }

    [JsonPropertyName("version")]
    public string? Version { get; set; }

    [JsonPropertyName("configurationSettings")]
    public Dictionary<string, string>? ConfigurationSettings { get; set; }

    [JsonPropertyName("configurationProtectedSettings")]
    public Dictionary<string, string>? ConfigurationProtectedSettings { get; set; }
}
