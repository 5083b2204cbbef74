using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Model;
using AzMLK8s.Model.Computes;

namespace AzMLK8s.Engine.Operations.Roles;

/// <summary>One managed identity a compute runs as: its principal id and which identity that is.</summary>
public sealed record ComputePrincipal(string PrincipalId, string Description);

/// <summary>The compute whose identities get (or lose) a role, and where it lives.</summary>
public sealed record ComputeIdentity(string ComputeName, string ComputeResourceId, string SubscriptionId, string ResourceGroupName, IReadOnlyList<ComputePrincipal> Principals)
{
    /// <summary>From a compute object of the pipeline (Get-/Connect-AzMLK8sCompute).</summary>
    public static ComputeIdentity From(AzMLK8sCompute compute)
    {
        var principals = new List<ComputePrincipal>();
        if (!string.IsNullOrEmpty(compute.PrincipalId))
        {
            principals.Add(new(compute.PrincipalId, $"the system-assigned identity of compute '{compute.Name}'"));
        }

        principals.AddRange(compute.UserAssignedIdentities
            .Where(u => !string.IsNullOrEmpty(u.Value))
            .Select(u => new ComputePrincipal(u.Value, $"the user-assigned identity '{NameOf(u.Key)}' of compute '{compute.Name}'")));
        return Checked(new ComputeIdentity(compute.Name, compute.ResourceId, compute.SubscriptionId, compute.ResourceGroupName, principals));
    }

    /// <summary>Reads the compute of a workspace; ComputeNotFound when the workspace has none of that name.</summary>
    public static async Task<ComputeIdentity> ReadAsync(ArmConnection connection, WorkspaceReference workspace, string computeName, CancellationToken cancellationToken)
    {
        var compute = await connection.Computes.GetAsync(workspace.ResourceId, computeName, cancellationToken).ConfigureAwait(false)
            ?? throw new ModuleErrorException(new ModuleError(
                "ComputeNotFound",
                ErrorKind.ObjectNotFound,
                $"Workspace '{workspace.Name}' has no compute named '{computeName}'.")
            {
                RecommendedAction = $"List the workspace's Kubernetes computes with Get-AzMLK8sCompute -WorkspaceName {workspace.Name} -ResourceGroupName {workspace.ResourceGroupName}.",
                TargetObject = computeName,
            });
        return Checked(new ComputeIdentity(computeName, compute.Id ?? Azure.Resources.ComputeOperations.ComputeId(workspace.ResourceId, computeName), workspace.SubscriptionId, workspace.ResourceGroupName, PrincipalsOf(compute, computeName)));
    }

    private static List<ComputePrincipal> PrincipalsOf(ComputeResource compute, string computeName)
    {
        var principals = new List<ComputePrincipal>();
        if (!string.IsNullOrEmpty(compute.Identity?.PrincipalId))
        {
            principals.Add(new(compute.Identity.PrincipalId, $"the system-assigned identity of compute '{computeName}'"));
        }

        principals.AddRange((compute.Identity?.UserAssignedIdentities ?? new Dictionary<string, ArmUserAssignedIdentityReference>())
            .Where(u => !string.IsNullOrEmpty(u.Value.PrincipalId))
            .Select(u => new ComputePrincipal(u.Value.PrincipalId!, $"the user-assigned identity '{NameOf(u.Key)}' of compute '{computeName}'")));
        return principals;
    }

    private static ComputeIdentity Checked(ComputeIdentity identity) =>
        identity.Principals.Count > 0
            ? identity
            : throw new ModuleErrorException(new ModuleError(
                "ComputeHasNoIdentity",
                ErrorKind.InvalidOperation,
                $"Compute '{identity.ComputeName}' has no managed identity, so it cannot be given a role.")
            {
                RecommendedAction = "Attach the cluster again with an identity: Connect-AzMLK8sCompute ... -IdentityType SystemAssigned (or UserAssigned with -UserAssignedIdentity).",
                TargetObject = identity.ComputeResourceId,
            });

    private static string NameOf(string resourceId) => resourceId.TrimEnd('/')[(resourceId.TrimEnd('/').LastIndexOf('/') + 1)..];
}
