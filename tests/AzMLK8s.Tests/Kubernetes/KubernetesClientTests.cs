using System.Text.Json.Nodes;
using AzMLK8s.Emulator.Kubernetes;
using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Engine.Kubernetes.Models;
using AzMLK8s.Model;
using AzMLK8s.Tests.Infrastructure;
using k8s.Models;

namespace AzMLK8s.Tests.Kubernetes;

/// <summary>Each call of the Kubernetes client against the emulator over HTTPS, trusting only the kubeconfig's CA.</summary>
public sealed class KubernetesClientTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public KubernetesClientTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
    }

    [Fact]
    public async Task The_version_comes_from_the_cluster()
    {
        var cluster = _emulator.Server.State.FindCluster(Emulator.State.EmulatorState.DefaultSubscriptionId, "rg-demo", "aks-demo")!;
        using var client = KubernetesTestSupport.Connect(_emulator.Server, cluster, new RecordingHost());

        var version = await client.GetVersionAsync();

        Assert.Equal("v1.30.4", version.GitVersion);
        Assert.Equal("1", version.Major);
        Assert.Equal("30", version.Minor);
    }

    [Fact]
    public async Task Requests_go_out_as_HTTP_1_1()
    {
        var cluster = _emulator.Server.State.FindCluster(Emulator.State.EmulatorState.DefaultSubscriptionId, "rg-demo", "aks-demo")!;
        var versions = new VersionRecordingHandler();
        using var client = KubernetesTestSupport.ConnectThrough(_emulator.Server, cluster, versions);

        await client.GetVersionAsync();
        await client.ListNodesAsync();

        Assert.Equal([System.Net.HttpVersion.Version11, System.Net.HttpVersion.Version11], versions.Sent);
        Assert.Equal([System.Net.HttpVersion.Version11, System.Net.HttpVersion.Version11], versions.Answered);
    }

    private sealed class VersionRecordingHandler : DelegatingHandler
    {
        public List<Version> Sent { get; } = [];

        public List<Version> Answered { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sent.Add(request.Version);
            var response = await base.SendAsync(request, cancellationToken);
            Answered.Add(response.Version);
            return response;
        }
    }

    [Fact]
    public async Task Namespaces_can_be_read_checked_and_created_and_a_second_create_is_AlreadyExists()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var client = KubernetesTestSupport.Connect(_emulator.Server, cluster, new RecordingHost());

        var teamA = await client.GetNamespaceAsync("team-a");
        Assert.Equal("Active", teamA.Status.Phase);
        Assert.False(await client.NamespaceExistsAsync("azureml"));

        var created = await client.CreateNamespaceAsync("azureml", new Dictionary<string, string> { ["owner"] = "azmlk8s" });

        Assert.Equal("azureml", created.Name());
        Assert.Equal("azmlk8s", created.Labels()["owner"]);
        Assert.NotNull(created.Metadata.Uid);
        Assert.True(await client.NamespaceExistsAsync("azureml"));
        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.CreateNamespaceAsync("azureml"))).Error;
        Assert.Equal(KubernetesErrorIds.AlreadyExists, error.ErrorId);
        Assert.Equal(ErrorKind.ResourceExists, error.Category);
        Assert.Contains("namespaces \"azureml\" already exists", error.Message);
    }

    [Fact]
    public async Task A_missing_namespace_is_ObjectNotFound_with_the_servers_words()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var client = KubernetesTestSupport.Connect(_emulator.Server, cluster, new RecordingHost());

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.GetNamespaceAsync("nope"))).Error;

        Assert.Equal(KubernetesErrorIds.NotFound, error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Category);
        Assert.Contains("namespaces \"nope\" not found", error.Message);
        Assert.Equal("Namespace 'nope'", error.TargetObject);
    }

    [Fact]
    public async Task Nodes_come_with_labels_taints_allocatable_conditions_and_schedulability()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.AddNode("gpu-0", new Dictionary<string, string> { ["accelerator"] = "nvidia" },
            taints: new JsonArray(new JsonObject { ["key"] = "sku", ["value"] = "gpu", ["effect"] = "NoSchedule" }));
        var cordoned = cluster.Kubernetes.AddNode("cordoned-0", new Dictionary<string, string>());
        cordoned["spec"] = new JsonObject { ["unschedulable"] = true };
        cluster.Kubernetes.Upsert("v1", "Node", string.Empty, "cordoned-0", cordoned);
        using var client = KubernetesTestSupport.Connect(_emulator.Server, cluster, new RecordingHost());

        var nodes = await client.ListNodesAsync();

        Assert.Equal(5, nodes.Count);
        var agent = nodes.First(n => n.Name().StartsWith("aks-nodepool1-", StringComparison.Ordinal));
        Assert.Equal("linux", agent.Labels()["kubernetes.io/os"]);
        Assert.Equal("amd64", agent.Labels()["kubernetes.io/arch"]);
        Assert.Equal("Standard_D4s_v3", agent.Labels()["node.kubernetes.io/instance-type"]);
        Assert.Equal("3860m", agent.Status.Allocatable["cpu"].ToString());
        Assert.Equal("v1.30.4", agent.Status.NodeInfo.KubeletVersion);
        Assert.True(agent.IsReady());
        Assert.True(agent.IsSchedulable());
        Assert.Contains(agent.Status.Conditions, c => c.Type == "MemoryPressure" && c.Status == "False");
        var gpu = nodes.Single(n => n.Name() == "gpu-0");
        var taint = Assert.Single(gpu.Spec.Taints);
        Assert.Equal(("sku", "gpu", "NoSchedule"), (taint.Key, taint.Value, taint.Effect));
        Assert.False(gpu.IsSchedulable());
        var cordonedNode = nodes.Single(n => n.Name() == "cordoned-0");
        Assert.True(cordonedNode.Spec.Unschedulable);
        Assert.True(cordonedNode.IsReady());
        Assert.False(cordonedNode.IsSchedulable());
    }

    [Fact]
    public async Task Label_selectors_filter_lists()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.AddNode("gpu-0", new Dictionary<string, string> { ["accelerator"] = "nvidia" });
        using var client = KubernetesTestSupport.Connect(_emulator.Server, cluster, new RecordingHost());

        var gpu = await client.ListNodesAsync("accelerator=nvidia");
        var notGpu = await client.ListNodesAsync("!accelerator");
        var set = await client.ListNodesAsync("accelerator in (nvidia,amd),kubernetes.io/os=linux");

        Assert.Equal("gpu-0", Assert.Single(gpu).Name());
        Assert.Equal(3, notGpu.Count);
        Assert.Equal("gpu-0", Assert.Single(set).Name());
    }

    [Fact]
    public async Task Pods_are_listed_per_namespace_or_across_namespaces()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.AddDeployment("team-a", "web", 2);
        using var client = KubernetesTestSupport.Connect(_emulator.Server, cluster, new RecordingHost());

        var teamA = await client.ListPodsAsync("team-a");
        var coredns = await client.ListPodsAsync(null, "k8s-app=kube-dns");

        Assert.Equal(2, teamA.Count);
        Assert.All(teamA, pod =>
        {
            Assert.Equal("team-a", pod.Namespace());
            Assert.Equal("Running", pod.Status.Phase);
            Assert.Contains(pod.Status.Conditions, c => c.Type == "Ready" && c.Status == "True");
            Assert.NotNull(pod.Spec.NodeName);
            Assert.Equal(0, pod.RestartCount());
            Assert.Null(pod.WaitingReason());
        });
        Assert.Equal(2, coredns.Count);
        Assert.All(coredns, pod => Assert.Equal("kube-system", pod.Namespace()));
    }

    [Fact]
    public async Task Deployments_daemonsets_and_statefulsets_report_their_replicas()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.AddStatefulSet("team-a", "db", 2);
        using var client = KubernetesTestSupport.Connect(_emulator.Server, cluster, new RecordingHost());

        var coredns = (await client.ListWorkloadsAsync(KubernetesWorkloadKind.Deployment, "kube-system")).Single(d => d.Name == "coredns");
        var daemonSets = await client.ListWorkloadsAsync(KubernetesWorkloadKind.DaemonSet, "kube-system");
        var statefulSets = await client.ListWorkloadsAsync(KubernetesWorkloadKind.StatefulSet, null);

        Assert.Equal(KubernetesWorkloadKind.Deployment, coredns.Kind);
        Assert.Equal("kube-system", coredns.Namespace);
        Assert.Equal(2, coredns.DesiredReplicas);
        Assert.Equal(2, coredns.ReadyReplicas);
        Assert.True(coredns.IsReady);
        var kubeProxy = daemonSets.Single(d => d.Name == "kube-proxy");
        Assert.Equal(3, kubeProxy.DesiredReplicas);
        Assert.True(kubeProxy.IsReady);
        Assert.Equal(("db", 2), (Assert.Single(statefulSets).Name, statefulSets[0].DesiredReplicas));
    }

    // Workload names (the prerequisite checks' existing components) are read as metadata only, as client-go's metadata
    // client reads them: the server sends no spec, so no pod template crosses the wire. A server that cannot answer so
    // sends the whole objects, which read the same.
    [Fact]
    public async Task Workload_names_come_as_metadata_only_across_namespaces_and_in_one()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.AddDeployment("team-a", "prometheus-operator", 1);
        var recorder = new BodyRecordingHandler();
        using var client = KubernetesTestSupport.ConnectThrough(_emulator.Server, cluster, recorder);

        var everywhere = await client.ListWorkloadNamesAsync(KubernetesWorkloadKind.Deployment, null);
        var inKubeSystem = await client.ListWorkloadNamesAsync(KubernetesWorkloadKind.DaemonSet, "kube-system");

        Assert.Contains(new KubernetesWorkloadName(KubernetesWorkloadKind.Deployment, "prometheus-operator", "team-a"), everywhere);
        Assert.Contains(new KubernetesWorkloadName(KubernetesWorkloadKind.Deployment, "coredns", "kube-system"), everywhere);
        Assert.Equal("kube-system/kube-proxy", Assert.Single(inKubeSystem, d => d.Name == "kube-proxy").ToString());
        Assert.Equal(2, recorder.Bodies.Count);
        Assert.All(recorder.Bodies, body =>
        {
            Assert.Contains("\"kind\":\"PartialObjectMetadataList\"", body);
            Assert.DoesNotContain("\"spec\"", body);
            Assert.DoesNotContain("\"status\"", body);
        });
    }

    [Fact]
    public async Task Workload_names_from_a_server_that_sends_whole_objects_are_the_same()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        var plainJson = new PlainJsonAcceptHandler { InnerHandler = new BodyRecordingHandler() };
        using var client = KubernetesTestSupport.ConnectThrough(_emulator.Server, cluster, plainJson);

        var names = await client.ListWorkloadNamesAsync(KubernetesWorkloadKind.Deployment, "kube-system");

        Assert.Contains(new KubernetesWorkloadName(KubernetesWorkloadKind.Deployment, "coredns", "kube-system"), names);
        var body = Assert.Single(((BodyRecordingHandler)plainJson.InnerHandler).Bodies);
        Assert.Contains("\"kind\":\"DeploymentList\"", body);
        Assert.Contains("\"spec\"", body);
    }

    /// <summary>An API server (or aggregated API) without the metadata-only representation: it answers plain JSON.</summary>
    private sealed class PlainJsonAcceptHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Contains(request.Headers.Accept, a => a.Parameters.Any(p => p.Name == "as" && p.Value == "PartialObjectMetadataList"));
            request.Headers.Accept.Clear();
            request.Headers.Accept.ParseAdd("application/json");
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task ConfigMaps_are_read_with_their_data()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.AddConfigMap("team-a", "arcml-healthcheck", new Dictionary<string, string> { ["status"] = "healthy" },
            new Dictionary<string, string> { ["app"] = "healthcheck" });
        using var client = KubernetesTestSupport.Connect(_emulator.Server, cluster, new RecordingHost());

        var configMap = await client.GetConfigMapAsync("team-a", "arcml-healthcheck");
        var missing = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.GetConfigMapAsync("team-a", "nope"))).Error;

        Assert.Equal("healthy", configMap.Data["status"]);
        Assert.Equal("healthcheck", configMap.Labels()["app"]);
        Assert.Equal(KubernetesErrorIds.NotFound, missing.ErrorId);
        Assert.Contains("configmaps \"nope\" not found", missing.Message);
        Assert.Equal("ConfigMap 'team-a/nope'", missing.TargetObject);
    }

    [Fact]
    public async Task Lists_follow_continue_tokens_across_pages()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.AddDeployment("team-a", "big", 520);
        var recorder = new BodyRecordingHandler();
        using var client = KubernetesTestSupport.ConnectThrough(_emulator.Server, cluster, recorder);

        var all = await client.ListPodsAsync("team-a");

        Assert.Equal(520, all.Count);
        Assert.Equal(520, all.Select(c => c.Name()).Distinct().Count());
        Assert.Equal(2, recorder.Bodies.Count);
    }

    [Fact]
    public async Task OpenShift_SCCs_are_read_and_a_service_account_is_added_once()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server, "openshift", Emulator.State.ClusterKind.Connected);
        using var client = KubernetesTestSupport.Connect(_emulator.Server, cluster, new RecordingHost());
        var user = SecurityContextConstraints.ServiceAccountUser("azureml", "azureml-kube-state-metrics");

        Assert.True(await client.IsApiGroupVersionServedAsync("security.openshift.io", "v1"));
        var privileged = await client.GetSecurityContextConstraintsAsync("privileged");
        var added = await client.AddUserToSecurityContextConstraintsAsync("privileged", user);
        var addedAgain = await client.AddUserToSecurityContextConstraintsAsync("privileged", user);
        var after = await client.GetSecurityContextConstraintsAsync("privileged");

        Assert.Equal("privileged", privileged.Metadata.Name);
        Assert.True(added);
        Assert.False(addedAgain);
        Assert.Equal(privileged.Users!.Append(user), after.Users!);
        Assert.NotEqual(privileged.Metadata.ResourceVersion, after.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Clusters_that_are_not_OpenShift_do_not_serve_SCCs()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var client = KubernetesTestSupport.Connect(_emulator.Server, cluster, new RecordingHost());

        Assert.False(await client.IsApiGroupVersionServedAsync("security.openshift.io", "v1"));
        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.GetSecurityContextConstraintsAsync("privileged"))).Error;
        Assert.Equal(KubernetesErrorIds.NotFound, error.ErrorId);
    }
}
