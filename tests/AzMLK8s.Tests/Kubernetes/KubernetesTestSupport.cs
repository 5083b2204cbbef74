using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Azure.Core;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.Kubernetes;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Tests.Infrastructure;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Tests.Kubernetes;

/// <summary>Shared pieces of the Kubernetes tests: fresh emulated clusters, kubeconfigs for them, temp files, fakes.</summary>
internal static class KubernetesTestSupport
{
    /// <summary>A new cluster with a unique name (so a test can change it freely), seeded like the default ones.</summary>
    public static EmulatedCluster AddCluster(EmulatorServer server, string distribution = "aks", ClusterKind kind = ClusterKind.Managed, int nodes = 3)
    {
        var cluster = new EmulatedCluster(EmulatorState.DefaultSubscriptionId, EmulatorState.DefaultResourceGroup,
            $"k8s-{Guid.NewGuid():N}"[..16], kind, nodes) { Distribution = distribution };
        cluster.Kubernetes.EnsureNamespace("team-a");
        KubernetesClusterSeed.Apply(cluster);
        return server.State.AddCluster(cluster);
    }

    public static string ServerCertificatePem(EmulatorServer server) => server.Certificate.ExportCertificatePem();

    public static string Kubeconfig(EmulatorServer server, EmulatedCluster cluster, KubeconfigUserMode mode = KubeconfigUserMode.Token) =>
        KubeconfigWriter.Write(cluster, server.BaseAddress, ServerCertificatePem(server), mode, ClusterCredentialApi.TenantId);

    public static KubernetesClient Connect(EmulatorServer server, EmulatedCluster cluster, ICmdletHost host, KubeconfigUserMode mode = KubeconfigUserMode.Token, KubernetesClientOptions? options = null) =>
        KubernetesConnector.FromKubeconfig(Encoding.UTF8.GetBytes(Kubeconfig(server, cluster, mode)), "test kubeconfig", null, host, options);

    /// <summary>A client whose HTTP traffic passes through <paramref name="handler"/> (between the module's transport rules and the socket).</summary>
    public static KubernetesClient ConnectThrough(EmulatorServer server, EmulatedCluster cluster, DelegatingHandler handler, KubernetesClientOptions? options = null) =>
        KubernetesConnector.FromKubeconfig(Encoding.UTF8.GetBytes(Kubeconfig(server, cluster)), "test kubeconfig", null, new RecordingHost(), WithWireHandler(options ?? new(), handler));

    private static KubernetesClientOptions WithWireHandler(KubernetesClientOptions options, DelegatingHandler handler)
    {
        options.WireHandler = handler;
        return options;
    }

    /// <summary>A client for <paramref name="cluster"/> whose kubeconfig user is <paramref name="userYaml"/>.</summary>
    public static KubernetesClient ConnectWithUser(EmulatorServer server, EmulatedCluster cluster, string userYaml, ICmdletHost? host = null, KubernetesClientOptions? options = null) =>
        KubernetesConnector.FromKubeconfig(Encoding.UTF8.GetBytes(KubeconfigWithUser(server, cluster, userYaml)), "test kubeconfig", null, host ?? new RecordingHost(), options);

    /// <summary>The user YAML of an exec credential plugin (extra lines indented like "      env: ...").</summary>
    public static string ExecUser(string command, string apiVersion = "client.authentication.k8s.io/v1", string extraLines = "") =>
        $"    exec:\n      apiVersion: {apiVersion}\n      command: {command}\n{extraLines}";

    /// <summary>A kubeconfig for one cluster whose user is given as YAML lines (indented under "user:").</summary>
    public static string KubeconfigWithUser(EmulatorServer server, EmulatedCluster cluster, string userYaml, string? clusterExtraYaml = null) =>
        $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: emu
          cluster:
            server: {new Uri(server.BaseAddress, cluster.KubernetesApiPath).AbsoluteUri}
            certificate-authority-data: {Base64(ServerCertificatePem(server))}
        {clusterExtraYaml ?? string.Empty}
        contexts:
        - name: emu
          context:
            cluster: emu
            user: u
        current-context: emu
        users:
        - name: u
          user:
        {userYaml}
        """;

    public static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>An HttpClient for the emulator that trusts exactly its certificate (pinned).</summary>
    public static HttpClient PinnedHttpClient(EmulatorServer server, X509Certificate2? clientCertificate = null)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.Thumbprint == server.Certificate.Thumbprint,
        };
        if (clientCertificate is not null)
        {
            handler.ClientCertificateOptions = ClientCertificateOption.Manual;
            handler.ClientCertificates.Add(clientCertificate);
        }

        return new HttpClient(handler) { BaseAddress = server.BaseAddress };
    }
}

/// <summary>A directory under the temp folder, deleted at the end of the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "azmlk8s-tests-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    /// <summary>
    /// A tiny exec credential plugin: a /bin/sh script that logs each run to a file named "runs" next to it, writes
    /// KUBERNETES_EXEC_INFO to "exec-info", prints <paramref name="stdout"/> and exits with <paramref name="exitCode"/>.
    /// </summary>
    public string WriteExecPlugin(string name, string stdout, int exitCode = 0, string? stderr = null)
    {
        var script = new StringBuilder()
            .AppendLine("#!/bin/sh")
            .AppendLine($"echo run >> '{System.IO.Path.Combine(Path, "runs")}'")
            .AppendLine($"printf '%s' \"$KUBERNETES_EXEC_INFO\" > '{System.IO.Path.Combine(Path, "exec-info")}'")
            .AppendLine("cat <<'AZMLK8S_EOF'")
            .AppendLine(stdout)
            .AppendLine("AZMLK8S_EOF");
        if (stderr is not null)
        {
            script.AppendLine($"echo \"{stderr}\" >&2");
        }

        script.AppendLine($"exit {exitCode}");
        return WriteScript(name, script.ToString());
    }

    /// <summary>An executable /bin/sh script.</summary>
    public string WriteScript(string name, string content)
    {
        var path = Write(name, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    public int PluginRuns => File.Exists(System.IO.Path.Combine(Path, "runs")) ? File.ReadAllLines(System.IO.Path.Combine(Path, "runs")).Length : 0;

    public string? ExecInfo => File.Exists(System.IO.Path.Combine(Path, "exec-info")) ? File.ReadAllText(System.IO.Path.Combine(Path, "exec-info")) : null;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string ExecCredentialJson(string apiVersion, string? token = null, string? certificatePem = null, string? keyPem = null, DateTimeOffset? expiresOn = null)
    {
        var status = new Dictionary<string, object?>();
        if (token is not null)
        {
            status["token"] = token;
        }

        if (certificatePem is not null)
        {
            status["clientCertificateData"] = certificatePem;
            status["clientKeyData"] = keyPem;
        }

        if (expiresOn is not null)
        {
            status["expirationTimestamp"] = expiresOn.Value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
        }

        return JsonSerializer.Serialize(new { apiVersion, kind = "ExecCredential", status });
    }
}

/// <summary>An Entra ID credential that hands out unsigned JWTs and records the scopes it was asked for.</summary>
internal sealed class FakeAzureCredential : TokenCredential
{
    private readonly string _audience;

    public FakeAzureCredential(string audience = ClusterAccess.AksServerApplicationId)
    {
        _audience = audience;
    }

    public List<string> RequestedScopes { get; } = new();

    public string? LastToken { get; private set; }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        RequestedScopes.AddRange(requestContext.Scopes);
        LastToken = ClusterAccess.CreateUnsignedJwt(_audience, "alice@contoso.example");
        return ValueTask.FromResult(new AccessToken(LastToken, DateTimeOffset.UtcNow.AddHours(1)));
    }
}

/// <summary>An <see cref="IClusterCredentialSource"/> that returns a fixed kubeconfig and records what was asked.</summary>
internal sealed class FakeClusterCredentialSource : IClusterCredentialSource
{
    private readonly string _kubeconfig;

    public FakeClusterCredentialSource(string kubeconfig)
    {
        _kubeconfig = kubeconfig;
    }

    public List<string> RequestedClusters { get; } = new();

    public Task<byte[]> GetUserKubeconfigAsync(string clusterResourceId, CancellationToken cancellationToken)
    {
        RequestedClusters.Add(clusterResourceId);
        return Task.FromResult(Encoding.UTF8.GetBytes(_kubeconfig));
    }
}

/// <summary>Records every response body the client received (to prove what never crossed the wire).</summary>
internal sealed class BodyRecordingHandler : DelegatingHandler
{
    public List<string> Bodies { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        lock (Bodies)
        {
            Bodies.Add(body);
        }

        var copy = new StringContent(body);
        copy.Headers.ContentType = response.Content.Headers.ContentType;
        response.Content = copy;
        return response;
    }
}
