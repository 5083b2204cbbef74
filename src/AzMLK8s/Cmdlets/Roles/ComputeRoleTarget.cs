using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Operations.Roles;
using AzMLK8s.Model.Computes;

namespace AzMLK8s.Cmdlets.Roles;

/// <summary>The compute named by Grant-/Revoke-AzMLComputeRole's parameters: a pipeline object or workspace + compute name.</summary>
internal static class ComputeRoleTarget
{
    /// <summary>The scope parameters, checked before anything is sent.</summary>
    public static RoleScopeRequest ScopeRequest(string? scope, string? containerRegistry, string? storageAccount, string? container, string? resourceGroupName)
    {
        var request = new RoleScopeRequest
        {
            Scope = scope,
            ContainerRegistry = containerRegistry,
            StorageAccount = storageAccount,
            Container = container,
            ResourceGroupName = resourceGroupName,
        };
        request.Validate();
        return request;
    }

    public static Task<ComputeIdentity> ResolveAsync(
        ArmConnection connection,
        AzMLK8sCompute? inputObject,
        string? workspaceName,
        string? resourceGroupName,
        string? computeName,
        CancellationToken cancellationToken)
    {
        if (inputObject is not null)
        {
            return Task.FromResult(ComputeIdentity.From(inputObject));
        }

        var workspace = new WorkspaceReference(connection.SubscriptionId, resourceGroupName!, workspaceName!);
        return ComputeIdentity.ReadAsync(connection, workspace, computeName!, cancellationToken);
    }
}
