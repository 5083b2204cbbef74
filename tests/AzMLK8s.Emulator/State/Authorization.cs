namespace AzMLK8s.Emulator.State;

/// <summary>A role assignment: unique per (scope, principal, role definition).</summary>
public sealed record EmulatedRoleAssignment(string Scope, string Name, string RoleDefinitionId, string PrincipalId, string PrincipalType, string? Description, DateTimeOffset CreatedOn)
{
    public string Id => $"{Scope.TrimEnd('/')}/providers/Microsoft.Authorization/roleAssignments/{Name}";

    public string RoleGuid => RoleDefinitionId[(RoleDefinitionId.LastIndexOf('/') + 1)..];
}

/// <summary>One entry of a role definition's permissions, as ARM returns it (action patterns may hold '*').</summary>
public sealed record EmulatedPermission(string[] Actions, string[] NotActions, string[] DataActions, string[] NotDataActions)
{
    public static EmulatedPermission Of(string[] actions, string[]? notActions = null, string[]? dataActions = null) =>
        new(actions, notActions ?? Array.Empty<string>(), dataActions ?? Array.Empty<string>(), Array.Empty<string>());
}

/// <summary>A role definition: a built-in role, or a custom role a test defines.</summary>
public sealed record EmulatedRoleDefinition(string Guid, string Name, string Type, EmulatedPermission Permission);

/// <summary>
/// The built-in roles the module grants, checks or meets, with their GUIDs and permissions as Azure publishes them
/// (the Azure built-in roles reference).
/// </summary>
public static class BuiltInRoles
{
    public static IReadOnlyList<EmulatedRoleDefinition> All { get; } = new[]
    {
        BuiltIn("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", EmulatedPermission.Of(new[] { "*" })),
        BuiltIn("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c", EmulatedPermission.Of(
            new[] { "*" },
            new[]
            {
                "Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action",
                "Microsoft.Blueprint/blueprintAssignments/write", "Microsoft.Blueprint/blueprintAssignments/delete",
                "Microsoft.Compute/galleries/share/action", "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete",
                "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
            })),
        BuiltIn("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7", EmulatedPermission.Of(new[] { "*/read" })),
        BuiltIn("AcrPull", "7f951dda-4ed3-4680-a7ca-43fe172d538d", EmulatedPermission.Of(new[] { "Microsoft.ContainerRegistry/registries/pull/read" })),
        BuiltIn("Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", EmulatedPermission.Of(
            new[] { "Microsoft.Storage/storageAccounts/blobServices/containers/read", "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action" },
            dataActions: new[] { "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read" })),
        BuiltIn("Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe", EmulatedPermission.Of(
            new[]
            {
                "Microsoft.Storage/storageAccounts/blobServices/containers/delete", "Microsoft.Storage/storageAccounts/blobServices/containers/read",
                "Microsoft.Storage/storageAccounts/blobServices/containers/write", "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action",
            },
            dataActions: new[]
            {
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action",
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action",
            })),
        BuiltIn("Azure Relay Owner", "2787bf04-f1f5-4bfe-8383-c8a24483ee38", EmulatedPermission.Of(new[] { "Microsoft.Relay/*" }, dataActions: new[] { "Microsoft.Relay/*" })),
        BuiltIn("Azure Service Bus Data Owner", "090c5cfd-751d-490a-894a-3ce6f1109419", EmulatedPermission.Of(new[] { "Microsoft.ServiceBus/*" }, dataActions: new[] { "Microsoft.ServiceBus/*" })),
        BuiltIn("Kubernetes Extension Contributor", "85cb6faf-e071-4c9b-8136-154b5a04f717", EmulatedPermission.Of(new[]
        {
            "Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*", "Microsoft.Resources/deployments/*", "Microsoft.Resources/subscriptions/resourceGroups/read",
            "Microsoft.KubernetesConfiguration/extensions/write", "Microsoft.KubernetesConfiguration/extensions/read", "Microsoft.KubernetesConfiguration/extensions/delete",
            "Microsoft.KubernetesConfiguration/extensions/operations/read", "Microsoft.KubernetesConfiguration/register/action",
        })),
        BuiltIn("Azure Kubernetes Service Cluster Admin Role", "0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8", EmulatedPermission.Of(new[]
        {
            "Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action", "Microsoft.ContainerService/managedClusters/accessProfiles/listCredential/action",
            "Microsoft.ContainerService/managedClusters/read", "Microsoft.ContainerService/managedClusters/runcommand/action",
        })),
        BuiltIn("Azure Kubernetes Service Contributor Role", "ed7f3fbd-7b88-4dd4-9017-9adb7ce333f8", EmulatedPermission.Of(new[]
        {
            "Microsoft.Authorization/*/read", "Microsoft.ContainerService/locations/*", "Microsoft.ContainerService/managedClusters/*",
            "Microsoft.ContainerService/managedclustersnapshots/*", "Microsoft.ContainerService/snapshots/*", "Microsoft.Insights/alertRules/*",
            "Microsoft.Resources/deployments/*", "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.ContainerService/deploymentSafeguards/*",
        })),
        BuiltIn("Azure Kubernetes Service Cluster User Role", "4abbcc35-e782-43d8-92c5-2d3f1bd2253f", EmulatedPermission.Of(new[]
        {
            "Microsoft.ContainerService/managedClusters/listClusterUserCredential/action", "Microsoft.ContainerService/managedClusters/read",
        })),
        BuiltIn("Azure Arc Enabled Kubernetes Cluster User Role", "00493d72-78f6-4148-b6c5-d3ce8e4799dd", EmulatedPermission.Of(new[]
        {
            "Microsoft.Resources/deployments/write", "Microsoft.Resources/subscriptions/operationresults/read", "Microsoft.Resources/subscriptions/read",
            "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Kubernetes/connectedClusters/listClusterUserCredentials/action",
            "Microsoft.Kubernetes/connectedClusters/listClusterUserCredential/action", "Microsoft.Authorization/*/read",
        })),
    };

    public static IReadOnlyDictionary<string, string> ByName { get; } = All.ToDictionary(r => r.Name, r => r.Guid, StringComparer.OrdinalIgnoreCase);

    public static string? NameOf(string guid) => All.FirstOrDefault(r => string.Equals(r.Guid, guid, StringComparison.OrdinalIgnoreCase))?.Name;

    private static EmulatedRoleDefinition BuiltIn(string name, string guid, EmulatedPermission permission) => new(guid, name, "BuiltInRole", permission);
}

/// <summary>
/// Which principal ids the directory knows. Ids registered here (new managed identities) become visible to role
/// assignments only after the replication delay; ids never registered are treated as long-existing users.
/// </summary>
public sealed class PrincipalDirectory
{
    private readonly Dictionary<string, DateTimeOffset> _visibleFrom = new(StringComparer.OrdinalIgnoreCase);

    public void Register(string principalId, DateTimeOffset visibleFrom) => _visibleFrom[principalId] = visibleFrom;

    public void Clear() => _visibleFrom.Clear();

    public bool IsVisible(string principalId, DateTimeOffset now) =>
        !_visibleFrom.TryGetValue(principalId, out var from) || from <= now;
}

/// <summary>Feature flags and resource provider registration states, with Registering turning into Registered.</summary>
public sealed class Registrations
{
    private readonly Dictionary<string, (string State, DateTimeOffset? RegisteredAt)> _states = new(StringComparer.OrdinalIgnoreCase);

    public void Set(string key, string state) => _states[key] = (state, null);

    public void Clear() => _states.Clear();

    public string Get(string key, DateTimeOffset now, string defaultState)
    {
        if (!_states.TryGetValue(key, out var entry))
        {
            return defaultState;
        }

        if (entry.RegisteredAt is { } at && at <= now)
        {
            _states[key] = ("Registered", null);
            return "Registered";
        }

        return entry.State;
    }

    /// <summary>Starts registration; already Registered stays so.</summary>
    public string Register(string key, DateTimeOffset now, TimeSpan duration, string defaultState)
    {
        if (string.Equals(Get(key, now, defaultState), "Registered", StringComparison.OrdinalIgnoreCase))
        {
            return "Registered";
        }

        _states[key] = ("Registering", now + duration);
        return "Registering";
    }

    public static string FeatureKey(string subscriptionId, string providerNamespace, string feature) => $"{subscriptionId}/features/{providerNamespace}/{feature}";

    public static string ProviderKey(string subscriptionId, string providerNamespace) => $"{subscriptionId}/providers/{providerNamespace}";
}

/// <summary>
/// Azure RBAC's answer to "may this principal do this operation here": some role assigned to it at or above the
/// scope permits the operation (one of its Actions matches and none of its NotActions does; data actions apart).
/// </summary>
public static class RoleBasedAccess
{
    public static bool Permits(EmulatorState state, string principalId, string scope, string operation, bool dataAction = false)
    {
        lock (state.Gate)
        {
            return state.RoleAssignments
                .Where(a => string.Equals(a.PrincipalId, principalId, StringComparison.OrdinalIgnoreCase) && AppliesAt(a.Scope, scope))
                .Select(a => state.FindRoleDefinition(a.RoleGuid)?.Permission)
                .OfType<EmulatedPermission>()
                .Any(p => dataAction
                    ? p.DataActions.Any(d => Matches(d, operation)) && !p.NotDataActions.Any(d => Matches(d, operation))
                    : p.Actions.Any(d => Matches(d, operation)) && !p.NotActions.Any(d => Matches(d, operation)));
        }
    }

    private static bool AppliesAt(string assigned, string scope)
    {
        var at = assigned.TrimEnd('/');
        var target = scope.TrimEnd('/');
        return at.Length == 0 || string.Equals(at, target, StringComparison.OrdinalIgnoreCase) || target.StartsWith(at + "/", StringComparison.OrdinalIgnoreCase);
    }

    private static bool Matches(string pattern, string operation) =>
        System.Text.RegularExpressions.Regex.IsMatch(
            operation,
            "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase);
}
