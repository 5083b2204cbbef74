using System.Text.Json;
using AzMLK8s.Engine.Kubernetes;
using k8s;
using k8s.Models;

namespace AzMLK8s.Tests.Kubernetes;

/// <summary>
/// The module's generated JSON contracts go first in the library's options; what they read and write must be what the
/// library's own contracts read and write (names, converters of quantities and times, nulls left out).
/// </summary>
public sealed class KubernetesModelsJsonTests
{
    private const KubernetesReads Everything = KubernetesReads.Connection | KubernetesReads.Nodes | KubernetesReads.WorkloadNames | KubernetesReads.Workloads | KubernetesReads.Pods;

    [Fact]
    public void The_modules_contracts_come_first_and_write_what_the_librarys_own_contracts_read_back_alike()
    {
        KubernetesModelsJson.Install();
        JsonSerializerOptions library = null!;
        KubernetesJson.AddJsonOptions(options => library = options);
        var librarysOwn = new JsonSerializerOptions(library);
        librarysOwn.TypeInfoResolverChain.RemoveAt(0);

        Assert.Same(KubernetesModelsJson.Default, library.TypeInfoResolverChain[0]);
        Assert.DoesNotContain(KubernetesModelsJson.Default, librarysOwn.TypeInfoResolverChain);
        // A Status is only read (the library's converter for it cannot write).
        const string status = "{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}";
        var (mine, theirs) = (JsonSerializer.Deserialize<V1Status>(status, library)!, JsonSerializer.Deserialize<V1Status>(status, librarysOwn)!);
        Assert.Equal((theirs.Code, theirs.Reason, theirs.Status), (mine.Code, mine.Reason, mine.Status));
        foreach (var sample in KubernetesWarmUp.Prepare(Everything).Where(s => s is not V1Status))
        {
            var type = sample.GetType();
            var written = JsonSerializer.Serialize(sample, type, library);
            var readBack = JsonSerializer.Deserialize(written, type, librarysOwn);

            Assert.Equal(written, JsonSerializer.Serialize(readBack, type, librarysOwn));
            Assert.DoesNotContain("null", written);
        }
    }

    [Fact]
    public void Installing_again_changes_nothing()
    {
        KubernetesModelsJson.Install();
        KubernetesModelsJson.Install();
        JsonSerializerOptions library = null!;
        KubernetesJson.AddJsonOptions(options => library = options);

        Assert.Single(library.TypeInfoResolverChain, r => ReferenceEquals(r, KubernetesModelsJson.Default));
    }
}
