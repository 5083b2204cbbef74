using System.Text.Json.Serialization;

namespace AzMLK8s.Engine.Azure.Wire;

/// <summary>Microsoft.ManagedIdentity/userAssignedIdentities.</summary>
public sealed class UserAssignedIdentityResource : TrackedArmResource
{
    [JsonPropertyName("properties")]
    public UserAssignedIdentityProperties Properties { get; set; } = new();
}

public sealed class UserAssignedIdentityProperties
{
    [JsonPropertyName("tenantId")]
    public string? TenantId { get; set; }

    [JsonPropertyName("principalId")]
    public string? PrincipalId { get; set; }

    [JsonPropertyName("clientId")]
    public string? ClientId { get; set; }
}

/// <summary>A Relay namespace, hybrid connection or authorization rule: the common envelope.</summary>
public sealed class RelayResource : ArmResource
{
    /// <summary>Namespaces only.</summary>
    [JsonPropertyName("location")]
    public string? Location { get; set; }

    /// <summary>Namespaces only (Standard).</summary>
    [JsonPropertyName("sku")]
    public ArmSku? Sku { get; set; }

    /// <summary>Namespaces only.</summary>
    [JsonPropertyName("tags")]
    public Dictionary<string, string>? Tags { get; set; }

    [JsonPropertyName("properties")]
    public RelayProperties Properties { get; set; } = new();
}

public sealed class RelayProperties
{
    [JsonPropertyName("provisioningState")]
    public string? ProvisioningState { get; set; }

    /// <summary>Namespaces: https://{name}.servicebus.windows.net:443/.</summary>
    [JsonPropertyName("serviceBusEndpoint")]
    public string? ServiceBusEndpoint { get; set; }

    /// <summary>Hybrid connections.</summary>
    [JsonPropertyName("requiresClientAuthorization")]
    public bool? RequiresClientAuthorization { get; set; }

    /// <summary>Authorization rules: Listen, Send, Manage.</summary>
    [JsonPropertyName("rights")]
    public List<string>? Rights { get; set; }
}

/// <summary>Relay listKeys: secrets. Never written to a stream.</summary>
public sealed class RelayAccessKeys
{
    [JsonPropertyName("keyName")]
    public string? KeyName { get; set; }

    [JsonPropertyName("primaryConnectionString")]
    public string? PrimaryConnectionString { get; set; }

    [JsonPropertyName("secondaryConnectionString")]
    public string? SecondaryConnectionString { get; set; }

    [JsonPropertyName("primaryKey")]
    public string? PrimaryKey { get; set; }

    [JsonPropertyName("secondaryKey")]
    public string? SecondaryKey { get; set; }
}

/// <summary>Microsoft.OperationalInsights/workspaces.</summary>
public sealed class LogAnalyticsWorkspaceResource : TrackedArmResource
{
    [JsonPropertyName("tags")]
    public Dictionary<string, string>? Tags { get; set; }

    [JsonPropertyName("properties")]
    public LogAnalyticsWorkspaceProperties Properties { get; set; } = new();
}

public sealed class LogAnalyticsWorkspaceProperties
{
    /// <summary>The workspace id agents are configured with (a GUID).</summary>
    [JsonPropertyName("customerId")]
    public string? CustomerId { get; set; }

    [JsonPropertyName("provisioningState")]
    public string? ProvisioningState { get; set; }

    [JsonPropertyName("sku")]
    public ArmSku? Sku { get; set; }

    [JsonPropertyName("retentionInDays")]
    public int? RetentionInDays { get; set; }
}

/// <summary>Log Analytics sharedKeys: secrets. Never written to a stream.</summary>
public sealed class LogAnalyticsSharedKeys
{
    [JsonPropertyName("primarySharedKey")]
    public string? PrimarySharedKey { get; set; }

    [JsonPropertyName("secondarySharedKey")]
    public string? SecondarySharedKey { get; set; }
}

/// <summary>
/// A Service Bus namespace (Microsoft.ServiceBus/namespaces), topic, topic subscription or authorization rule: the
/// common envelope (spec stable/2021-11-01).
/// </summary>
public sealed class ServiceBusResource : ArmResource
{
    /// <summary>Namespaces only.</summary>
    [JsonPropertyName("location")]
    public string? Location { get; set; }

    /// <summary>Namespaces only (Standard: topics need it).</summary>
    [JsonPropertyName("sku")]
    public ArmSku? Sku { get; set; }

    /// <summary>Namespaces only.</summary>
    [JsonPropertyName("tags")]
    public Dictionary<string, string>? Tags { get; set; }

    [JsonPropertyName("properties")]
    public ServiceBusProperties Properties { get; set; } = new();
}

public sealed class ServiceBusProperties
{
    [JsonPropertyName("provisioningState")]
    public string? ProvisioningState { get; set; }

    /// <summary>Namespaces: https://{name}.servicebus.windows.net:443/.</summary>
    [JsonPropertyName("serviceBusEndpoint")]
    public string? ServiceBusEndpoint { get; set; }

    /// <summary>Topics.</summary>
    [JsonPropertyName("maxSizeInMegabytes")]
    public int? MaxSizeInMegabytes { get; set; }

    /// <summary>Topics and subscriptions (ISO 8601 duration).</summary>
    [JsonPropertyName("defaultMessageTimeToLive")]
    public string? DefaultMessageTimeToLive { get; set; }

    /// <summary>Subscriptions.</summary>
    [JsonPropertyName("maxDeliveryCount")]
    public int? MaxDeliveryCount { get; set; }

    /// <summary>Subscriptions (ISO 8601 duration).</summary>
    [JsonPropertyName("lockDuration")]
    public string? LockDuration { get; set; }

    /// <summary>Authorization rules: Listen, Send, Manage.</summary>
    [JsonPropertyName("rights")]
    public List<string>? Rights { get; set; }
}

/// <summary>Service Bus listKeys: secrets. Never written to a stream.</summary>
public sealed class ServiceBusAccessKeys
{
    [JsonPropertyName("keyName")]
    public string? KeyName { get; set; }

    [JsonPropertyName("primaryConnectionString")]
    public string? PrimaryConnectionString { get; set; }

    [JsonPropertyName("secondaryConnectionString")]
    public string? SecondaryConnectionString { get; set; }

    [JsonPropertyName("primaryKey")]
    public string? PrimaryKey { get; set; }

    [JsonPropertyName("secondaryKey")]
    public string? SecondaryKey { get; set; }
}
