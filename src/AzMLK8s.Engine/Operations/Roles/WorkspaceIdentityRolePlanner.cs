using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Resources;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Model;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Roles;

namespace AzMLK8s.Engine.Operations.Roles;

/// <summary>The workspace's identity and, when it is user-assigned, the roles it needs on a cluster.</summary>
public sealed record WorkspaceIdentityRolePlan(
    WorkspaceReference Workspace,
    ClusterReference Cluster,
    bool UsesSystemAssignedIdentity,
    string? IdentityResourceId,
    string? PrincipalId,
    IReadOnlyList<RequiredRoleAssignment> Roles)
{
    /// <summary>Roles the rules ask for whose scope could not be found (one line each, with what to do).</summary>
    public IReadOnlyList<string> Unresolved { get; init; } = Array.Empty<string>();

    public string IdentityName => IdentityResourceId is null ? Workspace.Name : IdentityResourceId.TrimEnd('/')[(IdentityResourceId.TrimEnd('/').LastIndexOf('/') + 1)..];
}

/// <summary>
/// Reads what the rules of <see cref="WorkspaceIdentityRoleRequirements"/> need from Azure: the workspace's identity
/// and (<see cref="WorkspaceIdentityRoleTargets"/>) the one Relay namespace and Service Bus namespace the cluster's
/// AzureML extension uses.
/// </summary>
public static class WorkspaceIdentityRolePlanner
{
    public const string AzureMLExtensionType = "Microsoft.AzureML.Kubernetes";

    public static async Task<WorkspaceIdentityRolePlan> PlanAsync(ArmConnection connection, WorkspaceReference workspace, ClusterReference cluster, bool usesTrustedAccess, CancellationToken cancellationToken)
    {
        var resource = await connection.Workspaces.GetAsync(workspace.ResourceId, cancellationToken).ConfigureAwait(false)
            ?? throw new ModuleErrorException(new ModuleError("WorkspaceNotFound", ErrorKind.ObjectNotFound, $"Workspace '{workspace.Name}' does not exist in resource group '{workspace.ResourceGroupName}'.")
            {
                RecommendedAction = "Check -WorkspaceName and -ResourceGroupName (or -WorkspaceResourceId) and the subscription chosen with Set-AzMLK8sContext.",
                TargetObject = workspace.ResourceId,
            });

        var identityId = resource.Properties.PrimaryUserAssignedIdentity;
        var userAssigned = resource.Identity?.Type?.Contains("UserAssigned", StringComparison.OrdinalIgnoreCase) == true && !string.IsNullOrEmpty(identityId);
        if (!userAssigned)
        {
            return new WorkspaceIdentityRolePlan(workspace, cluster, true, null, resource.Identity?.PrincipalId, Array.Empty<RequiredRoleAssignment>());
        }

        var principalId = resource.Identity!.UserAssignedIdentities?
                .FirstOrDefault(u => string.Equals(u.Key, identityId, StringComparison.OrdinalIgnoreCase)).Value?.PrincipalId
            ?? (await connection.Identities.GetUserAssignedAsync(identityId!, cancellationToken).ConfigureAwait(false))?.Properties.PrincipalId
            ?? throw new ModuleErrorException(new ModuleError("WorkspaceIdentityNotFound", ErrorKind.ObjectNotFound, $"The workspace's user-assigned identity '{identityId}' could not be read.")
            {
                RecommendedAction = "Check that the identity still exists and that you may read it (Reader on the identity).",
                TargetObject = identityId,
            });

        var extension = await WorkspaceIdentityRoleTargets.FindExtensionAsync(connection, cluster, cancellationToken).ConfigureAwait(false);
        var (context, unresolved) = await WorkspaceIdentityRoleTargets.ResolveAsync(connection, cluster, extension, usesTrustedAccess, cancellationToken).ConfigureAwait(false);
        var roles = WorkspaceIdentityRoleRequirements.For(context);
        return new WorkspaceIdentityRolePlan(workspace, cluster, false, identityId, principalId, roles) { Unresolved = unresolved };
    }

    /// <summary>
    /// Grants the plan's roles, each one the caller agrees to (<c>shouldProcess(target, action)</c>). A workspace with a
    /// system-assigned identity needs none: a warning says so.
    /// </summary>
    public static async Task<IReadOnlyList<AzMLRoleAssignment>> GrantAsync(
        ArmConnection connection,
        WorkspaceReference workspace,
        ClusterReference cluster,
        bool usesTrustedAccess,
        RoleAssignmentRetryOptions? retry,
        Func<string, string, bool> shouldProcess,
        CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(connection, workspace, cluster, usesTrustedAccess, cancellationToken).ConfigureAwait(false);
        if (plan.UsesSystemAssignedIdentity)
        {
            connection.Host.WriteWarning($"Workspace '{workspace.Name}' uses a system-assigned identity: Azure Machine Learning grants it what it needs when the cluster is attached, so no role has to be granted. Attach with Connect-AzMLK8sCompute.");
            return Array.Empty<AzMLRoleAssignment>();
        }

        foreach (var line in plan.Unresolved)
        {
            connection.Host.WriteWarning($"Not granted: {line}");
        }

        var assignments = new RoleAssignments(connection, retry);
        var granted = new List<AzMLRoleAssignment>();
        foreach (var required in plan.Roles)
        {
            var role = RoleReference.From(required.Role);
            if (shouldProcess(required.Scope, $"Grant role '{role.Name}' on scope '{required.Scope}' to workspace identity '{plan.IdentityName}' (principal {plan.PrincipalId}) {required.Reason}"))
            {
                var description = $"Granted by AzMLK8s to the identity of workspace '{workspace.Name}' {required.Reason}";
                granted.Add(await assignments.GrantAsync(required.Scope, plan.PrincipalId!, role, description, cancellationToken).ConfigureAwait(false));
            }
        }

        return granted;
    }
}
