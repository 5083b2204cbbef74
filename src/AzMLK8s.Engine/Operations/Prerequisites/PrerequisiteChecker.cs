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
        KubernetesWarmUp.Start();

        // Azure's checks, the cluster's existence and the connection to its API are independent round trips: sent
        // together, but the connection only once the cluster is found, so that no credential is ever asked for a
        // cluster that does not exist (listing one is an audited action).
        var azureChecks = AzurePrerequisiteChecks.RunAsync(connection, request, cancellationToken);
        Task<ClusterApiConnection>? connecting = null;
        var checks = new List<AzMLK8sPrerequisiteCheck>();
        try
        {
            var exists = await connection.Clusters.GetAsync(request.Cluster.ResourceId, cancellationToken).ConfigureAwait(false) is not null;
            connecting = exists ? ClusterApiAccess.ConnectAsync(connection, request.Cluster, request.Access, cancellationToken) : null;
            checks.AddRange(await azureChecks.ConfigureAwait(false));
        }
        catch
        {
            await DiscardAsync(azureChecks, connecting).ConfigureAwait(false);
            throw;
        }

        if (connecting is null)
        {
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

    /// <summary>Waits for the reads sent beside one that failed, and closes the connection; their own failures are not the operation's.</summary>
    private static async Task DiscardAsync(Task azureChecks, Task<ClusterApiConnection>? connecting)
    {
        foreach (var task in new[] { azureChecks, connecting }.OfType<Task>())
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (Exception e) when (e is ModuleErrorException or OperationCanceledException)
            {
            }
        }

        if (connecting is { IsCompletedSuccessfully: true })
        {
            connecting.Result.Dispose();
        }
    }
}
