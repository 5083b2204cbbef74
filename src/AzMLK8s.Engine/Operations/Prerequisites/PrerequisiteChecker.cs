using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Model;
using AzMLK8s.Model.Prerequisites;

namespace AzMLK8s.Engine.Operations.Prerequisites;

/// <summary>Runs every prerequisite check for a cluster: Azure's first, then the cluster's (Skipped with the reason when its API is out of reach).</summary>
public static class PrerequisiteChecker
{
    public static async Task<IReadOnlyList<AzMLK8sPrerequisiteCheck>> RunAsync(ArmConnection connection, PrerequisiteRequest request, CancellationToken cancellationToken)
    {
        KubernetesWarmUp.Start(KubernetesReads.Nodes | KubernetesReads.WorkloadNames);

        // Azure's checks, the cluster's existence and the connection to its API are independent round trips: sent
        // together. The connection is used only once the cluster is known to exist.
        var connecting = ClusterApiAccess.ConnectAsync(connection, request.Cluster, request.Access, cancellationToken);
        IReadOnlyList<AzMLK8sPrerequisiteCheck> azure;
        bool exists;
        try
        {
            var azureChecks = AzurePrerequisiteChecks.RunAsync(connection, request, cancellationToken);
            var cluster = connection.Clusters.GetAsync(request.Cluster.ResourceId, cancellationToken);
            await Task.WhenAll(azureChecks, cluster).ConfigureAwait(false);
            (azure, exists) = (azureChecks.Result, cluster.Result is not null);
        }
        catch
        {
            await DiscardAsync(connecting).ConfigureAwait(false);
            throw;
        }

        var checks = new List<AzMLK8sPrerequisiteCheck>(azure);
        if (!exists)
        {
            await DiscardAsync(connecting).ConfigureAwait(false);
            checks.Add(new AzMLK8sPrerequisiteCheck
            {
                Name = PrerequisiteCheckNames.ClusterExists, Status = PrerequisiteStatus.Fail, Target = request.Cluster.ResourceId,
                Detail = $"Cluster '{request.Cluster.Name}' does not exist in resource group '{request.Cluster.ResourceGroupName}' (or you may not read it).",
            });
            checks.AddRange(ClusterPrerequisiteChecks.Skipped(request, "Skipped: the cluster was not found."));
            return checks;
        }

        checks.Add(new AzMLK8sPrerequisiteCheck
        {
            Name = PrerequisiteCheckNames.ClusterExists, Status = PrerequisiteStatus.Pass, Target = request.Cluster.ResourceId,
            Detail = $"{request.Cluster.Type} cluster '{request.Cluster.Name}' found.",
        });
        using var api = await connecting.ConfigureAwait(false);
        if (api.Client is null)
        {
            var reason = $"Skipped: the cluster's Kubernetes API cannot be used ({api.Unavailable!.ErrorId}: {api.Unavailable.Message}) {api.Unavailable.RecommendedAction}".TrimEnd();
            checks.AddRange(ClusterPrerequisiteChecks.Skipped(request, reason));
            return checks;
        }

        checks.AddRange(await new ClusterPrerequisiteChecks(api.Client, request).RunAsync(cancellationToken).ConfigureAwait(false));
        return checks;
    }

    /// <summary>Waits for a connection whose result is not used and closes it; its failure is not the operation's (the cluster is missing, or a read before failed).</summary>
    private static async Task DiscardAsync(Task<ClusterApiConnection> connecting)
    {
        try
        {
            (await connecting.ConfigureAwait(false)).Dispose();
        }
        catch (Exception e) when (e is ModuleErrorException or OperationCanceledException)
        {
        }
    }
}
