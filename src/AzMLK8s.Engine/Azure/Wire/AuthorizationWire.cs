using System.Text.Json.Serialization;

namespace AzMLK8s.Engine.Azure.Wire;

/// <summary>Microsoft.Authorization/roleAssignments.</summary>
public sealed class RoleAssignmentResource : ArmResource
{
    [JsonPropertyName("properties")]
    public RoleAssignmentProperties Properties { get; set; } = new();
}

public sealed class RoleAssignmentProperties
{
    [JsonPropertyName("roleDefinitionId")]
    public string? RoleDefinitionId { get; set; }

    [JsonPropertyName("principalId")]
    public string? PrincipalId { get; set; }

    /// <summary>User, Group, ServicePrincipal, ForeignGroup. Managed identities are ServicePrincipal.</summary>
    [JsonPropertyName("principalType")]
    public string? PrincipalType { get; set; }

    [JsonPropertyName("scope")]
    public string? Scope { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("createdOn")]
    public DateTimeOffset? CreatedOn { get; set; }
}

/// <summary>Microsoft.Authorization/roleDefinitions: a role's name and what it permits.</summary>
public sealed class RoleDefinitionResource
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>The role's GUID.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("properties")]
    public RoleDefinitionProperties Properties { get; set; } = new();
}

public sealed class RoleDefinitionProperties
{
    [JsonPropertyName("roleName")]
    public string? RoleName { get; set; }

    /// <summary>BuiltInRole or CustomRole.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("assignableScopes")]
    public List<string>? AssignableScopes { get; set; }

    [JsonPropertyName("permissions")]
    public List<RoleDefinitionPermission>? Permissions { get; set; }
}

/// <summary>Operations a role permits: patterns such as "Microsoft.Relay/*" or "*/read", less the Not* ones.</summary>
public sealed class RoleDefinitionPermission
{
    [JsonPropertyName("actions")]
    public List<string>? Actions { get; set; }

    [JsonPropertyName("notActions")]
    public List<string>? NotActions { get; set; }

    [JsonPropertyName("dataActions")]
    public List<string>? DataActions { get; set; }

    [JsonPropertyName("notDataActions")]
    public List<string>? NotDataActions { get; set; }
}
