using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Engine.Kubernetes.Models;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Kubernetes;

/// <summary>
/// Workload names (the prerequisite checks' existing components) are read as metadata only, as client-go's metadata
/// client reads them: the server sends no spec, so no pod template crosses the wire. A server that cannot answer so
/// sends the whole objects, which read the same.
/// </summary>
public sealed class WorkloadNameTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public WorkloadNameTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
    }

    [Fact]
    public async Task Names_come_as_metadata_only_across_namespaces_and_in_one()
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
    public async Task A_server_that_sends_whole_objects_gives_the_same_names()
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
}
