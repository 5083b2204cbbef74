using AzMLK8s.Engine.Azure.Wire;

namespace AzMLK8s.Engine.Azure.Resources;

/// <summary>Microsoft.Authorization role assignments and role definitions.</summary>
public sealed class RoleAssignmentOperations : ResourceOperations
{
    internal RoleAssignmentOperations(ArmConnection connection)
        : base(connection)
    {
    }

    /// <summary>The id to send as roleDefinitionId for a built-in role GUID.</summary>
    public static string RoleDefinitionId(string subscriptionId, string roleGuid) =>
        $"/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{roleGuid}";

    public static string RoleAssignmentId(string scope, string assignmentName) =>
        $"{scope.TrimEnd('/')}/providers/Microsoft.Authorization/roleAssignments/{assignmentName}";

    /// <summary>PUT a role assignment (not an LRO). A duplicate (scope, principal, role) fails with Arm.RoleAssignmentExists.</summary>
    public Task<RoleAssignmentResource> CreateAsync(
        string scope,
        string assignmentName,
        string roleDefinitionId,
        string principalId,
        string principalType,
        string? description,
        CancellationToken cancellationToken)
    {
        var id = RoleAssignmentId(scope, assignmentName);
        var body = new RoleAssignmentResource
        {
            Properties = new RoleAssignmentProperties
            {
                RoleDefinitionId = roleDefinitionId,
                PrincipalId = principalId,
                PrincipalType = principalType,
                Description = description,
            },
        };
        var request = ArmRequest.Put(id, ArmApiVersions.Authorization, body).Describe($"Assign role to principal '{principalId}'", scope);
        return SendAsync<RoleAssignmentResource>(request, cancellationToken);
    }

    public Task<RoleAssignmentResource?> GetAsync(string scope, string assignmentName, CancellationToken cancellationToken)
    {
        var id = RoleAssignmentId(scope, assignmentName);
        return GetOrNullAsync<RoleAssignmentResource>(ArmRequest.Get(id, ArmApiVersions.Authorization).Describe("Get role assignment", id), cancellationToken);
    }

    /// <summary>
    /// Lists assignments for a scope. With <paramref name="principalId"/>: that principal's assignments at, above or
    /// below the scope. With <paramref name="atScope"/>: only those at or above the scope.
    /// </summary>
    public Task<IReadOnlyList<RoleAssignmentResource>> ListForScopeAsync(string scope, string? principalId, bool atScope, CancellationToken cancellationToken)
    {
        var request = ArmRequest.Get($"{scope.TrimEnd('/')}/providers/Microsoft.Authorization/roleAssignments", ArmApiVersions.Authorization)
            .Describe("List role assignments", scope);
        var filters = new List<string>();
        if (atScope)
        {
            filters.Add("atScope()");
        }

        if (principalId is not null)
        {
            filters.Add($"principalId eq '{principalId}'");
        }

        if (filters.Count > 0)
        {
            request = request.WithQuery("$filter", string.Join(" and ", filters));
        }

        return ListAsync<RoleAssignmentResource>(request, cancellationToken);
    }

    /// <summary>Returns false when the assignment did not exist (204).</summary>
    public async Task<bool> DeleteAsync(string scope, string assignmentName, CancellationToken cancellationToken)
    {
        var id = RoleAssignmentId(scope, assignmentName);
        var response = await Connection.Client.SendAsync(ArmRequest.Delete(id, ArmApiVersions.Authorization).Describe("Remove role assignment", id), cancellationToken).ConfigureAwait(false);
        return response.Status != 204;
    }

    /// <summary>A role definition by its full id (as a role assignment names it); null when there is none.</summary>
    public Task<RoleDefinitionResource?> GetRoleDefinitionAsync(string roleDefinitionId, CancellationToken cancellationToken) =>
        GetOrNullAsync<RoleDefinitionResource>(ArmRequest.Get(roleDefinitionId, ArmApiVersions.Authorization).Describe("Get role definition", roleDefinitionId), cancellationToken);

    /// <summary>Finds a role (built-in or custom) by its display name, e.g. "AcrPull"; null when none has that name.</summary>
    public async Task<RoleDefinitionResource?> FindRoleDefinitionAsync(string scope, string roleName, CancellationToken cancellationToken)
    {
        var request = ArmRequest.Get($"{scope.TrimEnd('/')}/providers/Microsoft.Authorization/roleDefinitions", ArmApiVersions.Authorization)
            .WithQuery("$filter", $"roleName eq '{roleName.Replace("'", "''", StringComparison.Ordinal)}'")
            .Describe($"Find role '{roleName}'", scope);
        var roles = await ListAsync<RoleDefinitionResource>(request, cancellationToken).ConfigureAwait(false);
        return roles.FirstOrDefault(r => string.Equals(r.Properties.RoleName, roleName, StringComparison.OrdinalIgnoreCase));
    }
}
