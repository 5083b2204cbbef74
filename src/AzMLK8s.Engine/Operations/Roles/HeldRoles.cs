using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Resources;
using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Engine.Operations.Roles;

/// <summary>
/// The role assignments of one principal, and what they permit: a required role is held when it is assigned at or
/// above its scope, or when the roles assigned there permit everything it does (Owner for Reader, a custom role...).
/// Role definitions are read only when the exact role is not assigned.
/// </summary>
internal sealed class HeldRoles
{
    private readonly ArmConnection _connection;
    private readonly string _subscriptionId;
    private readonly IReadOnlyList<RoleAssignmentResource> _assignments;
    private readonly Dictionary<string, RoleDefinitionResource?> _definitions = new(StringComparer.OrdinalIgnoreCase);

    public HeldRoles(ArmConnection connection, string subscriptionId, IReadOnlyList<RoleAssignmentResource> assignments)
    {
        _connection = connection;
        _subscriptionId = subscriptionId;
        _assignments = assignments;
    }

    public async Task<RequiredRoleAssignment[]> MissingAsync(IReadOnlyList<RequiredRoleAssignment> required, ICmdletHost host, CancellationToken cancellationToken)
    {
        var missing = new List<RequiredRoleAssignment>();
        foreach (var requirement in required)
        {
            var there = _assignments.Where(a => AppliesAt(a, requirement.Scope)).ToArray();
            if (there.Any(a => string.Equals(RoleAssignments.GuidOf(a.Properties.RoleDefinitionId), requirement.Role.Id, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var coveringRole = await CoveringRoleAsync(there, requirement, cancellationToken).ConfigureAwait(false);
            if (coveringRole is null)
            {
                missing.Add(requirement);
            }
            else
            {
                host.WriteVerbose($"{requirement.Role.Name} on {requirement.Scope} is not assigned, but '{coveringRole}' assigned there permits everything it does.");
            }
        }

        return missing.ToArray();
    }

    /// <summary>The name of the role held at the scope that permits everything the required role does; null when none (or they only do together).</summary>
    private async Task<string?> CoveringRoleAsync(RoleAssignmentResource[] there, RequiredRoleAssignment requirement, CancellationToken cancellationToken)
    {
        if (there.Length == 0)
        {
            return null;
        }

        var needed = await DefinitionAsync(RoleAssignmentOperations.RoleDefinitionId(_subscriptionId, requirement.Role.Id), cancellationToken).ConfigureAwait(false);
        if (needed?.Properties.Permissions is not { Count: > 0 } neededPermissions)
        {
            return null;
        }

        var held = new List<RoleDefinitionResource>();
        foreach (var id in there.Select(a => a.Properties.RoleDefinitionId).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (await DefinitionAsync(id, cancellationToken).ConfigureAwait(false) is { } definition)
            {
                held.Add(definition);
            }
        }

        var single = held.FirstOrDefault(d => RolePermissions.Include(d.Properties.Permissions ?? new(), neededPermissions));
        if (single is not null)
        {
            return single.Properties.RoleName ?? single.Name;
        }

        return RolePermissions.Include(held.SelectMany(d => d.Properties.Permissions ?? new()), neededPermissions)
            ? string.Join("', '", held.Select(d => d.Properties.RoleName ?? d.Name))
            : null;
    }

    private async Task<RoleDefinitionResource?> DefinitionAsync(string id, CancellationToken cancellationToken)
    {
        if (!_definitions.TryGetValue(id, out var definition))
        {
            definition = await _connection.RoleAssignments.GetRoleDefinitionAsync(id, cancellationToken).ConfigureAwait(false);
            _definitions[id] = definition;
        }

        return definition;
    }

    /// <summary>An assignment at the scope or above it applies there.</summary>
    private static bool AppliesAt(RoleAssignmentResource assignment, string scope)
    {
        var assigned = assignment.Properties.Scope?.TrimEnd('/') ?? string.Empty;
        var target = scope.TrimEnd('/');
        return assigned.Length == 0
            || string.Equals(assigned, target, StringComparison.OrdinalIgnoreCase)
            || target.StartsWith(assigned + "/", StringComparison.OrdinalIgnoreCase);
    }
}
