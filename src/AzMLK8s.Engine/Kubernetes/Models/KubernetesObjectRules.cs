using k8s.Models;

namespace AzMLK8s.Engine.Kubernetes.Models;

public enum KubernetesWorkloadKind
{
    Deployment,
    DaemonSet,
    StatefulSet,
}

/// <summary>A workload known by its name only (<see cref="KubernetesClient.ListWorkloadNamesAsync"/>).</summary>
public record KubernetesWorkloadName(KubernetesWorkloadKind Kind, string Name, string? Namespace)
{
    public sealed override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}

/// <summary>A Deployment, DaemonSet or StatefulSet (the library's typed objects) reduced to what readiness checks need.</summary>
public sealed record KubernetesWorkload(KubernetesWorkloadKind Kind, string Name, string? Namespace, int DesiredReplicas, int ReadyReplicas)
    : KubernetesWorkloadName(Kind, Name, Namespace)
{
    public bool IsReady => ReadyReplicas >= DesiredReplicas;

    // A DaemonSet wants one pod per node it should run on; spec.replicas of the others defaults to 1 when absent.
    internal static KubernetesWorkload From(V1Deployment d) => new(KubernetesWorkloadKind.Deployment, d.Name(), d.Namespace(), d.Spec?.Replicas ?? 1, d.Status?.ReadyReplicas ?? 0);

    internal static KubernetesWorkload From(V1DaemonSet d) => new(KubernetesWorkloadKind.DaemonSet, d.Name(), d.Namespace(), d.Status?.DesiredNumberScheduled ?? 0, d.Status?.NumberReady ?? 0);

    internal static KubernetesWorkload From(V1StatefulSet s) => new(KubernetesWorkloadKind.StatefulSet, s.Name(), s.Namespace(), s.Spec?.Replicas ?? 1, s.Status?.ReadyReplicas ?? 0);
}

/// <summary>The module's readings of the library's Node and Pod objects.</summary>
public static class KubernetesObjectRules
{
    public static bool IsReady(this V1Node node) => node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>Ready, not cordoned (spec.unschedulable) and without a NoSchedule or NoExecute taint (which repel pods that do not tolerate them).</summary>
    public static bool IsSchedulable(this V1Node node) =>
        node.IsReady() && node.Spec?.Unschedulable != true && !(node.Spec?.Taints ?? []).Any(t => t.Effect is "NoSchedule" or "NoExecute");

    /// <summary>Sum of the containers' restart counts.</summary>
    public static int RestartCount(this V1Pod pod) => pod.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0;

    /// <summary>The first reason a container is waiting, e.g. "CrashLoopBackOff" or "ImagePullBackOff".</summary>
    public static string? WaitingReason(this V1Pod pod) =>
        pod.Status?.ContainerStatuses?.Select(c => c.State?.Waiting?.Reason).FirstOrDefault(r => r is not null);
}
