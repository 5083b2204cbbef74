using AzMLK8s.Engine.Azure.Wire;

namespace AzMLK8s.Engine.Azure.Resources;

/// <summary>
/// Starts a compute attach or detach without waiting for it (-NoWait). Waiting variants are
/// <see cref="ComputeOperations.CreateOrUpdateAsync"/> and <see cref="ComputeOperations.DeleteAsync"/>.
/// </summary>
public sealed class ComputeAttachOperations : ResourceOperations
{
    public ComputeAttachOperations(ArmConnection connection)
        : base(connection)
    {
    }

    /// <summary>PUT; returns the compute as the service accepted it (usually Creating).</summary>
    public Task<ComputeResource> BeginAttachAsync(string workspaceResourceId, string computeName, ComputeResource compute, CancellationToken cancellationToken)
    {
        var id = ComputeOperations.ComputeId(workspaceResourceId, computeName);
        var request = ArmRequest.Put(id, ArmApiVersions.MachineLearning, compute).Describe($"Attach compute '{computeName}'", id);
        return SendAsync<ComputeResource>(request, cancellationToken);
    }

    /// <summary>DELETE with underlyingResourceAction=Detach; false when the compute did not exist (204).</summary>
    public async Task<bool> BeginDetachAsync(string workspaceResourceId, string computeName, CancellationToken cancellationToken)
    {
        var id = ComputeOperations.ComputeId(workspaceResourceId, computeName);
        var request = ArmRequest.Delete(id, ArmApiVersions.MachineLearning)
            .WithQuery("underlyingResourceAction", nameof(ComputeDeleteAction.Detach))
            .Describe($"Detach compute '{computeName}'", id);
        var response = await Connection.Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status != 204;
    }
}
