using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Model;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Tests.Azure;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Operations;

public sealed class CommonReferencesTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public CommonReferencesTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
    }

    [Theory]
    [InlineData("/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1", AzMLK8sClusterType.Aks)]
    [InlineData("/subscriptions/s/resourcegroups/rg/providers/microsoft.kubernetes/CONNECTEDCLUSTERS/arc1/", AzMLK8sClusterType.Arc)]
    public void Cluster_ids_of_either_kind_parse(string id, AzMLK8sClusterType type)
    {
        var cluster = ClusterReference.Parse(id);

        Assert.Equal(type, cluster.Type);
        Assert.Equal("rg", cluster.ResourceGroupName);
        Assert.StartsWith("/subscriptions/s/resourceGroups/rg/providers/", cluster.ResourceId);
    }

    [Theory]
    [InlineData("/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws", "is a Microsoft.MachineLearningServices/workspaces")]
    [InlineData("aks-demo", "is not an Azure resource id")]
    [InlineData("/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters", "is not an Azure resource id")]
    public void Other_ids_are_refused_with_what_they_are(string id, string expected)
    {
        var error = Assert.Throws<ModuleErrorException>(() => ClusterReference.Parse(id)).Error;

        Assert.Equal("InvalidClusterResourceId", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Category);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Workspace_ids_parse_and_cluster_ids_are_not_workspaces()
    {
        Assert.Equal("ws-demo", WorkspaceReference.Parse(ArmTestConnections.WorkspaceId).Name);
        Assert.Equal("InvalidWorkspaceResourceId", Assert.Throws<ModuleErrorException>(() => WorkspaceReference.Parse(ArmTestConnections.AksId)).Error.ErrorId);
    }

    [Fact]
    public async Task A_cluster_is_reached_through_the_kubeconfig_Azure_hands_out()
    {
        var connection = ArmTestConnections.Connect(_emulator.Server);

        using var api = await ClusterApiAccess.ConnectAsync(connection, ClusterReference.Parse(ArmTestConnections.AksId), null, CancellationToken.None);

        Assert.Null(api.Unavailable);
        Assert.True(await api.Client!.NamespaceExistsAsync("team-a", CancellationToken.None));
    }

    [Fact]
    public async Task An_unreachable_API_is_a_reason_not_an_exception()
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"azmlk8s-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: { server: "https://127.0.0.1:1", insecure-skip-tls-verify: true }
            users:
            - name: u
              user: { token: "unreachable-canary-token" }
            contexts:
            - name: ctx
              context: { cluster: c, user: u }
            current-context: ctx
            """);
        try
        {
            var host = new RecordingHost();
            var connection = ArmTestConnections.Connect(_emulator.Server, host);

            using var api = await ClusterApiAccess.ConnectAsync(
                connection,
                ClusterReference.Parse(ArmTestConnections.AksId),
                new KubernetesAccessOptions { KubeconfigPath = kubeconfig },
                CancellationToken.None);

            Assert.Null(api.Client);
            Assert.Equal("KubernetesApiUnreachable", api.Unavailable?.ErrorId);
            Assert.DoesNotContain("unreachable-canary-token", host.AllText + api.Unavailable?.Message);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}

/// <summary>Relative paths resolve against the PowerShell location the host reports, not the process's directory.</summary>
public sealed class RelativePathTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public RelativePathTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
    }

    [Fact]
    public async Task A_relative_kubeconfig_path_is_found_in_the_callers_location()
    {
        var location = Directory.CreateTempSubdirectory("azmlk8s-location-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(location, "cluster.yaml"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: c
                  cluster: { server: "https://127.0.0.1:1", insecure-skip-tls-verify: true }
                users:
                - name: u
                  user: { token: "t0k3n-relative-path" }
                contexts:
                - name: ctx
                  context: { cluster: c, user: u }
                current-context: ctx
                """);
            var host = new RecordingHost { CurrentDirectory = location };
            var connection = ArmTestConnections.Connect(_emulator.Server, host);

            using var api = await ClusterApiAccess.ConnectAsync(
                connection, ClusterReference.Parse(ArmTestConnections.AksId), new KubernetesAccessOptions { KubeconfigPath = "cluster.yaml" }, CancellationToken.None);

            // Found and read (the server it names is down), not KubeconfigNotFound in the process's directory.
            Assert.Equal("KubernetesApiUnreachable", api.Unavailable?.ErrorId);
        }
        finally
        {
            Directory.Delete(location, recursive: true);
        }
    }
}
