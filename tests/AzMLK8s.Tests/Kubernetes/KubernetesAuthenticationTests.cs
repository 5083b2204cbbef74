using System.Text;
using AzMLK8s.Emulator.Kubernetes;
using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Engine.Kubernetes.Authentication;
using AzMLK8s.Model;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Kubernetes;

/// <summary>Token, client-certificate and exec-plugin authentication against the emulator, and TLS validation.</summary>
public sealed class KubernetesAuthenticationTests : IClassFixture<EmulatorFixture>
{
    private const string V1 = ExecCredentialPlugin.ApiVersionV1;
    private readonly EmulatorFixture _emulator;

    public KubernetesAuthenticationTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
    }

    [Fact]
    public async Task A_token_user_is_accepted()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var client = KubernetesTestSupport.Connect(_emulator.Server, cluster, new RecordingHost(), KubeconfigUserMode.Token);

        Assert.True(await client.NamespaceExistsAsync("kube-system"));
    }

    [Theory]
    [InlineData(ClientKeyAlgorithm.Rsa)]
    [InlineData(ClientKeyAlgorithm.EcdsaP256)]
    public async Task A_client_certificate_user_is_accepted_with_RSA_and_EC_keys(ClientKeyAlgorithm algorithm)
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        var issued = cluster.Kubernetes.Access.IssueClientCertificate("cert-user", "system:masters", algorithm);
        var yaml = KubernetesTestSupport.KubeconfigWithUser(_emulator.Server, cluster, $"""
                client-certificate-data: {KubernetesTestSupport.Base64(issued.CertificatePem)}
                client-key-data: {KubernetesTestSupport.Base64(issued.PrivateKeyPem)}
            """);
        using var client = KubernetesConnector.FromKubeconfig(Encoding.UTF8.GetBytes(yaml), "test", null, new RecordingHost());

        Assert.Equal(3, (await client.ListNodesAsync()).Count);
    }

    [Fact]
    public async Task Client_certificate_and_key_files_are_read_relative_to_the_kubeconfig_file()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var temp = new TempDirectory();
        var issued = cluster.Kubernetes.Access.IssueClientCertificate("file-user");
        temp.Write("pki/client.crt", issued.CertificatePem);
        temp.Write("pki/client.key", issued.PrivateKeyPem);
        temp.Write("pki/ca.crt", KubernetesTestSupport.ServerCertificatePem(_emulator.Server));
        var path = temp.Write("config", $"""
            current-context: c
            clusters:
            - name: k
              cluster:
                server: {new Uri(_emulator.Server.BaseAddress, cluster.KubernetesApiPath).AbsoluteUri}
                certificate-authority: pki/ca.crt
            contexts:
            - name: c
              context:
                cluster: k
                user: u
            users:
            - name: u
              user:
                client-certificate: pki/client.crt
                client-key: pki/client.key
            """);
        using var client = KubernetesConnector.FromKubeconfigFile(path, null, new RecordingHost());

        Assert.True(await client.NamespaceExistsAsync("team-a"));
    }

    [Fact]
    public async Task A_token_the_cluster_does_not_know_is_Unauthorized()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var client = KubernetesTestSupport.ConnectWithUser(_emulator.Server, cluster, "    token: not-a-token-of-this-cluster");

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.ListNodesAsync())).Error;

        Assert.Equal(KubernetesErrorIds.Unauthorized, error.ErrorId);
        Assert.Equal(ErrorKind.AuthenticationError, error.Category);
        Assert.DoesNotContain("not-a-token-of-this-cluster", error.ToString() + error.RecommendedAction);
    }

    [Fact]
    public async Task An_exec_plugin_token_is_used_and_cached_until_it_expires()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        var token = cluster.Kubernetes.Access.IssueToken("exec-user");
        using var temp = new TempDirectory();
        temp.WriteExecPlugin("bin/get-token", TempDirectory.ExecCredentialJson(V1, token, expiresOn: DateTimeOffset.UtcNow.AddHours(1)));
        var path = temp.Write("config", KubernetesTestSupport.KubeconfigWithUser(_emulator.Server, cluster, $"""
                exec:
                  apiVersion: {V1}
                  command: ./bin/get-token
                  args: [get-token, --server-id, abc]
            """));
        using var client = KubernetesConnector.FromKubeconfigFile(path, null, new RecordingHost());

        await client.ListNodesAsync();
        await client.ListPodsAsync("kube-system");

        Assert.Equal(1, temp.PluginRuns);
        Assert.Contains("\"interactive\":false", temp.ExecInfo);
        Assert.Contains($"\"apiVersion\":\"{V1}\"", temp.ExecInfo);
        Assert.DoesNotContain("\"cluster\"", temp.ExecInfo);
    }

    [Fact]
    public async Task An_exec_plugin_that_asks_for_cluster_info_gets_the_server_in_KUBERNETES_EXEC_INFO()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var temp = new TempDirectory();
        var plugin = temp.WriteExecPlugin("get-token", TempDirectory.ExecCredentialJson(V1, cluster.Kubernetes.Access.UserToken));
        using var withInfo = KubernetesTestSupport.ConnectWithUser(_emulator.Server, cluster,
            KubernetesTestSupport.ExecUser(plugin, V1, "      provideClusterInfo: true\n"));

        await withInfo.ListNodesAsync();

        var spec = System.Text.Json.Nodes.JsonNode.Parse(temp.ExecInfo!)!["spec"]!;
        Assert.Equal(new Uri(_emulator.Server.BaseAddress, cluster.KubernetesApiPath).AbsoluteUri, spec["cluster"]!["server"]!.GetValue<string>());
        Assert.NotNull(spec["cluster"]!["certificate-authority-data"]);
    }

    [Fact]
    public async Task An_expired_exec_credential_runs_the_plugin_again()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        var token = cluster.Kubernetes.Access.IssueToken("exec-user");
        using var temp = new TempDirectory();
        var plugin = temp.WriteExecPlugin("get-token", TempDirectory.ExecCredentialJson(ExecCredentialPlugin.ApiVersionV1Beta1, token, expiresOn: DateTimeOffset.UtcNow.AddMinutes(-1)));
        using var client = KubernetesTestSupport.ConnectWithUser(_emulator.Server, cluster, KubernetesTestSupport.ExecUser(plugin, ExecCredentialPlugin.ApiVersionV1Beta1));

        await client.ListNodesAsync();
        await client.ListNodesAsync();

        Assert.Equal(2, temp.PluginRuns);
    }

    [Fact]
    public async Task A_401_makes_the_exec_plugin_run_again_once()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        var token = cluster.Kubernetes.Access.IssueToken("exec-user");
        using var temp = new TempDirectory();
        var plugin = temp.WriteExecPlugin("get-token", TempDirectory.ExecCredentialJson(V1, token));
        using var client = KubernetesTestSupport.ConnectWithUser(_emulator.Server, cluster, KubernetesTestSupport.ExecUser(plugin, V1));
        await client.ListNodesAsync();

        cluster.Kubernetes.Access.RevokeToken(token);
        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.ListNodesAsync())).Error;

        Assert.Equal(KubernetesErrorIds.Unauthorized, error.ErrorId);
        Assert.Equal(2, temp.PluginRuns);
    }

    [Fact]
    public async Task An_exec_plugin_can_return_a_client_certificate()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        var issued = cluster.Kubernetes.Access.IssueClientCertificate("exec-cert-user", algorithm: ClientKeyAlgorithm.EcdsaP256);
        using var temp = new TempDirectory();
        var plugin = temp.WriteExecPlugin("get-cert", TempDirectory.ExecCredentialJson(V1, certificatePem: issued.CertificatePem, keyPem: issued.PrivateKeyPem));
        using var client = KubernetesTestSupport.ConnectWithUser(_emulator.Server, cluster, KubernetesTestSupport.ExecUser(plugin, V1));

        Assert.True(await client.NamespaceExistsAsync("team-a"));
    }

    [Fact]
    public async Task A_missing_exec_plugin_is_NotInstalled_with_its_install_hint()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        var yaml = KubernetesTestSupport.KubeconfigWithUser(_emulator.Server, cluster, $"""
                exec:
                  apiVersion: {V1}
                  command: azmlk8s-no-such-plugin
                  installHint: Install it with 'brew install no-such-plugin'.
            """);
        using var client = KubernetesConnector.FromKubeconfig(Encoding.UTF8.GetBytes(yaml), "test", null, new RecordingHost());

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.ListNodesAsync())).Error;

        Assert.Equal(KubernetesErrorIds.ExecPluginNotFound, error.ErrorId);
        Assert.Equal(ErrorKind.NotInstalled, error.Category);
        Assert.Contains("azmlk8s-no-such-plugin", error.Message);
        Assert.Equal("Install it with 'brew install no-such-plugin'.", error.RecommendedAction);
    }

    [Fact]
    public async Task A_failing_exec_plugin_is_summarized_without_secrets()
    {
        const string envSecret = "env-secret-canary-31f5";
        const string jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJl";
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var temp = new TempDirectory();
        var plugin = temp.WriteExecPlugin("fail", string.Empty, exitCode: 3,
            stderr: $"error: AADSTS7000215 invalid client secret $AAD_SECRET; cached token {jwt}");
        var yaml = KubernetesTestSupport.KubeconfigWithUser(_emulator.Server, cluster, $"""
                exec:
                  apiVersion: {V1}
                  command: {plugin}
                  env:
                  - name: AAD_SECRET
                    value: {envSecret}
            """);
        var host = new RecordingHost();
        using var client = KubernetesConnector.FromKubeconfig(Encoding.UTF8.GetBytes(yaml), "test", null, host);

        var exception = await Assert.ThrowsAsync<ModuleErrorException>(() => client.ListNodesAsync());
        host.WriteError(exception.Error);

        Assert.Equal(KubernetesErrorIds.ExecPluginFailed, exception.Error.ErrorId);
        Assert.Contains("exited with code 3", exception.Message);
        Assert.Contains("AADSTS7000215", exception.Message);
        var everything = exception.ToString() + exception.Error.RecommendedAction + host.AllText;
        Assert.DoesNotContain(envSecret, everything);
        Assert.DoesNotContain(jwt, everything);
        Assert.DoesNotContain("eyJzdWIiOiJjYW5hcnkifQ", everything);
    }

    [Fact]
    public async Task An_exec_plugin_that_prints_something_else_is_a_clear_failure()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var temp = new TempDirectory();
        var plugin = temp.WriteExecPlugin("wrong", "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"status\":{\"token\":\"x\"}}");
        using var client = KubernetesTestSupport.ConnectWithUser(_emulator.Server, cluster, KubernetesTestSupport.ExecUser(plugin, V1));

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.ListNodesAsync())).Error;

        Assert.Equal(KubernetesErrorIds.ExecPluginFailed, error.ErrorId);
        Assert.Contains($"did not return an ExecCredential of apiVersion {V1}", error.Message);
    }

    [Fact]
    public async Task A_server_certificate_the_kubeconfig_CA_did_not_issue_is_refused()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        using var otherCa = System.Security.Cryptography.ECDsa.Create();
        using var otherCertificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=other-ca", otherCa, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var yaml = KubernetesTestSupport.Kubeconfig(_emulator.Server, cluster).Replace(
            KubernetesTestSupport.Base64(KubernetesTestSupport.ServerCertificatePem(_emulator.Server)),
            KubernetesTestSupport.Base64(otherCertificate.ExportCertificatePem()), StringComparison.Ordinal);
        using var client = KubernetesConnector.FromKubeconfig(Encoding.UTF8.GetBytes(yaml), "test", null, new RecordingHost());

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.ListNodesAsync())).Error;

        Assert.Equal(KubernetesErrorIds.ServerCertificateInvalid, error.ErrorId);
        Assert.Equal(ErrorKind.SecurityError, error.Category);
    }

    [Fact]
    public async Task Without_a_CA_in_the_kubeconfig_the_system_roots_decide_and_the_emulator_is_refused()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        var yaml = KubernetesTestSupport.Kubeconfig(_emulator.Server, cluster).Replace(
            $"    certificate-authority-data: {KubernetesTestSupport.Base64(KubernetesTestSupport.ServerCertificatePem(_emulator.Server))}\n", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("certificate-authority-data", yaml);
        using var client = KubernetesConnector.FromKubeconfig(Encoding.UTF8.GetBytes(yaml), "test", null, new RecordingHost());

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => client.ListNodesAsync())).Error;

        Assert.Equal(KubernetesErrorIds.ServerCertificateInvalid, error.ErrorId);
    }

    [Fact]
    public async Task Insecure_skip_tls_verify_reaches_a_server_no_CA_vouches_for_and_warns()
    {
        var cluster = KubernetesTestSupport.AddCluster(_emulator.Server);
        var server = new Uri(_emulator.Server.BaseAddress, cluster.KubernetesApiPath).AbsoluteUri;
        var yaml = $"""
            current-context: c
            clusters:
            - name: k
              cluster:
                server: {server}
                insecure-skip-tls-verify: true
            contexts:
            - name: c
              context:
                cluster: k
                user: u
            users:
            - name: u
              user:
                token: {cluster.Kubernetes.Access.UserToken}
            """;
        var host = new RecordingHost();
        using var client = KubernetesConnector.FromKubeconfig(Encoding.UTF8.GetBytes(yaml), "test", null, host);

        Assert.True(await client.NamespaceExistsAsync("default"));
        Assert.Contains(host.Warnings, w => w.Contains("insecure-skip-tls-verify", StringComparison.Ordinal));
    }
}
