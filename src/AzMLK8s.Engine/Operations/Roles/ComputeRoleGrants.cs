using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Model.Computes;
using AzMLK8s.Model.Roles;

using AzMLK8s.Model.Host;

namespace AzMLK8s.Engine.Operations.Roles;

/// <summary>The compute whose identities get or lose a role: a pipeline object, or workspace + compute name.</summary>
public sealed record ComputeRoleRequest(string Role, RoleScopeRequest Scope)
{
    public AzMLK8sCompute? Compute { get; init; }

    public string? WorkspaceName { get; init; }

    /// <summary>The workspace's resource group.</summary>
    public string? ResourceGroupName { get; init; }

    public string? ComputeName { get; init; }
}

/// <summary>
/// Grant-/Revoke-AzMLComputeRole's use case: find the compute's identities, resolve the scope and the role, and
/// grant or revoke for each identity the caller agrees to (<c>shouldProcess(target, action)</c>).
/// </summary>
public sealed class ComputeRoleGrants
{
    private readonly ArmConnection _connection;
    private readonly RoleAssignments _assignments;

    public ComputeRoleGrants(ArmConnection connection, RoleAssignmentRetryOptions? retry = null)
    {
        _connection = connection;
        _assignments = new RoleAssignments(connection, retry);
    }

    public async Task<IReadOnlyList<AzMLRoleAssignment>> GrantAsync(ComputeRoleRequest request, Func<string, string, bool> shouldProcess, CancellationToken cancellationToken)
    {
        var (compute, scope, role) = await ResolveAsync(request, cancellationToken).ConfigureAwait(false);
        var agreed = compute.Principals
            .Where(principal => shouldProcess(scope, $"Grant role '{role.Name}' to {principal.Description} (principal {principal.PrincipalId})"))
            .ToList();
        PipelineInputWork.Starting();
        var granted = new List<AzMLRoleAssignment>();
        foreach (var principal in agreed)
        {
            var description = $"Granted by AzMLK8s to compute '{compute.ComputeName}'";
            granted.Add(await _assignments.GrantAsync(scope, principal.PrincipalId, role, description, cancellationToken).ConfigureAwait(false));
        }

        return granted;
    }

    public async Task<IReadOnlyList<AzMLRoleAssignment>> RevokeAsync(ComputeRoleRequest request, Func<string, string, bool> shouldProcess, CancellationToken cancellationToken)
    {
        var (compute, scope, role) = await ResolveAsync(request, cancellationToken).ConfigureAwait(false);
        var agreed = compute.Principals
            .Where(principal => shouldProcess(scope, $"Revoke role '{role.Name}' from {principal.Description} (principal {principal.PrincipalId})"))
            .ToList();
        PipelineInputWork.Starting();
        var removed = new List<AzMLRoleAssignment>();
        foreach (var principal in agreed)
        {
            removed.AddRange(await _assignments.RevokeAsync(scope, principal.PrincipalId, role, cancellationToken).ConfigureAwait(false));
        }

        return removed;
    }

    /// <summary>Removes an assignment Grant-AzMLComputeRole returned; an empty list when it was gone already.</summary>
    public async Task<IReadOnlyList<AzMLRoleAssignment>> RevokeAsync(AzMLRoleAssignment assignment, Func<string, string, bool> shouldProcess, CancellationToken cancellationToken)
    {
        if (!shouldProcess(assignment.Scope, $"Revoke role '{assignment.RoleDefinitionName}' from principal {assignment.PrincipalId} (assignment {assignment.Name})")
            || !StartingWork()
            || !await _assignments.RemoveAsync(assignment.Scope, assignment.Name, cancellationToken).ConfigureAwait(false))
        {
            return Array.Empty<AzMLRoleAssignment>();
        }

        return new[]
        {
            new AzMLRoleAssignment
            {
                Name = assignment.Name,
                ResourceId = assignment.ResourceId,
                Scope = assignment.Scope,
                RoleDefinitionName = assignment.RoleDefinitionName,
                RoleDefinitionId = assignment.RoleDefinitionId,
                PrincipalId = assignment.PrincipalId,
                PrincipalType = assignment.PrincipalType,
                Status = "Removed",
            },
        };
    }

    private async Task<(ComputeIdentity Compute, string Scope, RoleReference Role)> ResolveAsync(ComputeRoleRequest request, CancellationToken cancellationToken)
    {
        var compute = request.Compute is not null
            ? ComputeIdentity.From(request.Compute)
            : await ComputeIdentity.ReadAsync(_connection, new WorkspaceReference(_connection.SubscriptionId, request.ResourceGroupName!, request.WorkspaceName!), request.ComputeName!, cancellationToken).ConfigureAwait(false);
        var scope = await request.Scope.ResolveAsync(_connection, compute.SubscriptionId, compute.ResourceGroupName, cancellationToken).ConfigureAwait(false);
        var role = await RoleReference.ResolveAsync(_connection, request.Role, cancellationToken).ConfigureAwait(false);
        return (compute, scope, role);
    }

    private static bool StartingWork()
    {
        PipelineInputWork.Starting();
        return true;
    }

}
