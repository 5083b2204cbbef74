using System.Text.Json.Nodes;

namespace AzMLK8s.Emulator.State;

/// <summary>
/// What the AzureML extension's Helm chart does on a cluster, as far as the emulator plays it: the health check that
/// fails a release, and the workloads a healthy release leaves in its namespace (the seed's table of resources
/// created during deployment, by scenario; {EXTENSION-NAME} replaced with the extension's name).
/// </summary>
public static class AzureMLChart
{
    public const string ExtensionType = "Microsoft.AzureML.Kubernetes";

    public const string HealthCheckConfigMap = "arcml-healthcheck";

    private static readonly (string Kind, string Name, bool Training, bool Inference)[] Workloads =
    {
        ("Deployment", "aml-operator", true, false),
        ("Deployment", "{EXTENSION-NAME}-kube-state-metrics", true, true),
        ("Deployment", "{EXTENSION-NAME}-prometheus-operator", true, true),
        ("Deployment", "amlarc-identity-controller", false, true),
        ("Deployment", "amlarc-identity-proxy", false, true),
        ("Deployment", "azureml-fe", false, true),
        ("Deployment", "inference-operator-controller-manager", false, true),
        ("Deployment", "metrics-controller-manager", true, true),
        ("Deployment", "relayserver", true, true),
        ("Deployment", "cluster-status-reporter", true, true),
        ("Deployment", "nfd-master", true, false),
        ("Deployment", "gateway", true, true),
        ("Deployment", "csi-blob-controller", true, false),
        ("DaemonSet", "csi-blob-node", true, false),
        ("DaemonSet", "fluent-bit", true, true),
        ("DaemonSet", "k8s-host-device-plugin-daemonset", true, true),
        ("DaemonSet", "nfd-worker", true, false),
        ("StatefulSet", "prometheus-prom-prometheus", true, true),
        ("StatefulSet", "frameworkcontroller", true, false),
        ("StatefulSet", "alertmanager", true, false),
    };

    /// <summary>(kind, name) of the workloads for the enabled scenarios.</summary>
    public static IReadOnlyList<(string Kind, string Name)> WorkloadsFor(bool training, bool inference, string extensionName) =>
        Workloads
            .Where(w => (training && w.Training) || (inference && w.Inference))
            .Select(w => (w.Kind, w.Name.Replace("{EXTENSION-NAME}", extensionName, StringComparison.Ordinal)))
            .ToArray();

    /// <summary>Why the chart's health check would fail with these settings; empty when it passes.</summary>
    public static IReadOnlyList<(string Code, string Message)> HealthCheckFailures(EmulatedExtension extension)
    {
        var failures = new List<(string, string)>();
        var training = extension.SettingIsTrue("enableTraining");
        var inference = extension.SettingIsTrue("enableInference");
        if (!training && !inference)
        {
            failures.Add(("NoScenarioEnabled", "Neither enableTraining nor enableInference is true; the release installs nothing."));
        }

        if (inference)
        {
            var hasSsl = extension.ConfigurationSettings.ContainsKey("sslSecret")
                || (extension.ConfigurationProtectedSettings.ContainsKey("scoringFe.sslCert") && extension.ConfigurationProtectedSettings.ContainsKey("scoringFe.sslKey"));
            if (!hasSsl && !extension.SettingIsTrue("allowInsecureConnections"))
            {
                failures.Add(("InferenceSslMissing", "azureml-fe cannot start: inference needs an SSL certificate (sslSecret, or scoringFe.sslCert and scoringFe.sslKey) or allowInsecureConnections=true."));
            }

            var haDisabled = IsFalse(extension, "inferenceRouterHA") || IsFalse(extension, "inferenceLoadBalancerHA");
            var nodes = extension.Cluster.Kubernetes.NodeCount;
            if (!haDisabled && nodes < 3)
            {
                failures.Add(("InferenceRouterUnschedulable", $"The highly available inference router needs 3 nodes; the cluster has {nodes}. Set inferenceRouterHA=false for development clusters."));
            }
        }

        return failures;
    }

    /// <summary>Installs the workloads, their Running pods and the health-check ConfigMap.</summary>
    public static void Install(EmulatedExtension extension)
    {
        var cluster = extension.Cluster.Kubernetes;
        var ns = extension.ReleaseNamespace;
        cluster.EnsureNamespace(ns);
        foreach (var (kind, name) in WorkloadsFor(extension.SettingIsTrue("enableTraining"), extension.SettingIsTrue("enableInference"), extension.Name))
        {
            var replicas = kind == "DaemonSet" ? cluster.NodeCount : 1;
            var labels = new JsonObject { ["app"] = name, ["app.kubernetes.io/managed-by"] = "Helm", ["release"] = extension.Name };
            cluster.Upsert("apps/v1", kind, ns, name, new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                ["spec"] = new JsonObject { ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } } },
                ["status"] = kind == "DaemonSet"
                    ? new JsonObject { ["desiredNumberScheduled"] = replicas, ["numberReady"] = replicas }
                    : new JsonObject { ["replicas"] = replicas, ["readyReplicas"] = replicas },
            });
            for (var i = 0; i < replicas; i++)
            {
                cluster.Upsert("v1", "Pod", ns, $"{name}-{i}", new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                    ["spec"] = new JsonObject { ["nodeName"] = $"node-{i}" },
                    ["status"] = new JsonObject { ["phase"] = "Running" },
                });
            }
        }

        cluster.Upsert("v1", "ConfigMap", ns, HealthCheckConfigMap, new JsonObject
        {
            ["data"] = new JsonObject { ["status"] = "Healthy", ["extension"] = extension.Name },
        });
    }

    /// <summary>Removes what <see cref="Install"/> put in the release namespace.</summary>
    public static void Uninstall(EmulatedExtension extension)
    {
        var cluster = extension.Cluster.Kubernetes;
        var ns = extension.ReleaseNamespace;
        foreach (var kind in new[] { "Deployment", "DaemonSet", "StatefulSet" })
        {
            foreach (var item in cluster.List("apps/v1", kind, ns).Where(o => o["metadata"]?["labels"]?["release"]?.GetValue<string>() == extension.Name))
            {
                cluster.Delete("apps/v1", kind, ns, item["metadata"]!["name"]!.GetValue<string>());
            }
        }

        foreach (var pod in cluster.List("v1", "Pod", ns).Where(o => o["metadata"]?["labels"]?["release"]?.GetValue<string>() == extension.Name))
        {
            cluster.Delete("v1", "Pod", ns, pod["metadata"]!["name"]!.GetValue<string>());
        }

        cluster.Delete("v1", "ConfigMap", ns, HealthCheckConfigMap);
    }

    private static bool IsFalse(EmulatedExtension extension, string key) =>
        extension.ConfigurationSettings.TryGetValue(key, out var value) && string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);
}
