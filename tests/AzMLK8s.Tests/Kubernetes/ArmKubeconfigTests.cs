using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AzMLK8s.Emulator.Kubernetes;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Model;
using AzMLK8s.Tests.Infrastructure;
using k8s;
using k8s.KubeConfigModels;

namespace AzMLK8s.Tests.Kubernetes;

/// <summary>
/// Kubeconfigs from ARM: the emulator's listClusterUserCredential routes (called raw, with a bearer header and a
/// pinned certificate) and the engine's provider that connects through them.
/// </summary>
public sealed class ArmKubeconfigTests : IClassFixture<EmulatorFixture>
{
    private const string AksApiVersion = "2025-10-01";
    private const string ArcApiVersion = "2024-01-01";
    private readonly EmulatorFixture _emulator;

    public ArmKubeconfigTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
    }

    [Fact]
    public async Task AKS_listClusterUserCredential_returns_a_base64_kubeconfig_for_the_emulated_API_with_a_token()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);

        var kubeconfigs = await ListAksCredentialsAsync(cluster);

        var entry = Assert.Single(kubeconfigs);
        Assert.Equal("clusterUser", entry.Name);
        var kubeconfig = Read(entry.Value);
        Assert.Equal(cluster.Name, kubeconfig.CurrentContext);
        var server = kubeconfig.Clusters.Single(c => c.Name == cluster.Name).ClusterEndpoint;
        Assert.Equal(new Uri(_emulator.Server.BaseAddress, cluster.KubernetesApiPath).AbsoluteUri, server.Server);
        Assert.Equal(KubernetesTestSupport.Base64(KubernetesTestSupport.ServerCertificatePem(_emulator.Server)), server.CertificateAuthorityData);
        var user = kubeconfig.Users.Single(u => u.Name == $"clusterUser_{cluster.ResourceGroup}_{cluster.Name}").UserCredentials;
        Assert.Equal(cluster.Kubernetes.Access.UserToken, user.Token);
    }

    [Fact]
    public async Task A_cluster_set_to_client_certificates_hands_out_a_certificate_that_works()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.UserCredentialKind = KubeconfigCredentialKind.ClientCertificate;
        var bytes = Assert.Single(await ListAksCredentialsAsync(cluster)).Value;

        var user = Read(bytes).Users.Single().UserCredentials;
        using var client = KubernetesConnector.FromKubeconfig(bytes, "arm", null, new RecordingHost());

        Assert.Null(user.Token);
        Assert.NotNull(user.ClientKeyData);
        Assert.Equal(3, (await client.ListNodesAsync()).Count);
    }

    [Fact]
    public async Task An_Entra_ID_AKS_cluster_hands_out_kubelogin_exec_or_the_azure_auth_provider_on_request()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.AadEnabled = true;

        var exec = Read(Assert.Single(await ListAksCredentialsAsync(cluster)).Value).Users.Single().UserCredentials;
        var azure = Read(Assert.Single(await ListAksCredentialsAsync(cluster, "&format=azure")).Value).Users.Single().UserCredentials;

        Assert.Equal("kubelogin", exec.ExternalExecution.Command);
        Assert.Contains(ClusterAccess.AksServerApplicationId, exec.ExternalExecution.Arguments);
        Assert.Null(exec.Token);
        Assert.Equal("azure", azure.AuthProvider.Name);
        Assert.Equal(ClusterAccess.AksServerApplicationId, azure.AuthProvider.Config["apiserver-id"]);
    }

    [Fact]
    public async Task Arc_listClusterUserCredential_needs_its_body_and_honours_authenticationMethod_and_clientProxy()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server, "k3s", ClusterKind.Connected, nodes: 2);
        using var http = Authorized(KubernetesTestSupport.PinnedHttpClient(_emulator.Server));
        var path = $"{cluster.ResourceId}/listClusterUserCredential?api-version={ArcApiVersion}";

        using var noBody = await http.PostAsync(path, new StringContent("{}", Encoding.UTF8, "application/json"));
        using var token = await http.PostAsync(path, Json(new { authenticationMethod = "Token", clientProxy = false }));
        using var aad = await http.PostAsync(path, Json(new { authenticationMethod = "AAD", clientProxy = true }));

        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
        Assert.Equal("InvalidRequestContent", (await ArmError(noBody)).Code);
        var tokenResult = JsonDocument.Parse(await token.Content.ReadAsStringAsync()).RootElement;
        Assert.False(tokenResult.TryGetProperty("hybridConnectionConfig", out _));
        var tokenKubeconfig = Read(Convert.FromBase64String(tokenResult.GetProperty("kubeconfigs")[0].GetProperty("value").GetString()!));
        Assert.Equal(cluster.Kubernetes.Access.UserToken, tokenKubeconfig.Users.Single().UserCredentials.Token);
        var aadResult = JsonDocument.Parse(await aad.Content.ReadAsStringAsync()).RootElement;
        Assert.True(aadResult.GetProperty("hybridConnectionConfig").TryGetProperty("relay", out _));
        var aadKubeconfig = Read(Convert.FromBase64String(aadResult.GetProperty("kubeconfigs")[0].GetProperty("value").GetString()!));
        Assert.Equal("kubelogin", aadKubeconfig.Users.Single().UserCredentials.ExternalExecution.Command);
    }

    [Theory]
    [InlineData("Microsoft.ContainerService/managedClusters", "no-such-cluster")]
    [InlineData("Microsoft.Kubernetes/connectedClusters", "no-such-cluster")]
    [InlineData("Microsoft.ContainerService/managedClusters", "arc-demo")]
    public async Task listClusterUserCredential_of_a_missing_cluster_is_an_ARM_404_envelope(string type, string name)
    {
        using var http = Authorized(KubernetesTestSupport.PinnedHttpClient(_emulator.Server));

        using var response = await http.PostAsync(
            $"/subscriptions/{EmulatorState.DefaultSubscriptionId}/resourceGroups/rg-demo/providers/{type}/{name}/listClusterUserCredential?api-version={(type.StartsWith("Microsoft.Kubernetes/", StringComparison.Ordinal) ? ArcApiVersion : AksApiVersion)}",
            Json(new { authenticationMethod = "Token", clientProxy = false }));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await ArmError(response);
        Assert.Equal("ResourceNotFound", error.Code);
        Assert.Contains($"{type}/{name}", error.Message);
    }

    [Fact]
    public async Task The_provider_connects_through_the_kubeconfig_its_credential_source_returns()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        var source = new FakeClusterCredentialSource(KubernetesTestSupport.Kubeconfig(_emulator.Server, cluster));
        var host = new RecordingHost();
        var provider = new ArmKubernetesClientProvider(source, azureCredential: null, host);

        using var client = await provider.ConnectAsync(cluster.ResourceId, CancellationToken.None);

        Assert.Equal(cluster.ResourceId, Assert.Single(source.RequestedClusters));
        Assert.Equal(cluster.Name, client.ContextName);
        Assert.True(await client.NamespaceExistsAsync("team-a"));
        Assert.DoesNotContain(cluster.Kubernetes.Access.UserToken, host.AllText);
    }

    [Fact]
    public async Task For_an_Entra_ID_cluster_the_provider_gets_the_AKS_server_token_from_the_Azure_credential_instead_of_kubelogin()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.AadEnabled = true;
        var bytes = Assert.Single(await ListAksCredentialsAsync(cluster)).Value;
        var azure = new FakeAzureCredential();
        var host = new RecordingHost();
        var provider = new ArmKubernetesClientProvider(new FakeClusterCredentialSource(Encoding.UTF8.GetString(bytes)), azure, host);

        using var client = await provider.ConnectAsync(cluster.ResourceId, CancellationToken.None);
        var nodes = await client.ListNodesAsync();

        Assert.Equal(3, nodes.Count);
        Assert.Equal($"{ClusterAccess.AksServerApplicationId}/.default", Assert.Single(azure.RequestedScopes));
        Assert.DoesNotContain(azure.LastToken!, host.AllText);
    }

    [Fact]
    public async Task The_legacy_azure_auth_provider_also_uses_the_Azure_credential()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.AadEnabled = true;
        var bytes = Assert.Single(await ListAksCredentialsAsync(cluster, "&format=azure")).Value;
        var azure = new FakeAzureCredential();
        var provider = new ArmKubernetesClientProvider(new FakeClusterCredentialSource(Encoding.UTF8.GetString(bytes)), azure, new RecordingHost());

        using var client = await provider.ConnectAsync(cluster.ResourceId, CancellationToken.None);

        Assert.True(await client.NamespaceExistsAsync("default"));
        Assert.Single(azure.RequestedScopes);
    }

    [Fact]
    public async Task An_Entra_ID_token_for_another_audience_is_refused_by_the_cluster()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.AadEnabled = true;
        var bytes = Assert.Single(await ListAksCredentialsAsync(cluster)).Value;
        var provider = new ArmKubernetesClientProvider(new FakeClusterCredentialSource(Encoding.UTF8.GetString(bytes)),
            new FakeAzureCredential("https://management.azure.com"), new RecordingHost());

        using var client = await provider.ConnectAsync(cluster.ResourceId, CancellationToken.None);
        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.ListNodesAsync())).Error;

        Assert.Equal(KubernetesErrorIds.Unauthorized, error.ErrorId);
    }

    private async Task<IReadOnlyList<(string Name, byte[] Value)>> ListAksCredentialsAsync(EmulatedCluster cluster, string extraQuery = "")
    {
        using var http = Authorized(KubernetesTestSupport.PinnedHttpClient(_emulator.Server));
        using var response = await http.PostAsync($"{cluster.ResourceId}/listClusterUserCredential?api-version={AksApiVersion}{extraQuery}", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("kubeconfigs").EnumerateArray()
            .Select(k => (k.GetProperty("name").GetString()!, Convert.FromBase64String(k.GetProperty("value").GetString()!)))
            .ToArray();
    }

    /// <summary>The kubeconfig as the library reads it.</summary>
    private static K8SConfiguration Read(byte[] kubeconfig) => KubernetesYaml.Deserialize<K8SConfiguration>(Encoding.UTF8.GetString(kubeconfig));

    private static HttpClient Authorized(HttpClient http)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "arm-test-token");
        return http;
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task<(string Code, string Message)> ArmError(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = document.RootElement.GetProperty("error");
        return (error.GetProperty("code").GetString()!, error.GetProperty("message").GetString()!);
    }
}
