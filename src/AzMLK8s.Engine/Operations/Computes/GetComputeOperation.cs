using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Resources;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Model.Computes;

namespace AzMLK8s.Engine.Operations.Computes;

/// <summary>Get-AzMLK8sCompute: the Kubernetes computes of a workspace, or those bound to a cluster.</summary>
public sealed class GetComputeOperation
{
    private readonly ArmConnection _connection;

    public GetComputeOperation(ArmConnection connection)
    {
        _connection = connection;
    }

    /// <summary>One compute by name (an error when missing or not Kubernetes), or every Kubernetes compute of the workspace.</summary>
    public async Task<IReadOnlyList<AzMLK8sCompute>> GetAsync(WorkspaceReference workspace, string? name, CancellationToken cancellationToken)
    {
        if (name is not null)
        {
            var compute = await _connection.Computes.GetAsync(workspace.ResourceId, name, cancellationToken).ConfigureAwait(false);
            if (compute is null)
            {
                throw NotFound(workspace, name);
            }

            if (!ComputeMapper.IsKubernetes(compute))
            {
                throw ComputeErrors.Invalid(
                    ComputeErrors.NotKubernetesCompute,
                    $"Compute '{name}' of workspace '{workspace.Name}' is of type {compute.Properties.ComputeType}, not Kubernetes.",
                    $"List the workspace's Kubernetes computes with Get-AzMLK8sCompute -WorkspaceName '{workspace.Name}' -ResourceGroupName '{workspace.ResourceGroupName}'.",
                    compute.Id);
            }

            return new[] { ComputeMapper.ToModel(compute, workspace, name) };
        }

        return await ListKubernetesAsync(workspace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The Kubernetes computes bound to <paramref name="cluster"/> across the workspaces of a resource group, or of the
    /// connection's subscription when <paramref name="resourceGroupName"/> is null.
    /// </summary>
    public async Task<IReadOnlyList<AzMLK8sCompute>> GetByClusterAsync(ClusterReference cluster, string? resourceGroupName, string? name, CancellationToken cancellationToken)
    {
        var lister = new WorkspaceListOperations(_connection);
        var workspaces = resourceGroupName is null
            ? await lister.ListBySubscriptionAsync(_connection.SubscriptionId, cancellationToken).ConfigureAwait(false)
            : await lister.ListByResourceGroupAsync(_connection.SubscriptionId, resourceGroupName, cancellationToken).ConfigureAwait(false);
        var found = new List<AzMLK8sCompute>();
        foreach (var workspace in workspaces)
        {
            if (ArmResourceId.TryParse(workspace.Id) is not { } id)
            {
                continue;
            }

            var reference = new WorkspaceReference(id.SubscriptionId, id.ResourceGroupName, id.Name);
            var computes = await ListKubernetesAsync(reference, cancellationToken).ConfigureAwait(false);
            found.AddRange(computes.Where(c =>
                string.Equals(c.ClusterResourceId?.TrimEnd('/'), cluster.ResourceId, StringComparison.OrdinalIgnoreCase)
                && (name is null || string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))));
        }

        return found;
    }

    private async Task<IReadOnlyList<AzMLK8sCompute>> ListKubernetesAsync(WorkspaceReference workspace, CancellationToken cancellationToken)
    {
        var computes = await _connection.Computes.ListAsync(workspace.ResourceId, cancellationToken).ConfigureAwait(false);
        return computes.Where(ComputeMapper.IsKubernetes).Select(c => ComputeMapper.ToModel(c, workspace, c.Name ?? string.Empty)).ToArray();
    }

    internal static Model.ModuleErrorException NotFound(WorkspaceReference workspace, string name) =>
        ComputeErrors.NotFound(
            ComputeErrors.ComputeNotFound,
            $"Workspace '{workspace.Name}' has no compute named '{name}'.",
            $"List its Kubernetes computes with Get-AzMLK8sCompute -WorkspaceName '{workspace.Name}' -ResourceGroupName '{workspace.ResourceGroupName}'.",
            ComputeOperations.ComputeId(workspace.ResourceId, name));
}
