using AzMLK8s.Engine.Azure.Wire;

namespace AzMLK8s.Engine.Azure.Resources;

/// <summary>What DELETE does to the cluster behind a compute (underlyingResourceAction).</summary>
public enum ComputeDeleteAction
{
    /// <summary>Only remove the compute from the workspace; the cluster stays.</summary>
    Detach,

    /// <summary>Delete the underlying compute as well.</summary>
    Delete,
}

/// <summary>Microsoft.MachineLearningServices/workspaces/computes (Kubernetes computes).</summary>
public sealed class ComputeOperations : ResourceOperations
{
    internal ComputeOperations(ArmConnection connection)
        : base(connection)
    {
    }

    public static string ComputeId(string workspaceResourceId, string computeName) =>
        $"{workspaceResourceId.TrimEnd('/')}/computes/{computeName}";

    public Task<ComputeResource?> GetAsync(string workspaceResourceId, string computeName, CancellationToken cancellationToken)
    {
        var id = ComputeId(workspaceResourceId, computeName);
        return GetOrNullAsync<ComputeResource>(ArmRequest.Get(id, ArmApiVersions.MachineLearning).Describe($"Get compute '{computeName}'", id), cancellationToken);
    }

    public Task<IReadOnlyList<ComputeResource>> ListAsync(string workspaceResourceId, CancellationToken cancellationToken)
    {
        var path = $"{workspaceResourceId.TrimEnd('/')}/computes";
        return ListAsync<ComputeResource>(ArmRequest.Get(path, ArmApiVersions.MachineLearning).Describe("List computes", workspaceResourceId), cancellationToken);
    }

    /// <summary>Waits until an attach that a read just showed still running has ended.</summary>
    public Task<ComputeResource> WaitForProvisioningAsync(string workspaceResourceId, string computeName, CancellationToken cancellationToken)
    {
        var id = ComputeId(workspaceResourceId, computeName);
        var get = ArmRequest.Get(id, ArmApiVersions.MachineLearning).Describe($"Attach compute '{computeName}'", id);
        return WaitForProvisioningAsync<ComputeResource>(get, $"Attaching compute '{computeName}'", cancellationToken);
    }

    /// <summary>PUT (attach): overwrites a compute of that name; waits until it has Succeeded.</summary>
    public Task<ComputeResource> CreateOrUpdateAsync(string workspaceResourceId, string computeName, ComputeResource compute, CancellationToken cancellationToken)
    {
        var id = ComputeId(workspaceResourceId, computeName);
        var request = ArmRequest.Put(id, ArmApiVersions.MachineLearning, compute).Describe($"Attach compute '{computeName}'", id);
        return SendAndWaitAsync<ComputeResource>(request, $"Attaching compute '{computeName}'", cancellationToken);
    }

    /// <summary>Returns false when the compute did not exist (204).</summary>
    public Task<bool> DeleteAsync(string workspaceResourceId, string computeName, ComputeDeleteAction action, CancellationToken cancellationToken)
    {
        var id = ComputeId(workspaceResourceId, computeName);
        var request = ArmRequest.Delete(id, ArmApiVersions.MachineLearning)
            .WithQuery("underlyingResourceAction", action.ToString())
            .Describe($"{action} compute '{computeName}'", id);
        return DeleteAndWaitAsync(request, $"Detaching compute '{computeName}'", cancellationToken);
    }
}

/// <summary>Microsoft.MachineLearningServices/workspaces (read only).</summary>
public sealed class WorkspaceOperations : ResourceOperations
{
    internal WorkspaceOperations(ArmConnection connection)
        : base(connection)
    {
    }

    public static string WorkspaceId(string subscriptionId, string resourceGroup, string workspaceName) =>
        $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/{workspaceName}";

    public Task<WorkspaceResource?> GetAsync(string workspaceResourceId, CancellationToken cancellationToken) =>
        GetOrNullAsync<WorkspaceResource>(ArmRequest.Get(workspaceResourceId, ArmApiVersions.MachineLearning).Describe("Get workspace", workspaceResourceId), cancellationToken);
}
