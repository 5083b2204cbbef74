using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Roles;
using AzMLK8s.Model;
using AzMLK8s.Model.Prerequisites;

namespace AzMLK8s.Engine.Operations.Prerequisites;

/// <summary>The checks answered by Azure Resource Manager: providers, the AKS feature flag, the workspace identity's roles.</summary>
internal static class AzurePrerequisiteChecks
{
    public static async Task<IReadOnlyList<AzMLK8sPrerequisiteCheck>> RunAsync(ArmConnection connection, PrerequisiteRequest request, CancellationToken cancellationToken)
    {
        var subscription = $"/subscriptions/{connection.SubscriptionId}";
        var fix = $"Register-AzMLK8sPrerequisite {request.ClusterArgument}";

        async Task<IReadOnlyList<AzMLK8sPrerequisiteCheck>> ProviderAsync(string provider) =>
        [
            RegistrationCheck(PrerequisiteCheckNames.Provider(provider), subscription, $"Resource provider {provider}",
                await connection.Registrations.GetProviderStateAsync(provider, cancellationToken).ConfigureAwait(false), fix),
        ];

        async Task<IReadOnlyList<AzMLK8sPrerequisiteCheck>> FeatureAsync(string provider, string feature) =>
        [
            RegistrationCheck(PrerequisiteCheckNames.Feature(provider, feature), subscription, $"Feature {provider}/{feature}",
                await connection.Registrations.GetFeatureStateAsync(provider, feature, cancellationToken).ConfigureAwait(false), fix),
        ];

        // Independent reads, each a round trip to ARM: sent together; the checks keep this order.
        var reads = ResourceProviderRequirements.ProvidersFor(request.Cluster.Type).Select(ProviderAsync).ToList();
        if (ResourceProviderRequirements.NeedsExtensionManagerFeature(request.Cluster.Type))
        {
            reads.Add(FeatureAsync(ResourceProviderRequirements.ContainerService, ResourceProviderRequirements.ExtensionManagerFeature));
        }

        if (request.Workspace is not null)
        {
            reads.Add(WorkspaceIdentityChecksAsync(connection, request, cancellationToken));
        }

        return (await Task.WhenAll(reads).ConfigureAwait(false)).SelectMany(checks => checks).ToArray();
    }

    private static AzMLK8sPrerequisiteCheck RegistrationCheck(string name, string target, string what, string? state, string fix)
    {
        var status = ResourceProviderRequirements.IsRegistered(state) ? PrerequisiteStatus.Pass
            : string.Equals(state, "Registering", StringComparison.OrdinalIgnoreCase) ? PrerequisiteStatus.Warn
            : PrerequisiteStatus.Fail;
        var detail = status switch
        {
            PrerequisiteStatus.Pass => $"{what} is registered.",
            PrerequisiteStatus.Warn => $"{what} is still registering; the extension cannot be deployed until it is Registered.",
            _ => $"{what} is {state ?? "not registered"}; deploying the AzureML extension needs it Registered.",
        };
        return new AzMLK8sPrerequisiteCheck { Name = name, Status = status, Target = target, Detail = detail, Fix = status == PrerequisiteStatus.Pass ? null : fix };
    }

    private static async Task<IReadOnlyList<AzMLK8sPrerequisiteCheck>> WorkspaceIdentityChecksAsync(ArmConnection connection, PrerequisiteRequest request, CancellationToken cancellationToken)
    {
        var workspace = request.Workspace!;
        WorkspaceIdentityRolePlan plan;
        try
        {
            plan = await WorkspaceIdentityRolePlanner.PlanAsync(connection, workspace, request.Cluster, request.TrustedAccess, cancellationToken).ConfigureAwait(false);
        }
        catch (ModuleErrorException ex) when (ex.Error.ErrorId is "WorkspaceNotFound" or "WorkspaceIdentityNotFound")
        {
            return new[]
            {
                new AzMLK8sPrerequisiteCheck
                {
                    Name = PrerequisiteCheckNames.WorkspaceIdentity, Status = PrerequisiteStatus.Fail, Target = workspace.ResourceId,
                    Detail = ex.Error.Message + " " + ex.Error.RecommendedAction,
                },
            };
        }

        if (plan.UsesSystemAssignedIdentity)
        {
            return new[]
            {
                new AzMLK8sPrerequisiteCheck
                {
                    Name = PrerequisiteCheckNames.WorkspaceIdentity, Status = PrerequisiteStatus.Pass, Target = workspace.ResourceId,
                    Detail = $"Workspace '{workspace.Name}' uses a system-assigned identity; Azure ML grants it what it needs when the cluster is attached.",
                },
            };
        }

        var checks = new List<AzMLK8sPrerequisiteCheck>
        {
            new()
            {
                Name = PrerequisiteCheckNames.WorkspaceIdentity, Status = PrerequisiteStatus.Pass, Target = workspace.ResourceId,
                Detail = $"Workspace '{workspace.Name}' uses the user-assigned identity '{plan.IdentityName}' (principal {plan.PrincipalId}); it needs {plan.Roles.Count} role(s) granted by hand before attach.",
            },
        };
        var fix = $"Grant-AzMLWorkspaceIdentityRole -WorkspaceResourceId '{workspace.ResourceId}' {request.ClusterArgument}" + (request.TrustedAccess ? " -TrustedAccess" : string.Empty);
        foreach (var required in plan.Roles)
        {
            // Inherited assignments count: Reader on the resource group covers the cluster.
            var assigned = await connection.RoleAssignments.ListForScopeAsync(required.Scope, plan.PrincipalId, atScope: true, cancellationToken).ConfigureAwait(false);
            var has = assigned.Any(a => a.Properties.RoleDefinitionId?.EndsWith("/" + required.Role.Id, StringComparison.OrdinalIgnoreCase) == true);
            checks.Add(new AzMLK8sPrerequisiteCheck
            {
                Name = PrerequisiteCheckNames.WorkspaceRole(required.Role.Name),
                Status = has ? PrerequisiteStatus.Pass : PrerequisiteStatus.Fail,
                Target = required.Scope,
                Detail = has
                    ? $"'{plan.IdentityName}' has '{required.Role.Name}' on this scope."
                    : $"'{plan.IdentityName}' lacks '{required.Role.Name}', needed {required.Reason}.",
                Fix = has ? null : fix,
            });
        }

        foreach (var line in plan.Unresolved)
        {
            checks.Add(new AzMLK8sPrerequisiteCheck
            {
                Name = PrerequisiteCheckNames.WorkspaceIdentity,
                Status = PrerequisiteStatus.Warn,
                Target = request.Cluster.ResourceId,
                Detail = $"Not checked: {line}",
                Fix = fix,
            });
        }

        return checks;
    }
}
