using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Resources;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Model.Computes;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Engine.Operations.Computes;

/// <summary>
/// Disconnect-AzMLK8sCompute: detach a Kubernetes compute from its workspace (underlyingResourceAction=Detach; the
/// cluster is never deleted). A compute that is already gone is not an error.
/// </summary>
public sealed class DisconnectComputeOperation
{
    private readonly ArmConnection _connection;
    private readonly ICmdletHost _host;

    public DisconnectComputeOperation(ArmConnection connection, ICmdletHost host)
    {
        _connection = connection;
        _host = host;
    }

    /// <summary>The compute as it was before the detach; null when it was already gone or the user declined.</summary>
    public async Task<AzMLK8sCompute?> DisconnectAsync(WorkspaceReference workspace, string name, bool noWait, CancellationToken cancellationToken)
    {
        ComputeInputRules.CheckComputeName(name);
        var compute = await _connection.Computes.GetAsync(workspace.ResourceId, name, cancellationToken).ConfigureAwait(false);
        if (compute is null)
        {
            // A wrong workspace is not "already detached".
            _ = await _connection.Workspaces.GetAsync(workspace.ResourceId, cancellationToken).ConfigureAwait(false)
                ?? throw ComputeErrors.NotFound(
                    ComputeErrors.WorkspaceNotFound,
                    $"Workspace '{workspace.Name}' was not found in resource group '{workspace.ResourceGroupName}' of subscription '{workspace.SubscriptionId}'.",
                    "Check -WorkspaceName and -ResourceGroupName (or -WorkspaceResourceId), and the context's subscription (Get-AzMLK8sContext).",
                    workspace.ResourceId);
            _host.WriteVerbose($"Compute '{name}' is not attached to workspace '{workspace.Name}'; nothing to detach.");
            return null;
        }

        if (!ComputeMapper.IsKubernetes(compute))
        {
            throw ComputeErrors.Invalid(
                ComputeErrors.NotKubernetesCompute,
                $"Compute '{name}' of workspace '{workspace.Name}' is of type {compute.Properties.ComputeType}, not Kubernetes; Disconnect-AzMLK8sCompute detaches Kubernetes computes only.",
                "Manage other compute types with the Az.MachineLearningServices module or the Azure ML studio.",
                compute.Id);
        }

        var model = ComputeMapper.ToModel(compute, workspace, name);
        var action = $"Detach Kubernetes compute '{name}' from workspace '{workspace.Name}' (cluster '{model.ClusterResourceId}' and its namespace stay; jobs running on the compute stop)";
        if (!_host.ShouldProcess(model.ResourceId, action))
        {
            return null;
        }

        PipelineInputWork.Starting();

        if (noWait)
        {
            await new ComputeAttachOperations(_connection).BeginDetachAsync(workspace.ResourceId, name, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _connection.Computes.DeleteAsync(workspace.ResourceId, name, ComputeDeleteAction.Detach, cancellationToken).ConfigureAwait(false);
        }

        return model;
    }
}
