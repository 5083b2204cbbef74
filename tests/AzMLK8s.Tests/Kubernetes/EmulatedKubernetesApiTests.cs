using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AzMLK8s.Emulator.Kubernetes;
using AzMLK8s.Emulator.State;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Kubernetes;

/// <summary>The emulated Kubernetes API on the wire (raw HTTP), and what the default seed looks like.</summary>
public sealed class EmulatedKubernetesApiTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public EmulatedKubernetesApiTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    public async Task Requests_without_a_credential_the_cluster_issued_get_a_401_Status(string? authorization)
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var http = KubernetesTestSupport.PinnedHttpClient(_emulator.Server);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{cluster.KubernetesApiPath}/api/v1/namespaces");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var status = await StatusOf(response);
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("Failure", status["status"]!.GetValue<string>());
        Assert.Equal("Unauthorized", status["reason"]!.GetValue<string>());
        Assert.Equal(401, status["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_client_certificate_issued_for_another_cluster_is_refused_and_its_own_wins_over_a_bad_token()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        var other = KubernetesTestSupport.AddCluster(_emulator.Server);
        var issued = other.Kubernetes.Access.IssueClientCertificate("someone");
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(issued.CertificatePem, issued.PrivateKeyPem);
        using var pfx = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(
            certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null);
        using var http = KubernetesTestSupport.PinnedHttpClient(_emulator.Server, pfx);

        using var refused = await http.GetAsync($"{cluster.KubernetesApiPath}/api/v1/nodes");
        using var accepted = await http.GetAsync($"{other.KubernetesApiPath}/api/v1/nodes");
        using var withBadToken = new HttpRequestMessage(HttpMethod.Get, $"{other.KubernetesApiPath}/api/v1/nodes");
        withBadToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        using var acceptedDespiteToken = await http.SendAsync(withBadToken);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, acceptedDespiteToken.StatusCode);
    }

    [Fact]
    public async Task Unknown_clusters_and_paths_are_404_Status_and_missing_objects_name_themselves()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var http = Client(cluster);

        using var unknownCluster = await http.GetAsync($"/k8s/{EmulatorState.DefaultSubscriptionId}/rg-demo/nope/api/v1/nodes");
        using var unknownResource = await http.GetAsync($"{cluster.KubernetesApiPath}/api/v1/widgets");
        using var missing = await http.GetAsync($"{cluster.KubernetesApiPath}/apis/apps/v1/namespaces/team-a/deployments/nope");

        Assert.Equal(HttpStatusCode.NotFound, unknownCluster.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownResource.StatusCode);
        Assert.Equal("the server could not find the requested resource", (await StatusOf(unknownResource))["message"]!.GetValue<string>());
        var status = await StatusOf(missing);
        Assert.Equal("NotFound", status["reason"]!.GetValue<string>());
        Assert.Equal("deployments.apps \"nope\" not found", status["message"]!.GetValue<string>());
        Assert.Equal("nope", status["details"]!["name"]!.GetValue<string>());
        Assert.Equal("apps", status["details"]!["group"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_returns_201_then_409_AlreadyExists_and_needs_an_existing_namespace()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var http = Client(cluster);
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "cm" }, ["data"] = new JsonObject { ["a"] = "1" } };

        using var created = await http.PostAsync($"{cluster.KubernetesApiPath}/api/v1/namespaces/team-a/configmaps", Json(body));
        using var again = await http.PostAsync($"{cluster.KubernetesApiPath}/api/v1/namespaces/team-a/configmaps", Json(body));
        using var noNamespace = await http.PostAsync($"{cluster.KubernetesApiPath}/api/v1/namespaces/ghost/configmaps", Json(body));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var stored = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.Equal("team-a", stored["metadata"]!["namespace"]!.GetValue<string>());
        Assert.NotNull(stored["metadata"]!["resourceVersion"]);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("AlreadyExists", (await StatusOf(again))["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, noNamespace.StatusCode);
        Assert.Equal("namespaces \"ghost\" not found", (await StatusOf(noNamespace))["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_415_and_the_API_answers_over_HTTP2_as_a_real_API_server_does()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var http = Client(cluster);
        using var yaml = new StringContent("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n", Encoding.UTF8, "application/x-yaml");
        using var h2 = new HttpRequestMessage(HttpMethod.Get, $"{cluster.KubernetesApiPath}/api/v1/namespaces") { Version = HttpVersion.Version20 };

        using var refused = await http.PostAsync($"{cluster.KubernetesApiPath}/api/v1/namespaces", yaml);
        using var listed = await http.SendAsync(h2);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Equal("UnsupportedMediaType", (await StatusOf(refused))["reason"]!.GetValue<string>());
        Assert.Equal(HttpVersion.Version20, listed.Version);
        var list = JsonNode.Parse(await listed.Content.ReadAsStringAsync())!;
        Assert.Equal(("NamespaceList", "v1"), (list["kind"]!.GetValue<string>(), list["apiVersion"]!.GetValue<string>()));
        Assert.NotNull(list["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task Merge_patch_changes_fields_removes_nulls_and_refuses_a_stale_resourceVersion()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        var original = cluster.Kubernetes.AddConfigMap("team-a", "cm", new Dictionary<string, string> { ["keep"] = "1", ["drop"] = "2" });
        var staleVersion = original["metadata"]!["resourceVersion"]!.GetValue<string>();
        using var http = Client(cluster);
        var path = $"{cluster.KubernetesApiPath}/api/v1/namespaces/team-a/configmaps/cm";

        using var patched = await http.PatchAsync(path, MergePatch(new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = staleVersion },
            ["data"] = new JsonObject { ["drop"] = null, ["new"] = "3" },
        }));
        using var stale = await http.PatchAsync(path, MergePatch(new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = staleVersion },
            ["data"] = new JsonObject { ["late"] = "4" },
        }));
        using var jsonPatch = await http.PatchAsync(path, new StringContent("[]", Encoding.UTF8, "application/json-patch+json"));

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var data = JsonNode.Parse(await patched.Content.ReadAsStringAsync())!["data"]!.AsObject();
        Assert.Equal(new[] { "keep", "new" }, data.Select(d => d.Key).Order());
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("Conflict", (await StatusOf(stale))["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, jsonPatch.StatusCode);
    }

    [Fact]
    public async Task Delete_returns_the_object_and_deleting_a_namespace_removes_what_was_in_it()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.AddDeployment("scratch", "app", 1);
        using var http = Client(cluster);

        using var deleted = await http.DeleteAsync($"{cluster.KubernetesApiPath}/api/v1/namespaces/scratch");
        using var again = await http.DeleteAsync($"{cluster.KubernetesApiPath}/api/v1/namespaces/scratch");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Empty(cluster.Kubernetes.List("apps/v1", "Deployment", "scratch"));
        Assert.Empty(cluster.Kubernetes.List("v1", "Pod", "scratch"));
    }

    [Fact]
    public async Task Lists_leave_type_meta_out_of_items_and_partial_metadata_drops_everything_but_metadata()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.AddSecret("team-a", "s", new Dictionary<string, string> { ["k"] = "v" });
        using var http = Client(cluster);

        var list = JsonNode.Parse(await http.GetStringAsync($"{cluster.KubernetesApiPath}/api/v1/namespaces/team-a/secrets"))!;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{cluster.KubernetesApiPath}/api/v1/namespaces/team-a/secrets/s");
        request.Headers.Accept.ParseAdd("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");
        using var partial = await http.SendAsync(request);

        Assert.Equal("SecretList", list["kind"]!.GetValue<string>());
        var item = Assert.Single(list["items"]!.AsArray())!;
        Assert.Null(item["kind"]);
        Assert.NotNull(item["data"]);
        var metadataOnly = JsonNode.Parse(await partial.Content.ReadAsStringAsync())!;
        Assert.Equal("PartialObjectMetadata", metadataOnly["kind"]!.GetValue<string>());
        Assert.Null(metadataOnly["data"]);
        Assert.Equal("s", metadataOnly["metadata"]!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("app=web", new[] { "a" })]
    [InlineData("app==web,tier!=db", new[] { "a" })]
    [InlineData("app in (web, api)", new[] { "a", "b" })]
    [InlineData("app notin (web),tier", new[] { "b" })]
    [InlineData("!tier", new[] { "a" })]
    public async Task Label_selectors_work_on_the_wire(string selector, string[] expected)
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.AddConfigMap("team-a", "a", new Dictionary<string, string>(), new Dictionary<string, string> { ["app"] = "web" });
        cluster.Kubernetes.AddConfigMap("team-a", "b", new Dictionary<string, string>(), new Dictionary<string, string> { ["app"] = "api", ["tier"] = "x" });
        using var http = Client(cluster);

        var list = JsonNode.Parse(await http.GetStringAsync($"{cluster.KubernetesApiPath}/api/v1/namespaces/team-a/configmaps?labelSelector={Uri.EscapeDataString(selector)}"))!;

        Assert.Equal(expected, list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_malformed_label_selector_is_400()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var http = Client(cluster);

        using var response = await http.GetAsync($"{cluster.KubernetesApiPath}/api/v1/pods?labelSelector={Uri.EscapeDataString("app in web")}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Discovery_lists_groups_and_resources()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server, "openshift", ClusterKind.Connected);
        using var http = Client(cluster);

        var groups = JsonNode.Parse(await http.GetStringAsync($"{cluster.KubernetesApiPath}/apis"))!;
        var core = JsonNode.Parse(await http.GetStringAsync($"{cluster.KubernetesApiPath}/api/v1"))!;

        Assert.Contains(groups["groups"]!.AsArray(), g => g!["name"]!.GetValue<string>() == "security.openshift.io");
        Assert.Contains(core["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "nodes" && !r["namespaced"]!.GetValue<bool>());
    }

    [Fact]
    public void The_default_clusters_look_like_their_distributions()
    {
        var state = _emulator.Server.State;
        var aks = state.FindCluster(EmulatorState.DefaultSubscriptionId, "rg-demo", "aks-demo")!.Kubernetes;
        var arc = state.FindCluster(EmulatorState.DefaultSubscriptionId, "rg-demo", "arc-demo")!.Kubernetes;
        var ocp = state.FindCluster(EmulatorState.DefaultSubscriptionId, "rg-demo", "arc-ocp")!.Kubernetes;

        Assert.Equal(3, aks.NodeCount);
        Assert.Equal(2, arc.NodeCount);
        Assert.Equal(3, ocp.NodeCount);
        foreach (var cluster in new[] { aks, arc, ocp })
        {
            Assert.All(new[] { "default", "kube-system", "team-a" }, ns => Assert.True(cluster.NamespaceExists(ns)));
            Assert.All(cluster.List("v1", "Node", null), node =>
            {
                Assert.Equal("linux", node["metadata"]!["labels"]!["kubernetes.io/os"]!.GetValue<string>());
                Assert.NotNull(node["metadata"]!["labels"]!["node.kubernetes.io/instance-type"]);
            });
        }

        Assert.Contains(aks.List("apps/v1", "DaemonSet", "kube-system"), d => d["metadata"]!["name"]!.GetValue<string>() == "kube-proxy");
        Assert.False(aks.NamespaceExists("azure-arc"));
        Assert.True(arc.NamespaceExists("azure-arc"));
        Assert.Contains(arc.List("apps/v1", "Deployment", "kube-system"), d => d["metadata"]!["name"]!.GetValue<string>() == "traefik");
        Assert.NotNull(ocp.Get("security.openshift.io/v1", "SecurityContextConstraints", string.Empty, "privileged"));
        Assert.Null(aks.FindResourceType("security.openshift.io", "v1", "securitycontextconstraints"));
    }

    private HttpClient Client(EmulatedCluster cluster)
    {
        var http = KubernetesTestSupport.PinnedHttpClient(_emulator.Server);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", cluster.Kubernetes.Access.UserToken);
        return http;
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static StringContent MergePatch(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/merge-patch+json");

    private static async Task<JsonNode> StatusOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
