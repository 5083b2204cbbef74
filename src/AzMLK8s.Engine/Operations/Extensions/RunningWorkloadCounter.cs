using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Common;

namespace AzMLK8s.Engine.Operations.Extensions;

/// <summary>
/// Counts the running Azure ML work a disruptive update would hit: Running pods of training jobs (FrameworkController
/// and Volcano jobs, which the extension's job scheduler creates) and of inference deployments (labelled
/// isazuremlapp=true by the inference operator), across all namespaces.
/// </summary>
public static class RunningWorkloadCounter
{
    public const string TrainingFrameworkSelector = "FC_FRAMEWORK_NAME";
    public const string TrainingVolcanoSelector = "volcano.sh/job-name";
    public const string InferenceSelector = "isazuremlapp=true";

    public static async Task<WorkloadImpact> CountAsync(ArmConnection connection, ClusterReference cluster, KubernetesAccessOptions? access, CancellationToken cancellationToken)
    {
        using var api = await ClusterApiAccess.ConnectAsync(connection, cluster, access, cancellationToken).ConfigureAwait(false);
        if (api.Client is not { } client)
        {
            return new WorkloadImpact(null, null, $"the cluster's Kubernetes API could not be used ({api.Unavailable!.ErrorId}: {api.Unavailable.Message})");
        }

        var training = 0;
        foreach (var selector in new[] { TrainingFrameworkSelector, TrainingVolcanoSelector })
        {
            training += (await client.ListPodsAsync(null, selector, cancellationToken).ConfigureAwait(false)).Count(p => p.Status?.Phase == "Running");
        }

        var inference = (await client.ListPodsAsync(null, InferenceSelector, cancellationToken).ConfigureAwait(false)).Count(p => p.Status?.Phase == "Running");
        return new WorkloadImpact(training, inference, null);
    }
}
