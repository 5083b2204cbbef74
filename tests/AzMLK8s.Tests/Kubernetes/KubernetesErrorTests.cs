using System.Net;
using System.Net.Sockets;
using System.Text;
using AzMLK8s.Emulator.Kubernetes;
using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Engine.Kubernetes.Transport;
using AzMLK8s.Model;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Kubernetes;

/// <summary>How API answers and transport failures become ModuleErrors, and that no credential leaks into them.</summary>
public sealed class KubernetesErrorTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public KubernetesErrorTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
    }

    [Theory]
    [InlineData(401, "Unauthorized", KubernetesErrorIds.Unauthorized, ErrorKind.AuthenticationError)]
    [InlineData(403, "Forbidden", KubernetesErrorIds.Forbidden, ErrorKind.PermissionDenied)]
    [InlineData(404, "NotFound", KubernetesErrorIds.NotFound, ErrorKind.ObjectNotFound)]
    [InlineData(409, "AlreadyExists", KubernetesErrorIds.AlreadyExists, ErrorKind.ResourceExists)]
    [InlineData(409, "Conflict", KubernetesErrorIds.Conflict, ErrorKind.ResourceBusy)]
    [InlineData(422, "Invalid", KubernetesErrorIds.Invalid, ErrorKind.InvalidArgument)]
    [InlineData(429, "TooManyRequests", KubernetesErrorIds.TooManyRequests, ErrorKind.LimitsExceeded)]
    [InlineData(500, "InternalError", KubernetesErrorIds.ServerError, ErrorKind.ResourceUnavailable)]
    [InlineData(302, null, KubernetesErrorIds.UnexpectedResponse, ErrorKind.ProtocolError)]
    public void Status_codes_and_reasons_map_to_stable_error_ids(int code, string? reason, string errorId, ErrorKind kind)
    {
        var body = reason is null ? "<html>moved</html>" : $"{{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"server says {reason}\",\"reason\":\"{reason}\",\"code\":{code}}}";

        var error = KubernetesErrorMapper.FromResponse((HttpStatusCode)code, body, "get namespace 'x'", new Uri("https://k.example/"), "Namespace 'x'");

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(kind, error.Category);
        Assert.Contains("could not get namespace 'x'", error.Message);
        Assert.Contains(reason is null ? "HTTP 302" : $"server says {reason}", error.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.RecommendedAction));
        Assert.Equal("Namespace 'x'", error.TargetObject);
    }

    [Fact]
    public async Task Writes_by_a_read_only_user_are_PermissionDenied_with_the_RBAC_message()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        var token = cluster.Kubernetes.Access.IssueToken("reader", readOnly: true);
        using var client = KubernetesTestSupport.ConnectWithUser(_emulator.Server, cluster, $"    token: {token}");

        Assert.True(await client.NamespaceExistsAsync("team-a"));
        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.CreateNamespaceAsync("azureml"))).Error;

        Assert.Equal(KubernetesErrorIds.Forbidden, error.ErrorId);
        Assert.Equal(ErrorKind.PermissionDenied, error.Category);
        Assert.Contains("User \"reader\" cannot create resource \"namespaces\"", error.Message);
        Assert.DoesNotContain(token, error.ToString());
    }

    [Fact]
    public async Task An_API_server_nobody_listens_on_is_a_ConnectionError_callers_can_skip_on()
    {
        var port = UnusedPort();
        var yaml = $"""
            current-context: c
            clusters:
            - name: k
              cluster:
                server: https://127.0.0.1:{port}
            contexts:
            - name: c
              context:
                cluster: k
                user: u
            users:
            - name: u
              user:
                token: canary-token-unreachable-1234
            """;
        using var client = KubernetesConnector.FromKubeconfig(Encoding.UTF8.GetBytes(yaml), "test", null, new RecordingHost(),
            new KubernetesClientOptions { RetryDelay = TimeSpan.FromMilliseconds(1) });

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.ListNodesAsync())).Error;

        Assert.Equal(KubernetesErrorIds.ApiUnreachable, error.ErrorId);
        Assert.Equal(ErrorKind.ConnectionError, error.Category);
        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.DoesNotContain("canary-token-unreachable-1234", error.ToString());
    }

    [Fact]
    public async Task A_request_that_outlives_its_timeout_is_OperationTimeout()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.ResponseDelay = TimeSpan.FromSeconds(30);
        using var client = KubernetesTestSupport.Connect(_emulator.Server, cluster, new RecordingHost(),
            options: new KubernetesClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(200), RetryDelay = TimeSpan.FromMilliseconds(1) });

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.ListNodesAsync())).Error;

        Assert.Equal(KubernetesErrorIds.RequestTimeout, error.ErrorId);
        Assert.Equal(ErrorKind.OperationTimeout, error.Category);
    }

    [Fact]
    public async Task Cancellation_stops_a_waiting_request_as_a_cancellation_not_an_error()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        cluster.Kubernetes.ResponseDelay = TimeSpan.FromSeconds(30);
        using var client = KubernetesTestSupport.Connect(_emulator.Server, cluster, new RecordingHost());
        using var stop = new CancellationTokenSource();

        var list = client.ListNodesAsync(cancellationToken: stop.Token);
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => list);
    }

    [Fact]
    public async Task Cancellation_stops_a_running_exec_plugin()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var temp = new TempDirectory();
        var plugin = temp.WriteScript("slow", "#!/bin/sh\nsleep 30\n");
        using var client = KubernetesTestSupport.ConnectWithUser(_emulator.Server, cluster, KubernetesTestSupport.ExecUser(plugin));
        using var stop = new CancellationTokenSource();

        var list = client.ListNodesAsync(cancellationToken: stop.Token);
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => list);
    }

    [Fact]
    public async Task An_exec_plugin_that_hangs_fails_after_its_timeout()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var temp = new TempDirectory();
        var plugin = temp.WriteScript("slow", "#!/bin/sh\nsleep 30\n");
        using var client = KubernetesTestSupport.ConnectWithUser(_emulator.Server, cluster, KubernetesTestSupport.ExecUser(plugin),
            options:
            new KubernetesClientOptions { ExecPluginTimeout = TimeSpan.FromMilliseconds(300) });

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.ListNodesAsync())).Error;

        Assert.Equal(KubernetesErrorIds.ExecPluginFailed, error.ErrorId);
        Assert.Contains("did not finish within", error.Message);
    }

    [Fact]
    public async Task Credentials_never_reach_the_host_streams_or_error_texts()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        var issued = cluster.Kubernetes.Access.IssueClientCertificate("canary-user");
        var token = cluster.Kubernetes.Access.UserToken;
        var host = new RecordingHost();
        using var certificateClient = KubernetesTestSupport.ConnectWithUser(_emulator.Server, cluster, $"""
                client-certificate-data: {KubernetesTestSupport.Base64(issued.CertificatePem)}
                client-key-data: {KubernetesTestSupport.Base64(issued.PrivateKeyPem)}
            """, host);
        using var tokenClient = KubernetesTestSupport.ConnectWithUser(_emulator.Server, cluster, $"    token: {token}", host);

        await certificateClient.ListNodesAsync();
        await tokenClient.ListNodesAsync();
        var errors = new List<ModuleError>
        {
            (await Assert.ThrowsAsync<ModuleErrorException>(() => certificateClient.GetNamespaceAsync("missing"))).Error,
            (await Assert.ThrowsAsync<ModuleErrorException>(() => tokenClient.CreateNamespaceAsync("team-a"))).Error,
        };
        cluster.Kubernetes.Access.RevokeToken(token);
        errors.Add((await Assert.ThrowsAsync<ModuleErrorException>(() => tokenClient.ListNodesAsync())).Error);
        errors.ForEach(host.WriteError);

        var keyBody = issued.PrivateKeyPem.Split('\n')[1];
        var everything = host.AllText + string.Join("\n", errors.Select(e => e.ToString() + e.RecommendedAction + e.InnerException));
        Assert.DoesNotContain(token, everything);
        Assert.DoesNotContain(keyBody, everything);
        Assert.DoesNotContain(KubernetesTestSupport.Base64(issued.PrivateKeyPem), everything);
        Assert.Contains(host.Verbose, v => v.Contains(cluster.KubernetesApiPath, StringComparison.Ordinal));
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
