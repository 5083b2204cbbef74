using AzMLK8s.Engine.Kubernetes.Models;

namespace AzMLK8s.Engine.Operations.Extensions;

/// <summary>
/// The workloads a healthy AzureML extension runs in its release namespace, by scenario: the seed's table of
/// resources created during deployment ({EXTENSION-NAME} is the extension's name).
/// </summary>
public static class ExpectedWorkloads
{
    private static readonly (KubernetesWorkloadKind Kind, string Name, bool Training, bool Inference)[] Table =
    {
        (KubernetesWorkloadKind.Deployment, "aml-operator", true, false),
        (KubernetesWorkloadKind.Deployment, "{EXTENSION-NAME}-kube-state-metrics", true, true),
        (KubernetesWorkloadKind.Deployment, "{EXTENSION-NAME}-prometheus-operator", true, true),
        (KubernetesWorkloadKind.Deployment, "amlarc-identity-controller", false, true),
        (KubernetesWorkloadKind.Deployment, "amlarc-identity-proxy", false, true),
        (KubernetesWorkloadKind.Deployment, "azureml-fe", false, true),
        (KubernetesWorkloadKind.Deployment, "inference-operator-controller-manager", false, true),
        (KubernetesWorkloadKind.Deployment, "metrics-controller-manager", true, true),
        (KubernetesWorkloadKind.Deployment, "relayserver", true, true),
        (KubernetesWorkloadKind.Deployment, "cluster-status-reporter", true, true),
        (KubernetesWorkloadKind.Deployment, "nfd-master", true, false),
        (KubernetesWorkloadKind.Deployment, "gateway", true, true),
        (KubernetesWorkloadKind.Deployment, "csi-blob-controller", true, false),
        (KubernetesWorkloadKind.DaemonSet, "csi-blob-node", true, false),
        (KubernetesWorkloadKind.DaemonSet, "fluent-bit", true, true),
        (KubernetesWorkloadKind.DaemonSet, "k8s-host-device-plugin-daemonset", true, true),
        (KubernetesWorkloadKind.DaemonSet, "nfd-worker", true, false),
        (KubernetesWorkloadKind.StatefulSet, "prometheus-prom-prometheus", true, true),
        (KubernetesWorkloadKind.StatefulSet, "frameworkcontroller", true, false),
        (KubernetesWorkloadKind.StatefulSet, "alertmanager", true, false),
    };

    /// <summary>(kind, name) of the workloads expected for the enabled scenarios.</summary>
    public static IReadOnlyList<(KubernetesWorkloadKind Kind, string Name)> For(bool training, bool inference, string extensionName) =>
        Table.Where(w => (training && w.Training) || (inference && w.Inference))
            .Select(w => (w.Kind, w.Name.Replace("{EXTENSION-NAME}", extensionName, StringComparison.Ordinal)))
            .ToArray();
}
