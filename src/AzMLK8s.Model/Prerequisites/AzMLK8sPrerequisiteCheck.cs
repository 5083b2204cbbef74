namespace AzMLK8s.Model.Prerequisites;

public enum PrerequisiteStatus
{
    Pass,
    Warn,
    Fail,

    /// <summary>Could not be checked (for example the cluster's API is unreachable); Detail says why.</summary>
    Skipped,
}

/// <summary>One prerequisite of running AzureML on a cluster, checked: its status, why, and the command that fixes it.</summary>
public sealed class AzMLK8sPrerequisiteCheck
{
    /// <summary>A stable name, e.g. "Provider.Microsoft.KubernetesConfiguration" or "Cluster.SchedulableNodes".</summary>
    public required string Name { get; init; }

    public required PrerequisiteStatus Status { get; init; }

    /// <summary>What the check looked at: a subscription, cluster, workspace or namespace.</summary>
    public required string Target { get; init; }

    public required string Detail { get; init; }

    /// <summary>The exact command that fixes a Warn or Fail; null when there is nothing to do.</summary>
    public string? Fix { get; init; }
}
