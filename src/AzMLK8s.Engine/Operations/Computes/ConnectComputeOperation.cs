using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Resources;
using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Model;
using AzMLK8s.Model.Computes;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Engine.Operations.Computes;

/// <summary>
/// Connect-AzMLK8sCompute: attach a cluster to a workspace as a Kubernetes compute. Create-only: the service
/// ignores changes to an existing Kubernetes compute, so a matching compute is returned as it is and a different one
/// is replaced (detach, attach) only with -Force or the user's consent.
/// </summary>
public sealed class ConnectComputeOperation
{
    private readonly ArmConnection _connection;
    private readonly ICmdletHost _host;

    public ConnectComputeOperation(ArmConnection connection, ICmdletHost host)
    {
        _connection = connection;
        _host = host;
    }

    /// <summary>The compute, or null when -WhatIf or the user declined.</summary>
    public async Task<AzMLK8sCompute?> ConnectAsync(ComputeAttachInput input, CancellationToken cancellationToken)
    {
        var definition = ComputeDefinition.From(input);
        var workspace = input.Workspace;
        var workspaceResource = await _connection.Workspaces.GetAsync(workspace.ResourceId, cancellationToken).ConfigureAwait(false)
            ?? throw ComputeErrors.NotFound(
                ComputeErrors.WorkspaceNotFound,
                $"The Azure ML workspace '{workspace.Name}' does not exist in resource group '{workspace.ResourceGroupName}' (subscription {workspace.SubscriptionId}).",
                "Check the workspace name and resource group, or the subscription chosen with Set-AzMLK8sContext.",
                workspace.ResourceId);

        var existing = await _connection.Computes.GetAsync(workspace.ResourceId, input.Name, cancellationToken).ConfigureAwait(false);
        var differences = existing is null ? Array.Empty<string>() : ChangesNeeded(existing, definition, input);
        if (existing is not null && differences.Count == 0)
        {
            _host.WriteVerbose($"Compute '{input.Name}' is already attached to '{workspace.Name}' as asked; nothing was changed.");
            if (input.NoWait || ArmOperationPoller.IsTerminal(existing.Properties.ProvisioningState))
            {
                return ComputeMapper.ToModel(existing, workspace, input.Name);
            }

            // An attach started earlier (-NoWait) is still running: nothing to ask, only to wait.
            PipelineInputWork.Starting();
            return await WaitForAttachAsync(input, () => _connection.Computes.WaitForProvisioningAsync(workspace.ResourceId, input.Name, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        var preflight = await AttachPreflight.RunAsync(_connection, _host, input, definition, workspaceResource, cancellationToken).ConfigureAwait(false);
        var target = ComputeOperations.ComputeId(workspace.ResourceId, input.Name);
        var replace = existing is not null;
        var action = replace
            ? $"Detach compute '{input.Name}' and attach cluster '{definition.Cluster.Name}' again ({string.Join("; ", differences)}); jobs running on it are stopped"
            : $"Attach cluster '{definition.Cluster.Name}' to workspace '{workspace.Name}' as Kubernetes compute '{input.Name}' in namespace '{definition.Namespace}' with identity {definition.IdentityType}"
                + (preflight.CreateNamespace ? $", creating the namespace" : string.Empty);
        if (!_host.ShouldProcess(target, action))
        {
            return null;
        }

        if (replace && !input.Force && !_host.ShouldContinue(
                $"Compute '{input.Name}' exists with another definition ({string.Join("; ", differences)}). Azure ML does not update a Kubernetes compute, so it has to be detached and attached again, which stops its running jobs. Replace it?",
                "Replace the compute"))
        {
            throw DefinitionChanged(input, differences);
        }

        PipelineInputWork.Starting();

        if (preflight.CreateNamespace)
        {
            await AttachPreflight.CreateNamespaceAsync(_connection, _host, input, definition, cancellationToken).ConfigureAwait(false);
        }

        if (replace)
        {
            await _connection.Computes.DeleteAsync(workspace.ResourceId, input.Name, ComputeDeleteAction.Detach, cancellationToken).ConfigureAwait(false);
        }

        var body = definition.ToWire(workspaceResource.Location);
        if (input.NoWait)
        {
            var started = await new ComputeAttachOperations(_connection).BeginAttachAsync(workspace.ResourceId, input.Name, body, cancellationToken).ConfigureAwait(false);
            return ComputeMapper.ToModel(started, workspace, input.Name);
        }

        return await WaitForAttachAsync(input, () => _connection.Computes.CreateOrUpdateAsync(workspace.ResourceId, input.Name, body, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs an attach wait; a Failed end becomes an error with the service's provisioning errors, cause and fix.</summary>
    private async Task<AzMLK8sCompute> WaitForAttachAsync(ComputeAttachInput input, Func<Task<ComputeResource>> wait, CancellationToken cancellationToken)
    {
        var workspace = input.Workspace;
        try
        {
            return ComputeMapper.ToModel(await wait().ConfigureAwait(false), workspace, input.Name);
        }
        catch (ModuleErrorException ex) when (ex.Error.ErrorId.StartsWith("Arm.", StringComparison.Ordinal) && ex.Error.ErrorId != "Arm.OperationTimeout")
        {
            var failed = await _connection.Computes.GetAsync(workspace.ResourceId, input.Name, cancellationToken).ConfigureAwait(false);
            if (failed is null || !string.Equals(failed.Properties.ProvisioningState, "Failed", StringComparison.OrdinalIgnoreCase))
            {
                throw;
            }

            throw new ModuleErrorException(ProvisioningFailure.For(ComputeMapper.ToModel(failed, workspace, input.Name), input, ex));
        }
    }

    /// <summary>Why the existing compute does not match: its definition, or a failed provisioning.</summary>
    private static IReadOnlyList<string> ChangesNeeded(ComputeResource existing, ComputeDefinition definition, ComputeAttachInput input)
    {
        if (!ComputeMapper.IsKubernetes(existing))
        {
            throw ComputeErrors.Invalid(
                ComputeErrors.NotKubernetesCompute,
                $"Workspace '{input.Workspace.Name}' already has a compute named '{input.Name}' of type {existing.Properties.ComputeType}.",
                "Choose another -Name for the Kubernetes compute.",
                existing.Id);
        }

        var differences = definition.DifferencesFrom(existing).ToList();
        if (string.Equals(existing.Properties.ProvisioningState, "Failed", StringComparison.OrdinalIgnoreCase))
        {
            differences.Add("its last provisioning Failed");
        }

        return differences;
    }

    private static ModuleErrorException DefinitionChanged(ComputeAttachInput input, IReadOnlyList<string> differences) =>
        new(new ModuleError(
            ComputeErrors.DefinitionChanged,
            ErrorKind.ResourceExists,
            $"Compute '{input.Name}' already exists in workspace '{input.Workspace.Name}' with another definition ({string.Join("; ", differences)}). Azure ML ignores changes to a Kubernetes compute, so nothing was changed.")
        {
            RecommendedAction = "Run the command again with -Force to detach the compute and attach it again (its running jobs stop), or choose another -Name.",
            TargetObject = ComputeOperations.ComputeId(input.Workspace.ResourceId, input.Name),
        });
}
