using AzMLK8s.Engine.Kubernetes;

namespace AzMLK8s.Tests.Kubernetes;

/// <summary>
/// The warm-up before a first cluster call builds a client from a sample kubeconfig. Its errors are swallowed at run
/// time, so a sample that stopped fitting the library (after an upgrade) would quietly warm nothing: here it must build.
/// </summary>
public sealed class KubernetesWarmUpTests
{
    [Fact]
    public void The_client_sample_builds_a_client_without_connecting()
    {
        using var client = KubernetesWarmUp.PrepareClient();

        Assert.Equal(new Uri("https://127.0.0.1:1/"), client.BaseUri);
    }
}
