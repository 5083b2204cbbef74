namespace AzMLK8s.Model.Roles;

/// <summary>One Azure role assignment that Grant-AzMLComputeRole or Grant-AzMLWorkspaceIdentityRole made or found.</summary>
public sealed class AzMLRoleAssignment
{
    /// <summary>The assignment's name (a GUID).</summary>
    public required string Name { get; init; }

    /// <summary>The assignment's ARM resource id.</summary>
    public required string ResourceId { get; init; }

    public required string Scope { get; init; }

    public required string RoleDefinitionName { get; init; }

    /// <summary>The role definition's GUID.</summary>
    public required string RoleDefinitionId { get; init; }

    public required string PrincipalId { get; init; }

    public string PrincipalType { get; init; } = "ServicePrincipal";

    /// <summary>Created, Existing (already there: nothing was written), or Removed.</summary>
    public string Status { get; init; } = "Created";
}
