using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Settings;

namespace AzMLK8s.Engine.Operations.Extensions;

/// <summary>What a create will do once confirmed.</summary>
public enum CreateOutcome
{
    /// <summary>No extension of that name: PUT it.</summary>
    Create,

    /// <summary>The extension exists, Succeeded, with the same settings: nothing to send.</summary>
    AlreadyInstalled,

    /// <summary>The extension exists with the same settings but Failed: PUT it again.</summary>
    RetryFailed,

    /// <summary>The extension exists with the same settings and is being created or updated (an earlier -NoWait): wait for it.</summary>
    InProgress,
}

/// <summary>A create that passed every rule and read the cluster: ready for ShouldProcess, then <see cref="ExtensionLifecycle.CreateAsync"/>.</summary>
public sealed record PreparedCreate(ClusterReference Cluster, string Name, ClusterFacts Facts, ExtensionSettingsPlan Plan, CreateOutcome Outcome)
{
    internal ExtensionCreateRequest Request { get; init; } = new();

    internal ExtensionSettingsOptions Options { get; init; } = ExtensionSettingsOptions.Default;

    internal ExtensionResource? Existing { get; init; }

    public string ExtensionId => Azure.Resources.ExtensionOperations.ExtensionId(Cluster.ResourceId, Name);

    /// <summary>"training", "inference" or "training and inference".</summary>
    public string Scenarios
    {
        get
        {
            var training = SettingValues.IsTrue(Plan.ConfigurationSettings.GetValueOrDefault(SettingsCatalog.EnableTraining));
            var inference = SettingValues.IsTrue(Plan.ConfigurationSettings.GetValueOrDefault(SettingsCatalog.EnableInference));
            return training && inference ? "training and inference" : training ? "training" : "inference";
        }
    }
}

/// <summary>An update that passed every rule against the installed extension: its diff, disruptions and PATCH.</summary>
public sealed record PreparedUpdate(ClusterReference Cluster, string Name, ExtensionSettingsPlan Plan)
{
    internal ExtensionResource Current { get; init; } = new();

    public string ExtensionId => Azure.Resources.ExtensionOperations.ExtensionId(Cluster.ResourceId, Name);
}

/// <summary>Running work a disruptive update would hit, counted in the cluster; or why it could not be counted.</summary>
public sealed record WorkloadImpact(int? TrainingJobs, int? InferenceDeployments, string? NotCountedReason)
{
    public bool Counted => NotCountedReason is null;

    public override string ToString() => Counted
        ? $"{TrainingJobs} running training job pod(s) and {InferenceDeployments} inference deployment pod(s) on the cluster would be affected."
        : $"Running training jobs and inference deployments could not be counted: {NotCountedReason}";
}
