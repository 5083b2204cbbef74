using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Engine.Operations.Computes;

/// <summary>What the read-only checks before an attach found: whether the namespace still has to be created.</summary>
internal sealed record AttachPreflightResult(bool CreateNamespace);

/// <summary>
/// The checks that run before anything is written, each failing fast with the command that fixes it: the cluster
/// exists and runs a Succeeded AzureML extension, the namespace exists, and a user-assigned workspace identity
/// has its roles. Attaching the same cluster many times (to this or other workspaces) is allowed and not checked.
/// </summary>
internal static class AttachPreflight
{
    private const string AzureMLExtensionType = "Microsoft.AzureML.Kubernetes";

    public static async Task<AttachPreflightResult> RunAsync(
        ArmConnection connection,
        ICmdletHost host,
        ComputeAttachInput input,
        ComputeDefinition definition,
        WorkspaceResource workspace,
        CancellationToken cancellationToken)
    {
        var cluster = definition.Cluster;
        var clusterResource = await connection.Clusters.GetAsync(cluster.ResourceId, cancellationToken).ConfigureAwait(false)
            ?? throw ComputeErrors.NotFound(
                ComputeErrors.ClusterNotFound,
                $"The cluster '{cluster.ResourceId}' does not exist (or you may not read it).",
                "Check the id (subscription, resource group, name and type), and that your account has at least Reader on the cluster.",
                cluster.ResourceId);

        var extension = await FindAzureMLExtensionAsync(connection, host, cluster, cancellationToken).ConfigureAwait(false);
        var createNamespace = await CheckNamespaceAsync(connection, host, input, definition, cancellationToken).ConfigureAwait(false);
        await WorkspaceIdentityRoleCheck.CheckAsync(connection, host, input.Workspace, workspace, cluster, clusterResource, extension, cancellationToken).ConfigureAwait(false);
        return new AttachPreflightResult(createNamespace);
    }

    private static async Task<ExtensionResource> FindAzureMLExtensionAsync(ArmConnection connection, ICmdletHost host, ClusterReference cluster, CancellationToken cancellationToken)
    {
        var extensions = await connection.Extensions.ListAsync(cluster.ResourceId, cancellationToken).ConfigureAwait(false);
        var extension = extensions.FirstOrDefault(e => string.Equals(e.Properties.ExtensionType, AzureMLExtensionType, StringComparison.OrdinalIgnoreCase))
            ?? throw ComputeErrors.NotReady(
                ComputeErrors.ExtensionNotFound,
                $"The cluster '{cluster.Name}' has no Azure ML extension ({AzureMLExtensionType}); a compute attached now would fail with 'extension not installed'.",
                $"Install it first: New-AzMLK8sExtension -ClusterResourceId '{cluster.ResourceId}' (see Get-Help New-AzMLK8sExtension), then attach again.",
                cluster.ResourceId);

        var state = extension.Properties.ProvisioningState;
        if (!string.Equals(state, "Succeeded", StringComparison.OrdinalIgnoreCase))
        {
            var failed = string.Equals(state, "Failed", StringComparison.OrdinalIgnoreCase);
            throw ComputeErrors.NotReady(
                ComputeErrors.ExtensionNotReady,
                $"The Azure ML extension '{extension.Name}' on '{cluster.Name}' is {state ?? "in an unknown state"}, not Succeeded"
                    + (failed && extension.Properties.ErrorInfo?.Message is { } why ? $": {why}" : "."),
                failed
                    ? $"Fix the extension (Get-AzMLK8sExtension -ClusterResourceId '{cluster.ResourceId}' shows its error), then attach again."
                    : $"Wait until it has Succeeded (Get-AzMLK8sExtension -ClusterResourceId '{cluster.ResourceId}'), then attach again.",
                extension.Id);
        }

        var settings = extension.Properties.ConfigurationSettings ?? new Dictionary<string, string>();
        var training = settings.FirstOrDefault(s => string.Equals(s.Key, "enableTraining", StringComparison.OrdinalIgnoreCase)).Value;
        if (!string.Equals(training, "true", StringComparison.OrdinalIgnoreCase))
        {
            host.WriteWarning($"The Azure ML extension on '{cluster.Name}' has training turned off (enableTraining): training jobs sent to this compute will fail; it can serve online endpoints only.");
        }

        return extension;
    }

    /// <summary>True when the namespace is missing and -CreateNamespace asks for it; an unreachable API only warns.</summary>
    private static async Task<bool> CheckNamespaceAsync(ArmConnection connection, ICmdletHost host, ComputeAttachInput input, ComputeDefinition definition, CancellationToken cancellationToken)
    {
        using var api = await ClusterApiAccess.ConnectAsync(connection, definition.Cluster, input.KubernetesAccess, cancellationToken).ConfigureAwait(false);
        if (api.Client is null)
        {
            host.WriteWarning($"Namespace '{definition.Namespace}' was not checked: the Kubernetes API of '{definition.Cluster.Name}' cannot be reached ({api.Unavailable?.Message}). Jobs stay queued if it does not exist; create it with: kubectl create namespace {definition.Namespace}");
            return false;
        }

        if (await api.Client.NamespaceExistsAsync(definition.Namespace, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (input.CreateNamespace)
        {
            return true;
        }

        throw ComputeErrors.NotFound(
            ComputeErrors.NamespaceNotFound,
            $"Namespace '{definition.Namespace}' does not exist in cluster '{definition.Cluster.Name}'. Azure ML does not create it, and jobs sent to the compute would stay queued.",
            $"Run the command again with -CreateNamespace, or create it first: kubectl create namespace {definition.Namespace}",
            definition.Namespace);
    }

    /// <summary>Creates the namespace after the user agreed to the attach.</summary>
    public static async Task CreateNamespaceAsync(ArmConnection connection, ICmdletHost host, ComputeAttachInput input, ComputeDefinition definition, CancellationToken cancellationToken)
    {
        using var api = await ClusterApiAccess.ConnectAsync(connection, definition.Cluster, input.KubernetesAccess, cancellationToken).ConfigureAwait(false);
        if (api.Client is null)
        {
            throw new ModuleErrorException(api.Unavailable!);
        }

        if (await api.Client.EnsureNamespaceAsync(definition.Namespace, null, cancellationToken).ConfigureAwait(false))
        {
            host.WriteVerbose($"Created namespace '{definition.Namespace}' in cluster '{definition.Cluster.Name}'.");
        }
    }
}
