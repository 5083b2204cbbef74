using System.Net;
using System.Text.Json;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Engine.Kubernetes.Models;
using AzMLK8s.Model;
using AzMLK8s.Tests.Infrastructure;
using k8s.Models;

namespace AzMLK8s.Tests.Kubernetes;

/// <summary>
/// Which transient API answers the Kubernetes client sends a request again after (faults injected by the emulator,
/// counted in its request log), and that writes whose outcome is unknown are never sent again blindly.
/// </summary>
public sealed class KubernetesRetryTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorServer _server;

    public KubernetesRetryTests(EmulatorFixture emulator)
    {
        _server = emulator.Server;
    }

    public static TheoryData<FaultKind, int> TransientFaults => new()
    {
        { FaultKind.TooManyRequests, 1 },
        { FaultKind.ServiceUnavailable, 1 },
        { FaultKind.ServiceUnavailable, 0 },
        { FaultKind.InternalServerError, 0 },
        { FaultKind.ConnectionReset, 0 },
    };

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task A_read_is_sent_again_after_a_transient_answer_and_succeeds(FaultKind kind, int retryAfterSeconds)
    {
        var cluster = KubernetesTestSupport.AddCluster(_server);
        var path = $"{cluster.KubernetesApiPath}/api/v1/namespaces/team-a";
        _server.State.Faults.Add(new FaultRule(kind) { Method = "GET", PathPattern = $"^{path}$", Times = 2, RetryAfterSeconds = retryAfterSeconds });
        using var client = Connect(cluster);

        var ns = await client.GetNamespaceAsync("team-a");

        Assert.Equal("team-a", ns.Name());
        Assert.Equal(3, Requests("GET", path).Count);
        Assert.Equal(200, Requests("GET", path).Last().Status);
    }

    [Theory]
    [InlineData(FaultKind.TooManyRequests)]
    [InlineData(FaultKind.ServiceUnavailable)]
    public async Task A_create_is_sent_again_when_the_server_says_with_Retry_After_that_it_did_not_act(FaultKind kind)
    {
        var cluster = KubernetesTestSupport.AddCluster(_server);
        var path = $"{cluster.KubernetesApiPath}/api/v1/namespaces";
        _server.State.Faults.Add(new FaultRule(kind) { Method = "POST", PathPattern = $"^{path}$", Times = 1, RetryAfterSeconds = 1 });
        using var client = Connect(cluster);

        var created = await client.CreateNamespaceAsync("azureml");

        Assert.Equal("azureml", created.Name());
        Assert.Equal(new[] { kind == FaultKind.TooManyRequests ? 429 : 503, 201 }, Requests("POST", path).Select(r => r.Status));
    }

    [Theory]
    [InlineData(FaultKind.InternalServerError, 0, KubernetesErrorIds.ServerError)]
    [InlineData(FaultKind.ServiceUnavailable, 0, KubernetesErrorIds.ServerError)]
    [InlineData(FaultKind.ConnectionReset, 0, KubernetesErrorIds.ApiUnreachable)]
    public async Task A_create_is_not_sent_again_after_a_failure_that_leaves_its_outcome_unknown(FaultKind kind, int retryAfterSeconds, string errorId)
    {
        var cluster = KubernetesTestSupport.AddCluster(_server);
        var path = $"{cluster.KubernetesApiPath}/api/v1/namespaces";
        _server.State.Faults.Add(new FaultRule(kind) { Method = "POST", PathPattern = $"^{path}$", Times = 1, RetryAfterSeconds = retryAfterSeconds });
        using var client = Connect(cluster);

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.CreateNamespaceAsync("azureml"))).Error;

        Assert.Equal(errorId, error.ErrorId);
        Assert.DoesNotContain("retried", error.Message);
        Assert.False(await client.NamespaceExistsAsync("azureml"));
        Assert.Single(Requests("POST", path));
        AssertNoCredential(cluster, error);
    }

    [Theory]
    [InlineData(FaultKind.ServiceUnavailable, KubernetesErrorIds.ServerError, ErrorKind.ResourceUnavailable, "the server is currently unable to handle the request")]
    [InlineData(FaultKind.InternalServerError, KubernetesErrorIds.ServerError, ErrorKind.ResourceUnavailable, "Internal error occurred")]
    [InlineData(FaultKind.TooManyRequests, KubernetesErrorIds.TooManyRequests, ErrorKind.LimitsExceeded, "Too many requests")]
    [InlineData(FaultKind.ConnectionReset, KubernetesErrorIds.ApiUnreachable, ErrorKind.ConnectionError, "cannot be reached")]
    public async Task A_read_gives_up_after_MaxAttempts_with_the_mapped_error_saying_how_often_it_was_retried(FaultKind kind, string errorId, ErrorKind category, string detail)
    {
        var cluster = KubernetesTestSupport.AddCluster(_server);
        var path = $"{cluster.KubernetesApiPath}/api/v1/nodes";
        _server.State.Faults.Add(new FaultRule(kind) { Method = "GET", PathPattern = $"^{path}$", RetryAfterSeconds = 0 });
        using var client = Connect(cluster, maxAttempts: 3);

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.ListNodesAsync())).Error;

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(category, error.Category);
        Assert.Contains(detail, error.Message);
        Assert.EndsWith("(retried 2 times)", error.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.RecommendedAction));
        await client.GetVersionAsync();
        Assert.Equal(3, Requests("GET", path).Count);
        AssertNoCredential(cluster, error);
    }

    [Fact]
    public async Task An_attempt_that_times_out_is_not_sent_again_and_fails_as_RequestTimeout()
    {
        var cluster = KubernetesTestSupport.AddCluster(_server);
        cluster.Kubernetes.ResponseDelay = TimeSpan.FromSeconds(30);
        using var client = Connect(cluster, maxAttempts: 5, requestTimeout: TimeSpan.FromMilliseconds(200));

        var read = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.ListNodesAsync())).Error;
        var write = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.CreateNamespaceAsync("azureml"))).Error;

        Assert.Equal(KubernetesErrorIds.RequestTimeout, read.ErrorId);
        Assert.DoesNotContain("retried", read.Message);
        Assert.Equal(KubernetesErrorIds.RequestTimeout, write.ErrorId);
        Assert.DoesNotContain("retried", write.Message);
    }

    [Fact]
    public async Task Cancellation_during_a_Retry_After_wait_ends_the_call_as_a_cancellation()
    {
        var cluster = KubernetesTestSupport.AddCluster(_server);
        var path = $"{cluster.KubernetesApiPath}/api/v1/namespaces/team-a";
        _server.State.Faults.Add(new FaultRule(FaultKind.TooManyRequests) { Method = "GET", PathPattern = $"^{path}$", RetryAfterSeconds = 60 });
        // Were the wait not cancelled, the second attempt's 429 would end the call as a ModuleErrorException instead.
        using var client = Connect(cluster, maxAttempts: 2, maxRetryDelay: TimeSpan.FromMinutes(5));
        using var stop = new CancellationTokenSource();

        var read = client.GetNamespaceAsync("team-a", stop.Token);
        while (Requests("GET", path).Count == 0 && !read.IsCompleted)
        {
            await Task.Delay(10);
        }

        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
        Assert.Single(Requests("GET", path));
    }

    [Fact]
    public async Task EnsureNamespace_reads_back_a_create_whose_answer_was_lost_instead_of_sending_it_again()
    {
        var cluster = KubernetesTestSupport.AddCluster(_server);
        var path = $"{cluster.KubernetesApiPath}/api/v1/namespaces";
        using var client = KubernetesTestSupport.ConnectThrough(_server, cluster, new LoseFirstAnswerHandler(HttpMethod.Post), FastOptions());

        var created = await client.EnsureNamespaceAsync("azureml");

        Assert.True(created);
        Assert.True(await client.NamespaceExistsAsync("azureml"));
        Assert.Single(Requests("POST", path));
        Assert.False(await client.EnsureNamespaceAsync("azureml"));
        Assert.Single(Requests("POST", path));
    }

    [Fact]
    public async Task EnsureNamespace_creates_again_when_a_dropped_create_did_not_land()
    {
        var cluster = KubernetesTestSupport.AddCluster(_server);
        var path = $"{cluster.KubernetesApiPath}/api/v1/namespaces";
        _server.State.Faults.Add(new FaultRule(FaultKind.ConnectionReset) { Method = "POST", PathPattern = $"^{path}$", Times = 1 });
        using var client = Connect(cluster);

        var created = await client.EnsureNamespaceAsync("azureml");

        Assert.True(created);
        Assert.True(await client.NamespaceExistsAsync("azureml"));
        Assert.Equal(new[] { 0, 201 }, Requests("POST", path).Select(r => r.Status));
    }

    [Fact]
    public async Task An_SCC_patch_whose_answer_was_lost_is_read_back_and_reported_as_added()
    {
        var cluster = KubernetesTestSupport.AddCluster(_server, "openshift", ClusterKind.Connected);
        using var client = KubernetesTestSupport.ConnectThrough(_server, cluster, new LoseFirstAnswerHandler(HttpMethod.Patch), FastOptions());
        var user = SecurityContextConstraints.ServiceAccountUser("azureml", "azureml-kube-state-metrics");

        var added = await client.AddUserToSecurityContextConstraintsAsync("privileged", user);

        Assert.True(added);
        Assert.Single((await client.GetSecurityContextConstraintsAsync("privileged")).Users!, u => u == user);
        Assert.Single(Requests("PATCH", $"{cluster.KubernetesApiPath}/apis/security.openshift.io/v1/securitycontextconstraints/privileged"));
    }

    [Theory]
    [InlineData(FaultKind.TooManyRequests, 3, 429, "TooManyRequests", "3")]
    [InlineData(FaultKind.ServiceUnavailable, 2, 503, "ServiceUnavailable", "2")]
    [InlineData(FaultKind.ServiceUnavailable, 0, 503, "ServiceUnavailable", null)]
    [InlineData(FaultKind.InternalServerError, 0, 500, "InternalError", null)]
    public async Task Injected_faults_on_a_cluster_API_are_answered_with_a_Kubernetes_Status(FaultKind kind, int retryAfterSeconds, int code, string reason, string? retryAfter)
    {
        var cluster = KubernetesTestSupport.AddCluster(_server);
        var path = $"{cluster.KubernetesApiPath}/api/v1/namespaces";
        _server.State.Faults.Add(new FaultRule(kind) { PathPattern = $"^{path}$", Times = 1, RetryAfterSeconds = retryAfterSeconds });
        using var http = KubernetesTestSupport.PinnedHttpClient(_server);

        using var response = await http.GetAsync(path);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = status.RootElement;

        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal(retryAfter, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString());
        Assert.Equal("Status", root.GetProperty("kind").GetString());
        Assert.Equal("v1", root.GetProperty("apiVersion").GetString());
        Assert.Equal("Failure", root.GetProperty("status").GetString());
        Assert.Equal(reason, root.GetProperty("reason").GetString());
        Assert.Equal(code, root.GetProperty("code").GetInt32());
        Assert.False(root.TryGetProperty("error", out _));
        var details = root.TryGetProperty("details", out var d) ? d : default;
        Assert.Equal(retryAfter, details.ValueKind == JsonValueKind.Object && details.TryGetProperty("retryAfterSeconds", out var s) ? s.GetInt32().ToString() : null);
    }

    private static KubernetesClientOptions FastOptions(int maxAttempts = 5, TimeSpan? requestTimeout = null, TimeSpan? maxRetryDelay = null) => new()
    {
        MaxAttempts = maxAttempts,
        RetryDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = maxRetryDelay ?? TimeSpan.FromMilliseconds(20),
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30),
    };

    private static void AssertNoCredential(EmulatedCluster cluster, ModuleError error) =>
        Assert.DoesNotContain(cluster.Kubernetes.Access.UserToken, error.ToString() + error.RecommendedAction + error.InnerException);

    private KubernetesClient Connect(EmulatedCluster cluster, int maxAttempts = 5, TimeSpan? requestTimeout = null, TimeSpan? maxRetryDelay = null) =>
        KubernetesTestSupport.Connect(_server, cluster, new RecordingHost(), options: FastOptions(maxAttempts, requestTimeout, maxRetryDelay));

    private List<LoggedRequest> Requests(string method, string path) =>
        _server.State.Requests.Entries.Where(e => e.Method == method && e.Path == path).ToList();

    /// <summary>Lets the first request of a method reach the server, then drops its answer as a reset connection would.</summary>
    private sealed class LoseFirstAnswerHandler : DelegatingHandler
    {
        private readonly HttpMethod _method;
        private int _lost;

        public LoseFirstAnswerHandler(HttpMethod method)
        {
            _method = method;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method == _method && Interlocked.Exchange(ref _lost, 1) == 0)
            {
                response.Dispose();
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely (test).");
            }

            return response;
        }
    }
}
