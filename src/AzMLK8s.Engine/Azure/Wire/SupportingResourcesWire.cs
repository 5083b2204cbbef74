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
