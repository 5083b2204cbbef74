using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Model.Computes;

namespace AzMLK8s.Engine.Operations.Computes;

/// <summary>Turns a compute as ARM returns it into the pipeline object (no secret is ever copied).</summary>
public static class ComputeMapper
{
    public static bool IsKubernetes(ComputeResource compute) =>
        string.Equals(compute.Properties.ComputeType, "Kubernetes", StringComparison.OrdinalIgnoreCase);

    public static AzMLK8sCompute ToModel(ComputeResource compute, WorkspaceReference workspace, string computeName)
    {
        var properties = compute.Properties;
        var identity = compute.Identity;
        return new AzMLK8sCompute
        {
            Name = compute.Name ?? computeName,
            ResourceId = compute.Id ?? Azure.Resources.ComputeOperations.ComputeId(workspace.ResourceId, computeName),
            WorkspaceName = workspace.Name,
            WorkspaceResourceId = workspace.ResourceId,
            ResourceGroupName = workspace.ResourceGroupName,
            SubscriptionId = workspace.SubscriptionId,
            Location = compute.Location ?? properties.ComputeLocation,
            ClusterResourceId = properties.ResourceId,
            Namespace = properties.Properties?.Namespace ?? "default",
            ProvisioningState = properties.ProvisioningState,
            IdentityType = ComputeDefinition.IdentityTypeOf(identity),
            PrincipalId = identity?.PrincipalId,
            UserAssignedIdentities = identity?.UserAssignedIdentities?
                .ToDictionary(i => i.Key, i => i.Value?.PrincipalId ?? string.Empty, StringComparer.OrdinalIgnoreCase)
                ?? new Dictionary<string, string>(),
            DefaultInstanceType = properties.Properties?.DefaultInstanceType,
            InstanceTypes = properties.Properties?.InstanceTypes?.Select(t => t.Key).ToArray() ?? Array.Empty<string>(),
            Description = properties.Description,
            ProvisioningErrors = properties.ProvisioningErrors?
                .Select(e => e.Error)
                .Where(e => e is not null)
                .Select(e => $"{e!.Code}: {e.Message}")
                .ToArray() ?? Array.Empty<string>(),
        };
    }

    /// <summary>The workspace a compute id belongs to: everything before "/computes/{name}".</summary>
    public static WorkspaceReference WorkspaceOf(string computeResourceId)
    {
        var parsed = ArmResourceId.Parse(computeResourceId, "Microsoft.MachineLearningServices/workspaces/computes", "InvalidComputeResourceId", "ResourceId");
        return new WorkspaceReference(parsed.SubscriptionId, parsed.ResourceGroupName, parsed.Types[0].Name);
    }
}
