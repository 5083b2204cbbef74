using System.Text.Json.Serialization;

namespace AzMLK8s.Engine.Azure.Wire;

/// <summary>A page of a list call: { value: [...], nextLink }.</summary>
public sealed class ArmPage<T>
{
    [JsonPropertyName("value")]
    public List<T>? Value { get; set; }

    [JsonPropertyName("nextLink")]
    public string? NextLink { get; set; }
}

/// <summary>Managed identity of a resource (v2 Identity and v3 ManagedServiceIdentity share these fields).</summary>
public sealed class ArmIdentity
{
    /// <summary>None, SystemAssigned, UserAssigned, "SystemAssigned,UserAssigned" (ML) ...</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("principalId")]
    public string? PrincipalId { get; set; }

    [JsonPropertyName("tenantId")]
    public string? TenantId { get; set; }

    /// <summary>User-assigned identity resource id -> its ids. Send an empty object as the value in requests.</summary>
    [JsonPropertyName("userAssignedIdentities")]
    public Dictionary<string, ArmUserAssignedIdentityReference>? UserAssignedIdentities { get; set; }
}

public sealed class ArmUserAssignedIdentityReference
{
    [JsonPropertyName("principalId")]
    public string? PrincipalId { get; set; }

    [JsonPropertyName("clientId")]
    public string? ClientId { get; set; }
}

public sealed class ArmSku
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("tier")]
    public string? Tier { get; set; }
}
