using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Resources;
using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Operations.Roles;
using AzMLK8s.Model;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Engine.Operations.Computes;

/// <summary>
/// Before an attach to a workspace that runs as a user-assigned identity: are the roles of
/// <see cref="WorkspaceIdentityRoleRequirements"/> in place for that identity? Azure ML would otherwise fail late
/// ("extension not installed", "internal server error").
/// </summary>
internal static class WorkspaceIdentityRoleCheck
{
    public static async Task CheckAsync(
        ArmConnection connection,
        ICmdletHost host,
        WorkspaceReference workspace,
        WorkspaceResource workspaceResource,
        ClusterReference cluster,
        ClusterResource clusterResource,
        ExtensionResource extension,
        CancellationToken cancellationToken)
    {
        var identityId = UserAssignedIdentityOf(workspaceResource);
        if (identityId is null)
        {
            return;
        }

        var principalId = await PrincipalOfAsync(connection, workspaceResource, identityId, cancellationToken).ConfigureAwait(false);
        if (principalId is null)
        {
            host.WriteWarning($"The roles of workspace '{workspace.Name}''s identity '{identityId}' were not checked: its principal id could not be read.");
            return;
        }

        IReadOnlyList<RequiredRoleAssignment> required;
        RequiredRoleAssignment[] missing;
        try
        {
            var (context, unresolved) = await WorkspaceIdentityRoleTargets.ResolveAsync(
                connection,
                cluster,
                extension,
                usesTrustedAccess: cluster.Type == AzMLK8sClusterType.Aks && clusterResource.Properties.DisableLocalAccounts == true,
                cancellationToken).ConfigureAwait(false);
            foreach (var line in unresolved)
            {
                host.WriteWarning($"Not checked: {line}");
            }

            required = WorkspaceIdentityRoleRequirements.For(context);
            var assignments = await connection.RoleAssignments.ListForScopeAsync($"/subscriptions/{cluster.SubscriptionId}", principalId, atScope: false, cancellationToken).ConfigureAwait(false);
            missing = await new HeldRoles(connection, cluster.SubscriptionId, assignments).MissingAsync(required, host, cancellationToken).ConfigureAwait(false);
        }
        catch (ModuleErrorException ex) when (ex.Error.ErrorId is "Arm.AuthorizationFailed" or "Arm.Http403")
        {
            host.WriteWarning($"The roles of workspace '{workspace.Name}''s identity were not checked: you may not read its role assignments, their role definitions or the cluster's Relay namespace ({ex.Error.Message}).");
            return;
        }

        if (missing.Length == 0)
        {
            host.WriteVerbose($"Workspace '{workspace.Name}''s identity has the {required.Count} roles an attach of '{cluster.Name}' needs.");
            return;
        }

        var lines = string.Join(Environment.NewLine, missing.Select(m => $"  - {m.Role.Name} on {m.Scope}: {m.Reason}"));
        throw new ModuleErrorException(new ModuleError(
            ComputeErrors.WorkspaceIdentityRoleMissing,
            ErrorKind.PermissionDenied,
            $"Workspace '{workspace.Name}' runs as the user-assigned identity '{identityId}', which lacks {missing.Length} role(s) Azure ML needs to attach '{cluster.Name}':{Environment.NewLine}{lines}")
        {
            RecommendedAction = $"Grant them, then attach again: Grant-AzMLWorkspaceIdentityRole -WorkspaceName '{workspace.Name}' -ResourceGroupName '{workspace.ResourceGroupName}' -ClusterResourceId '{cluster.ResourceId}'",
            TargetObject = identityId,
        });
    }

    /// <summary>The identity the workspace acts as, when it is user-assigned; null for a system-assigned workspace.</summary>
    internal static string? UserAssignedIdentityOf(WorkspaceResource workspace)
    {
        if (!string.IsNullOrEmpty(workspace.Properties.PrimaryUserAssignedIdentity))
        {
            return workspace.Properties.PrimaryUserAssignedIdentity;
        }

        var type = workspace.Identity?.Type ?? string.Empty;
        return type.Contains("UserAssigned", StringComparison.OrdinalIgnoreCase) && !type.Contains("SystemAssigned", StringComparison.OrdinalIgnoreCase)
            ? workspace.Identity?.UserAssignedIdentities?.Keys.FirstOrDefault()
            : null;
    }

    private static async Task<string?> PrincipalOfAsync(ArmConnection connection, WorkspaceResource workspace, string identityId, CancellationToken cancellationToken)
    {
        var listed = workspace.Identity?.UserAssignedIdentities?
            .FirstOrDefault(i => string.Equals(i.Key, identityId, StringComparison.OrdinalIgnoreCase)).Value?.PrincipalId;
        if (!string.IsNullOrEmpty(listed))
        {
            return listed;
        }

        var identity = await connection.Identities.GetUserAssignedAsync(identityId, cancellationToken).ConfigureAwait(false);
        return identity?.Properties.PrincipalId;
    }
}
