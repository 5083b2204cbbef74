using System.Globalization;
using System.Text.Json.Nodes;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Emulator.Kubernetes;

/// <summary>
/// Makes a cluster's Kubernetes side look like a fresh cluster of its distribution: node names and labels, the
/// system namespaces and kube-system workloads, the Arc agents on connected clusters, SCCs on OpenShift.
/// </summary>
public static class KubernetesClusterSeed
{
    public static void Apply(EmulatedCluster cluster)
    {
        var api = cluster.Kubernetes;
        var nodeCount = api.NodeCount;
        api.RemoveNodes();
        foreach (var ns in new[] { "kube-public", "kube-node-lease" })
        {
            api.EnsureNamespace(ns);
        }

        switch (cluster.Distribution.ToLowerInvariant())
        {
            case "openshift":
                SeedOpenShift(cluster, nodeCount);
                break;
            case "k3s":
                SeedK3s(cluster, nodeCount);
                break;
            default:
                SeedAks(cluster, nodeCount);
                break;
        }

        if (cluster.Kind == ClusterKind.Connected)
        {
            SeedArcAgents(api);
        }
    }

    private static void SeedAks(EmulatedCluster cluster, int nodeCount)
    {
        var api = cluster.Kubernetes;
        const string pool = "nodepool1";
        for (var i = 0; i < nodeCount; i++)
        {
            var name = $"aks-{pool}-12345678-vmss{i.ToString("x6", CultureInfo.InvariantCulture)}";
            api.AddNode(name, new Dictionary<string, string>
            {
                ["node.kubernetes.io/instance-type"] = "Standard_D4s_v3",
                ["beta.kubernetes.io/instance-type"] = "Standard_D4s_v3",
                ["topology.kubernetes.io/region"] = cluster.Location,
                ["topology.kubernetes.io/zone"] = "0",
                ["agentpool"] = pool,
                ["kubernetes.azure.com/agentpool"] = pool,
                ["kubernetes.azure.com/mode"] = "system",
                ["kubernetes.azure.com/role"] = "agent",
                ["kubernetes.azure.com/cluster"] = $"MC_{cluster.ResourceGroup}_{cluster.Name}_{cluster.Location}",
                ["kubernetes.azure.com/os-sku"] = "Ubuntu",
            }, cpu: "4", memoryKi: "16375244Ki");
        }

        api.AddDeployment("kube-system", "coredns", 2, new Dictionary<string, string> { ["k8s-app"] = "kube-dns" });
        api.AddDeployment("kube-system", "coredns-autoscaler", 1);
        api.AddDeployment("kube-system", "konnectivity-agent", 2);
        api.AddDeployment("kube-system", "metrics-server", 2, new Dictionary<string, string> { ["k8s-app"] = "metrics-server" });
        foreach (var daemonSet in new[] { "kube-proxy", "azure-ip-masq-agent", "cloud-node-manager", "csi-azuredisk-node", "csi-azurefile-node" })
        {
            api.AddDaemonSet("kube-system", daemonSet, new Dictionary<string, string> { ["k8s-app"] = daemonSet });
        }
    }

    private static void SeedK3s(EmulatedCluster cluster, int nodeCount)
    {
        var api = cluster.Kubernetes;
        for (var i = 0; i < nodeCount; i++)
        {
            var labels = new Dictionary<string, string>
            {
                ["node.kubernetes.io/instance-type"] = "k3s",
                ["beta.kubernetes.io/instance-type"] = "k3s",
                ["k3s.io/hostname"] = $"{cluster.Name}-node-{i}",
            };
            if (i == 0)
            {
                labels["node-role.kubernetes.io/control-plane"] = "true";
                labels["node-role.kubernetes.io/master"] = "true";
            }

            api.AddNode($"{cluster.Name}-node-{i}", labels, cpu: "8", memoryKi: "32780912Ki");
        }

        api.AddDeployment("kube-system", "coredns", 1, new Dictionary<string, string> { ["k8s-app"] = "kube-dns" });
        api.AddDeployment("kube-system", "local-path-provisioner", 1);
        api.AddDeployment("kube-system", "metrics-server", 1, new Dictionary<string, string> { ["k8s-app"] = "metrics-server" });
        api.AddDeployment("kube-system", "traefik", 1, new Dictionary<string, string> { ["app.kubernetes.io/name"] = "traefik" });
        api.AddDaemonSet("kube-system", "svclb-traefik");
    }

    private static void SeedOpenShift(EmulatedCluster cluster, int nodeCount)
    {
        var api = cluster.Kubernetes;
        // A compact cluster: every node is control plane and worker, so workloads can be scheduled on all of them.
        for (var i = 0; i < nodeCount; i++)
        {
            api.AddNode($"{cluster.Name}-master-{i}", new Dictionary<string, string>
            {
                ["node.kubernetes.io/instance-type"] = "m5.2xlarge",
                ["beta.kubernetes.io/instance-type"] = "m5.2xlarge",
                ["node-role.kubernetes.io/master"] = string.Empty,
                ["node-role.kubernetes.io/control-plane"] = string.Empty,
                ["node-role.kubernetes.io/worker"] = string.Empty,
                ["node.openshift.io/os_id"] = "rhcos",
            }, cpu: "8", memoryKi: "32533400Ki");
        }

        foreach (var ns in new[] { "openshift", "openshift-dns", "openshift-ingress", "openshift-monitoring", "openshift-infra" })
        {
            api.EnsureNamespace(ns);
        }

        api.Platform = "linux/amd64";
        api.AddDaemonSet("openshift-dns", "dns-default", new Dictionary<string, string> { ["dns.operator.openshift.io/daemonset-dns"] = "default" });
        api.AddDeployment("openshift-ingress", "router-default", 2, new Dictionary<string, string> { ["ingresscontroller.operator.openshift.io/deployment-ingresscontroller"] = "default" });
        api.AddStatefulSet("openshift-monitoring", "prometheus-k8s", 2, new Dictionary<string, string> { ["app.kubernetes.io/name"] = "prometheus" });

        api.RegisterResourceType(EmulatedResourceType.SecurityContextConstraints);
        foreach (var scc in OpenShiftSecurityContextConstraints())
        {
            api.Upsert("security.openshift.io/v1", "SecurityContextConstraints", string.Empty, scc["metadata"]!["name"]!.GetValue<string>(), scc);
        }
    }

    // The Arc agents 'az connectedk8s connect' installs.
    private static void SeedArcAgents(KubernetesCluster api)
    {
        foreach (var deployment in new[]
        {
            "cluster-metadata-operator", "clusterconnect-agent", "clusteridentityoperator", "config-agent", "controller-manager",
            "extension-events-collector", "extension-manager", "flux-logs-agent", "kube-aad-proxy", "metrics-agent", "resource-sync-agent",
        })
        {
            api.AddDeployment("azure-arc", deployment, 1, new Dictionary<string, string> { ["app.kubernetes.io/component"] = deployment });
        }

        api.AddServiceAccount("azure-arc", "azure-arc-kube-aad-proxy-sa");
        api.AddConfigMap("azure-arc", "azure-clusterconfig", new Dictionary<string, string>
        {
            ["AZURE_RESOURCE_NAME"] = "arc",
            ["ARC_AGENT_HELM_CHART_NAME"] = "azure-arc-k8sagents",
        });
    }

    private static IEnumerable<JsonObject> OpenShiftSecurityContextConstraints()
    {
        static JsonObject Scc(string name, bool privileged, string runAsUser, int? priority, string[] users, string[] groups) => new()
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["annotations"] = new JsonObject { ["kubernetes.io/description"] = $"{name} SCC (emulated)" },
            },
            ["allowPrivilegedContainer"] = privileged,
            ["allowHostNetwork"] = privileged,
            ["allowHostPID"] = privileged,
            ["runAsUser"] = new JsonObject { ["type"] = runAsUser },
            ["seLinuxContext"] = new JsonObject { ["type"] = privileged ? "RunAsAny" : "MustRunAs" },
            ["priority"] = priority,
            ["users"] = new JsonArray(users.Select(u => (JsonNode?)JsonValue.Create(u)).ToArray()),
            ["groups"] = new JsonArray(groups.Select(g => (JsonNode?)JsonValue.Create(g)).ToArray()),
        };

        yield return Scc("privileged", true, "RunAsAny", null,
            new[] { "system:admin", "system:serviceaccount:openshift-infra:build-controller" },
            new[] { "system:cluster-admins", "system:nodes", "system:masters" });
        yield return Scc("anyuid", false, "RunAsAny", 10, Array.Empty<string>(), new[] { "system:cluster-admins" });
        yield return Scc("hostaccess", false, "MustRunAsRange", null, Array.Empty<string>(), Array.Empty<string>());
        yield return Scc("hostmount-anyuid", false, "RunAsAny", null,
            new[] { "system:serviceaccount:openshift-infra:pv-recycler-controller" }, Array.Empty<string>());
        yield return Scc("hostnetwork", false, "MustRunAsRange", null, Array.Empty<string>(), Array.Empty<string>());
        yield return Scc("hostnetwork-v2", false, "MustRunAsRange", null, Array.Empty<string>(), Array.Empty<string>());
        yield return Scc("nonroot", false, "MustRunAsNonRoot", null, Array.Empty<string>(), Array.Empty<string>());
        yield return Scc("nonroot-v2", false, "MustRunAsNonRoot", null, Array.Empty<string>(), Array.Empty<string>());
        yield return Scc("restricted", false, "MustRunAsRange", null, Array.Empty<string>(), Array.Empty<string>());
        yield return Scc("restricted-v2", false, "MustRunAsRange", null, Array.Empty<string>(), new[] { "system:authenticated" });
    }
}
