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
    public string IdentityName => IdentityResourceId is null ? Workspace.Name : IdentityResourceId.TrimEnd('/')[(IdentityResourceId.TrimEnd('/').LastIndexOf('/') + 1)..];
}

/// <summary>
/// Reads what the rules of <see cref="WorkspaceIdentityRoleRequirements"/> need from Azure: the workspace's identity,
/// the Relay namespaces in an Arc cluster's resource group and, when the AzureML extension has Service Bus on, the
/// Service Bus namespaces there.
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

        var lookup = ResourceLookupOperations.For(connection);
        var relays = cluster.Type == AzMLK8sClusterType.Arc
            ? await ListIdsAsync(lookup, cluster, "Microsoft.Relay/namespaces", ArmApiVersions.Relay, cancellationToken).ConfigureAwait(false)
            : Array.Empty<string>();
        var serviceBuses = await ServiceBusEnabledAsync(connection, cluster, cancellationToken).ConfigureAwait(false)
            ? await ListIdsAsync(lookup, cluster, "Microsoft.ServiceBus/namespaces", ResourceLookupOperations.ServiceBusApiVersion, cancellationToken).ConfigureAwait(false)
            : Array.Empty<string>();
        var roles = WorkspaceIdentityRoleRequirements.For(new WorkspaceIdentityRoleContext(cluster.ResourceId, cluster.Type)
        {
            UsesTrustedAccess = usesTrustedAccess,
            RelayNamespaceIds = relays,
            ServiceBusNamespaceIds = serviceBuses,
        });
        return new WorkspaceIdentityRolePlan(workspace, cluster, false, identityId, principalId, roles);
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

        var assignments = new RoleAssignments(connection, retry);
        var granted = new List<AzMLRoleAssignment>();
        foreach (var required in plan.Roles)
        {
            var role = RoleReference.From(required.Role);
            if (shouldProcess(required.Scope, $"Grant role '{role.Name}' to workspace identity '{plan.IdentityName}' (principal {plan.PrincipalId}) {required.Reason}"))
            {
                var description = $"Granted by AzMLK8s to the identity of workspace '{workspace.Name}' {required.Reason}";
                granted.Add(await assignments.GrantAsync(required.Scope, plan.PrincipalId!, role, description, cancellationToken).ConfigureAwait(false));
            }
        }

        return granted;
    }

    private static async Task<IReadOnlyList<string>> ListIdsAsync(ResourceLookupOperations lookup, ClusterReference cluster, string type, string apiVersion, CancellationToken cancellationToken)
    {
        var found = await lookup.ListByResourceGroupAsync(cluster.SubscriptionId, cluster.ResourceGroupName, type, apiVersion, cancellationToken).ConfigureAwait(false);
        return found.Where(r => r.Id is not null).Select(r => r.Id!).ToArray();
    }

    /// <summary>Whether the cluster's AzureML extension has servicebus.enabled on (no extension yet: off).</summary>
    private static async Task<bool> ServiceBusEnabledAsync(ArmConnection connection, ClusterReference cluster, CancellationToken cancellationToken)
    {
        var extensions = await connection.Extensions.ListAsync(cluster.ResourceId, cancellationToken).ConfigureAwait(false);
        return extensions
            .Where(e => string.Equals(e.Properties.ExtensionType, AzureMLExtensionType, StringComparison.OrdinalIgnoreCase))
            .Any(e => e.Properties.ConfigurationSettings?.Any(s =>
                string.Equals(s.Key, "servicebus.enabled", StringComparison.OrdinalIgnoreCase) && string.Equals(s.Value, "true", StringComparison.OrdinalIgnoreCase)) == true);
    }
}
