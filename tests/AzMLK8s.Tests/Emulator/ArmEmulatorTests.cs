using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AzMLK8s.Emulator.Arm;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.ArmEmulator;

/// <summary>The emulator's ARM behaviour on the wire, with a plain HTTP client that trusts only its certificate.</summary>
public sealed class ArmEmulatorTests : IAsyncLifetime
{
    private const string ExtensionsApi = "2023-05-01";

    private EmulatorServer _server = null!;
    private HttpClient _client = null!;

    private static string Aks => $"/subscriptions/{EmulatorState.DefaultSubscriptionId}/resourceGroups/rg-demo/providers/Microsoft.ContainerService/managedClusters/aks-demo";

    public async Task InitializeAsync()
    {
        var options = EmulatorFixture.FastOptions();
        options.OperationDuration = Timeout.InfiniteTimeSpan;
        _server = await EmulatorServer.StartAsync(options);
        var pinned = _server.Certificate.Thumbprint;
        _client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == pinned })
        {
            BaseAddress = _server.BaseAddress,
        };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "any-token");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_request_without_a_bearer_token_gets_401_with_WWW_Authenticate()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Aks}?api-version=2024-09-01");
        request.Headers.Authorization = null;
        _client.DefaultRequestHeaders.Authorization = null;

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer authorization_uri=", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("AuthenticationFailed", (await Error(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Kubernetes_paths_skip_the_ARM_auth_and_api_version_checks()
    {
        _client.DefaultRequestHeaders.Authorization = null;

        using var response = await _client.GetAsync($"/k8s/{EmulatorState.DefaultSubscriptionId}/rg-demo/aks-demo/api/v1/namespaces");

        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("AuthenticationFailed", text);
        Assert.DoesNotContain("MissingApiVersionParameter", text);
        Assert.Equal(1, _server.State.Requests.Entries.Count(e => e.Path.StartsWith("/k8s/", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/a/listClusterUserCredential", "Microsoft.ContainerService/managedClusters")]
    [InlineData("/subscriptions/s/resourceGroups/r/providers/Microsoft.Kubernetes/connectedClusters/a/providers/Microsoft.KubernetesConfiguration/extensions", "Microsoft.KubernetesConfiguration/extensions")]
    [InlineData("/subscriptions/s/resourceGroups/r/providers/Microsoft.Kubernetes/connectedClusters/a/providers/Microsoft.KubernetesConfiguration/extensions/x/operations/o", "Microsoft.KubernetesConfiguration/extensions/operations")]
    [InlineData("/subscriptions/s/resourceGroups/r/providers/Microsoft.MachineLearningServices/workspaces/w/computes", "Microsoft.MachineLearningServices/workspaces/computes")]
    [InlineData("/subscriptions/s/resourceGroups/r/providers/Microsoft.Relay/namespaces/n/hybridConnections/h/authorizationRules/r/listKeys", "Microsoft.Relay/namespaces/hybridConnections/authorizationRules")]
    [InlineData("/subscriptions/s/providers/Microsoft.Kubernetes/register", "Microsoft.Resources/providers")]
    [InlineData("/subscriptions/s/providers/Microsoft.Features/providers/Microsoft.ContainerService/features/f/register", "Microsoft.Features/features")]
    [InlineData("/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerRegistry/registries/acr/providers/Microsoft.Authorization/roleAssignments/g", "Microsoft.Authorization/roleAssignments")]
    public void The_resource_type_of_a_path_decides_which_api_versions_apply(string path, string expected)
    {
        Assert.Equal(expected, ArmApiVersionTable.ResourceTypeOf(path));
    }

    [Fact]
    public async Task Extension_PUT_is_201_then_200_with_an_operation_URL_a_running_write_is_409_and_DELETE_goes_202_then_204()
    {
        var path = $"{Aks}/providers/Microsoft.KubernetesConfiguration/extensions/azureml?api-version={ExtensionsApi}";
        var body = new { properties = new { extensionType = "Microsoft.AzureML.Kubernetes", configurationSettings = new { enableTraining = "true" } } };

        using var created = await _client.PutAsJsonAsync(path, body);
        var operationUrl = created.Headers.GetValues("Azure-AsyncOperation").Single();
        using var busy = await _client.PutAsJsonAsync(path, body);
        var running = await Json(await _client.GetAsync(operationUrl));
        _server.State.CompleteOperations();
        var done = await Json(await _client.GetAsync(operationUrl));
        using var replaced = await _client.PutAsJsonAsync(path, body);
        _server.State.CompleteOperations();
        using var deleting = await _client.DeleteAsync(path);
        _server.State.CompleteOperations();
        using var gone = await _client.DeleteAsync(path);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Creating", (await Json(created))["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.Equal("InProgress", running["status"]!.GetValue<string>());
        Assert.Equal("Succeeded", done["status"]!.GetValue<string>());
        Assert.EndsWith("/extensions/azureml/operations/" + done["name"]!.GetValue<string>(), done["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("Updating", (await Json(replaced))["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, deleting.StatusCode);
        Assert.True(deleting.Headers.Contains("Azure-AsyncOperation"));
        Assert.Equal(HttpStatusCode.NoContent, gone.StatusCode);
    }

    [Fact]
    public async Task The_request_log_counts_by_method_and_operation_name()
    {
        await _client.GetAsync($"{Aks}?api-version=2024-09-01");
        await _client.GetAsync($"{Aks}?api-version=2024-09-01");
        await _client.GetAsync($"{Aks}/providers/Microsoft.KubernetesConfiguration/extensions?api-version={ExtensionsApi}");

        var counts = _server.State.Requests.CountsByRoute();

        Assert.Equal(2, counts["GET Clusters_Get"]);
        Assert.Equal(1, counts["GET Extensions_List"]);
        Assert.Equal(2, _server.State.Requests.Count("GET", "Clusters_Get"));
    }

    [Fact]
    public async Task Random_faults_drawn_from_the_same_seed_hit_the_same_requests()
    {
        async Task<int[]> RunAsync()
        {
            _server.State.Faults.Clear();
            _server.State.Faults.Seed(42);
            _server.State.Faults.Add(new FaultRule(FaultKind.InternalServerError) { Probability = 0.5 });
            var statuses = new List<int>();
            for (var i = 0; i < 12; i++)
            {
                using var response = await _client.GetAsync($"{Aks}?api-version=2024-09-01");
                statuses.Add((int)response.StatusCode);
            }

            return statuses.ToArray();
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Equal(first, second);
        Assert.Contains(500, first);
        Assert.Contains(200, first);
    }

    [Fact]
    public async Task A_latency_fault_delays_the_answer_without_hiding_the_fault_behind_it_and_a_scripted_fault_retires_after_its_count()
    {
        _server.State.Faults.Add(new FaultRule(FaultKind.Latency) { PathPattern = "managedClusters/aks-demo$", Times = 1, Latency = TimeSpan.FromMilliseconds(300) });
        _server.State.Faults.Add(new FaultRule(FaultKind.ServiceUnavailable) { PathPattern = "managedClusters/aks-demo$", Times = 1, RetryAfterSeconds = 7 });

        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var slow = await _client.GetAsync($"{Aks}?api-version=2024-09-01");
        var slowTook = watch.Elapsed;
        using var unavailable = await _client.GetAsync($"{Aks}?api-version=2024-09-01");
        using var fine = await _client.GetAsync($"{Aks}?api-version=2024-09-01");

        // Latency adds to whatever else the request gets: the first answer is both late and the 503.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, slow.StatusCode);
        Assert.True(slowTook >= TimeSpan.FromMilliseconds(250));
        Assert.Equal("7", slow.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.OK, unavailable.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task Writes_and_reads_report_their_remaining_budget()
    {
        using var read = await _client.GetAsync($"{Aks}?api-version=2024-09-01");
        using var write = await _client.PostAsync($"/subscriptions/{EmulatorState.DefaultSubscriptionId}/providers/Microsoft.Relay/register?api-version=2022-09-01", new StringContent(string.Empty));

        Assert.Equal("11999", read.Headers.GetValues("x-ms-ratelimit-remaining-subscription-reads").Single());
        Assert.Equal("1199", write.Headers.GetValues("x-ms-ratelimit-remaining-subscription-writes").Single());
    }

    [Fact]
    public async Task The_default_seed_has_the_clusters_workspaces_identity_registry_and_storage()
    {
        var group = $"/subscriptions/{EmulatorState.DefaultSubscriptionId}/resourceGroups/rg-demo/providers";
        var paths = new[]
        {
            $"{group}/Microsoft.ContainerService/managedClusters/aks-demo?api-version=2024-09-01",
            $"{group}/Microsoft.Kubernetes/connectedClusters/arc-demo?api-version=2024-01-01",
            $"{group}/Microsoft.Kubernetes/connectedClusters/arc-ocp?api-version=2024-01-01",
            $"{group}/Microsoft.MachineLearningServices/workspaces/ws-demo?api-version=2024-10-01",
            $"{group}/Microsoft.MachineLearningServices/workspaces/ws-uai?api-version=2024-10-01",
            $"{group}/Microsoft.ManagedIdentity/userAssignedIdentities/id-demo?api-version=2023-01-31",
            $"{group}/Microsoft.ContainerRegistry/registries/acrdemo?api-version=2023-07-01",
            $"{group}/Microsoft.Storage/storageAccounts/stdemo?api-version=2023-05-01",
        };

        foreach (var path in paths)
        {
            using var response = await _client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, path);
        }

        var arc = await Json(await _client.GetAsync(paths[1]));
        Assert.Equal(2, arc["properties"]!["totalNodeCount"]!.GetValue<int>());
        var missing = await _client.GetAsync($"{group}/Microsoft.Storage/storageAccounts/nope?api-version=2023-05-01");
        Assert.Equal("ResourceNotFound", (await Error(missing))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_role_assignment_name_that_is_not_a_GUID_and_an_unknown_role_are_rejected()
    {
        var scope = $"/subscriptions/{EmulatorState.DefaultSubscriptionId}/resourceGroups/rg-demo";
        var body = new { properties = new { roleDefinitionId = $"/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/{Guid.NewGuid()}", principalId = Guid.NewGuid().ToString() } };

        using var badName = await _client.PutAsJsonAsync($"{scope}/providers/Microsoft.Authorization/roleAssignments/not-a-guid?api-version=2022-04-01", body);
        using var badRole = await _client.PutAsJsonAsync($"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version=2022-04-01", body);

        Assert.Equal("InvalidRoleAssignmentId", (await Error(badName))["code"]!.GetValue<string>());
        Assert.Equal("RoleDefinitionDoesNotExist", (await Error(badRole))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_path_no_provider_serves_is_NoRegisteredProviderFound()
    {
        using var response = await _client.GetAsync($"/subscriptions/{EmulatorState.DefaultSubscriptionId}/resourceGroups/rg-demo/providers/Microsoft.Contoso?api-version=2022-09-01&x=1");
        using var unknown = await _client.DeleteAsync($"/subscriptions/{EmulatorState.DefaultSubscriptionId}/resourceGroups/rg-demo?api-version=2022-09-01");

        Assert.Equal("NoRegisteredProviderFound", (await Error(response))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("NoRegisteredProviderFound", (await Error(unknown))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_api_versions_other_clients_pin_are_served_the_Azure_CLIs_among_them()
    {
        var arc = Aks.Replace("Microsoft.ContainerService/managedClusters/aks-demo", "Microsoft.Kubernetes/connectedClusters/arc-demo", StringComparison.Ordinal);

        // The Azure CLI's AzureML logic reads the cluster with these (utils.get_cluster_rp_api_version).
        using var aks = await _client.GetAsync($"{Aks}?api-version=2022-11-01");
        using var connected = await _client.GetAsync($"{arc}?api-version=2021-10-01");
        using var preview = await _client.GetAsync($"{Aks}?api-version=2022-11-02-preview");

        Assert.Equal(HttpStatusCode.OK, aks.StatusCode);
        Assert.Equal(HttpStatusCode.OK, connected.StatusCode);
        Assert.Equal("InvalidApiVersionParameter", (await Error(preview))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Relay_and_Service_Bus_PUTs_answer_with_the_status_codes_of_their_specs()
    {
        var group = $"/subscriptions/{EmulatorState.DefaultSubscriptionId}/resourceGroups/rg-demo/providers";
        var relay = $"{group}/Microsoft.Relay/namespaces/relay1";
        var bus = $"{group}/Microsoft.ServiceBus/namespaces/bus1";
        var location = new { location = "eastus", sku = new { name = "Standard" } };

        var statuses = new List<HttpStatusCode>();
        foreach (var (path, body) in new (string, object)[]
        {
            ($"{relay}?api-version=2017-04-01", location),
            ($"{relay}?api-version=2017-04-01", location),
            ($"{relay}/hybridConnections/arc?api-version=2017-04-01", new { properties = new { requiresClientAuthorization = true } }),
            ($"{relay}/hybridConnections/arc?api-version=2017-04-01", new { properties = new { requiresClientAuthorization = true } }),
            ($"{relay}/hybridConnections/arc/authorizationRules/azureml_rw?api-version=2017-04-01", new { properties = new { rights = new[] { "Listen" } } }),
            ($"{bus}?api-version=2021-11-01", location),
            ($"{bus}/topics/t1?api-version=2021-11-01", new { properties = new { maxSizeInMegabytes = 5120 } }),
            ($"{bus}/topics/t1/subscriptions/s1?api-version=2021-11-01", new { properties = new { maxDeliveryCount = 1 } }),
        })
        {
            using var response = await _client.PutAsJsonAsync(path, body);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(
            new[] { HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK },
            statuses);

        // A new Service Bus namespace has Azure's RootManageSharedAccessKey rule, listed and with keys.
        var rules = await Json(await _client.GetAsync($"{bus}/authorizationRules?api-version=2021-11-01"));
        Assert.Equal("RootManageSharedAccessKey", rules["value"]![0]!["name"]!.GetValue<string>());
        using var keys = await _client.PostAsync($"{bus}/authorizationRules/RootManageSharedAccessKey/listKeys?api-version=2021-11-01", null);
        Assert.StartsWith("Endpoint=sb://bus1.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;", (await Json(keys))["primaryConnectionString"]!.GetValue<string>());
        var topics = await Json(await _client.GetAsync($"{bus}/topics?api-version=2021-11-01"));
        Assert.Single(topics["value"]!.AsArray());
    }

    [Fact]
    public async Task Clients_that_list_subscriptions_and_tenants_at_sign_in_get_them()
    {
        var subscriptions = await Json(await _client.GetAsync("/subscriptions?api-version=2022-12-01"));
        var tenants = await Json(await _client.GetAsync("/tenants?api-version=2022-12-01"));

        Assert.Equal(EmulatorState.DefaultSubscriptionId, subscriptions["value"]![0]!["subscriptionId"]!.GetValue<string>());
        Assert.Equal(EmulatorState.DefaultTenantId, tenants["value"]![0]!["tenantId"]!.GetValue<string>());
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(), documentOptions: default) ?? new JsonObject();

    private static async Task<JsonNode> Error(HttpResponseMessage response) => (await Json(response))["error"]!;
}
