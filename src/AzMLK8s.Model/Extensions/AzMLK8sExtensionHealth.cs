using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Prerequisites;

namespace AzMLK8s.Model.Extensions;

/// <summary>The overall verdict of a health report, mildest first.</summary>
public enum ExtensionHealthStatus
{
    Healthy,

    /// <summary>Nothing failed, but something could not be checked or is still settling.</summary>
    Degraded,

    Unhealthy,
}

/// <summary>One finding of Test-AzMLK8sExtension: what was looked at, its state, and the next step when it is not fine.</summary>
public sealed class AzMLK8sExtensionHealthFinding
{
    /// <summary>Azure, Workload, Pod, HealthCheck or ClusterApi.</summary>
    public required string Area { get; init; }

    /// <summary>What was checked: "Deployment/azureml-fe", a pod name, an error code.</summary>
    public required string Subject { get; init; }

    /// <summary>Pass, Warn, Fail, or Skipped (could not be checked; Detail says why): the statuses prerequisite checks use.</summary>
    public required PrerequisiteStatus Status { get; init; }

    public required string Detail { get; init; }

    /// <summary>The next step when Status is not Pass; null otherwise.</summary>
    public string? Fix { get; init; }

    public override string ToString() => $"{Status} {Area} {Subject}: {Detail}";
}

/// <summary>
/// What Test-AzMLK8sExtension reports: the extension's Azure state and messages, and (when the cluster's API is
/// reachable) the expected workloads, failing pods and the chart's health-check codes turned into cause and fix.
/// Binds like <see cref="AzMLK8sExtension"/>: by value to the cmdlets that act on an extension, by ClusterResourceId to
/// those that take a cluster.
/// </summary>
public sealed class AzMLK8sExtensionHealth : IAzMLK8sExtensionReference
{
    public required string Name { get; init; }

    public required string ResourceId { get; init; }

    public required string ClusterResourceId { get; init; }

    public required string ClusterName { get; init; }

    public required AzMLK8sClusterType ClusterType { get; init; }

    public required ExtensionHealthStatus Status { get; init; }

    public string? ProvisioningState { get; init; }

    /// <summary>Whether the in-cluster checks ran; when false, <see cref="ClusterApiDetail"/> says why not.</summary>
    public bool ClusterChecked { get; init; }

    public string? ClusterApiDetail { get; init; }

    /// <summary>Expected workloads present and ready, of those expected for the enabled scenarios ("18/20").</summary>
    public string? WorkloadsReady { get; init; }

    public IReadOnlyList<AzMLK8sExtensionHealthFinding> Findings { get; init; } = Array.Empty<AzMLK8sExtensionHealthFinding>();

    /// <summary>Number of findings that are Fail.</summary>
    public int FailureCount => Findings.Count(f => f.Status == PrerequisiteStatus.Fail);

    /// <summary>The first failing finding's detail, for the table view.</summary>
    public string? Summary => Findings.FirstOrDefault(f => f.Status == PrerequisiteStatus.Fail)?.ToString()
        ?? Findings.FirstOrDefault(f => f.Status is PrerequisiteStatus.Warn or PrerequisiteStatus.Skipped)?.ToString();
}
