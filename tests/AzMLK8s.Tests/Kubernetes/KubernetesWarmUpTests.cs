using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Engine.Kubernetes.Models;
using k8s.Models;

namespace AzMLK8s.Tests.Kubernetes;

/// <summary>
/// The warm-up before a first cluster call reads a sample of each model the module reads. Its errors are swallowed at
/// run time, so a sample that stopped fitting the library's model (after an upgrade) would quietly warm nothing: here
/// it must read every sample down to the nested parts the checks look at.
/// </summary>
public sealed class KubernetesWarmUpTests
{
    [Fact]
    public void Every_sample_reads_into_the_library_model_with_its_nested_parts()
    {
        var read = KubernetesWarmUp.Prepare(KubernetesReads.Connection | KubernetesReads.Nodes | KubernetesReads.WorkloadNames | KubernetesReads.Workloads | KubernetesReads.Pods);

        Assert.Equal("v1.30.0", read.OfType<VersionInfo>().Single().GitVersion);
        var node = read.OfType<V1NodeList>().Single().Items.Single();
        Assert.Equal("16Gi", node.Status.Allocatable["memory"].ToString());
        Assert.Equal("NoSchedule", node.Spec.Taints.Single().Effect);
        var deployment = read.OfType<V1DeploymentList>().Single().Items.Single();
        Assert.Equal("i", deployment.Spec.Template.Spec.Containers.Single().Image);
        Assert.Equal(1, deployment.Status.ReadyReplicas);
        var daemonSet = read.OfType<V1DaemonSetList>().Single().Items.Single();
        Assert.Equal("v", daemonSet.Spec.Template.Metadata.Labels["k"]);
        Assert.Equal(1, daemonSet.Status.NumberReady);
        var pod = read.OfType<V1PodList>().Single().Items.Single();
        Assert.Equal("r", pod.Status.ContainerStatuses.Single().State.Waiting.Reason);
        Assert.Equal("100m", pod.Spec.Containers.Single().Resources.Requests["cpu"].ToString());
        Assert.Equal("o", read.OfType<V1Namespace>().Single().Metadata.OwnerReferences.Single().Name);
        Assert.Equal(404, read.OfType<V1Status>().Single().Code);
        var names = read.OfType<KubernetesList<PartialObjectMetadata>>().Single();
        Assert.Equal(("a", "n", "c"), (names.Items.Single().Name(), names.Items.Single().Namespace(), names.Metadata.ContinueProperty));
    }

    [Fact]
    public void Each_operation_warms_only_what_it_reads()
    {
        var read = KubernetesWarmUp.Prepare(KubernetesReads.Nodes | KubernetesReads.WorkloadNames);

        Assert.Equal([typeof(V1NodeList), typeof(KubernetesList<PartialObjectMetadata>)], read.Select(r => r.GetType()));
    }

    [Fact]
    public void The_client_sample_builds_a_client_without_connecting()
    {
        using var client = KubernetesWarmUp.PrepareClient();

        Assert.Equal(new Uri("https://127.0.0.1:1/"), client.BaseUri);
    }
}
