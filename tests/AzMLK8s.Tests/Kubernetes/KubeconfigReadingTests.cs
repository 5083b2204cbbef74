using System.Text;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Model;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Kubernetes;

/// <summary>
/// Kubeconfigs as the module reads them (the library's reader plus the module's rules): KUBECONFIG merging, contexts,
/// certificate authorities, token files, the kinds of authentication that are refused, and errors without secrets.
/// </summary>
public sealed class KubeconfigReadingTests : IClassFixture<EmulatorFixture>
{
    private const string Canary = "canary-token-5f1c2a9e7d";
    private readonly EmulatorServer _server;

    public KubeconfigReadingTests(EmulatorFixture emulator)
    {
        _server = emulator.Server;
    }

    private static string Config(string currentContext, string suffix, string server, string? token = null, string clusterExtra = "") => $"""
        apiVersion: v1
        kind: Config
        current-context: {currentContext}
        clusters:
        - name: shared
          cluster:
            server: {server}
        {clusterExtra}
        - name: only-{suffix}
          cluster:
            server: https://{suffix}.example:6443
            certificate-authority: certs/ca.crt
        contexts:
        - name: shared
          context:
            cluster: shared
            user: shared
            namespace: ns-{suffix}
        - name: ctx-{suffix}
          context:
            cluster: only-{suffix}
            user: shared
        users:
        - name: shared
          user:
            token: {token ?? "token-" + suffix}
        """;

    [Fact]
    public async Task KUBECONFIG_files_merge_like_kubectl_first_file_wins_names_and_current_context()
    {
        var cluster = KubernetesTestSupport.AddCluster(_server);
        var caData = $"    certificate-authority-data: {KubernetesTestSupport.Base64(KubernetesTestSupport.ServerCertificatePem(_server))}";
        using var temp = new TempDirectory();
        temp.Write("b/certs/ca.crt", CreateCaPem());
        var first = temp.Write("a/config", Config("shared", "a", ApiAddress(cluster), cluster.Kubernetes.Access.UserToken, caData));
        var second = temp.Write("b/config", Config("ctx-b", "b", "https://second.example:6443", "not-a-token-of-this-cluster"));
        var variable = string.Join(Path.PathSeparator, first, Path.Combine(temp.Path, "does-not-exist"), second);

        using var merged = KubernetesConnector.FromEnvironment(variable, temp.Path, null, new RecordingHost(), null);
        // A context only the second file has; its relative certificate-authority is found next to that file.
        using var onlyInSecond = KubernetesConnector.FromEnvironment(variable, temp.Path, "ctx-b", new RecordingHost(), null);

        Assert.Equal("shared", merged.ContextName);
        Assert.Equal(new Uri(ApiAddress(cluster) + "/"), merged.Server);
        Assert.True(await merged.NamespaceExistsAsync("team-a"));
        Assert.Equal(new Uri("https://b.example:6443/"), onlyInSecond.Server);
    }

    [Fact]
    public void An_empty_KUBECONFIG_reads_the_kube_config_file_in_the_home_directory()
    {
        using var temp = new TempDirectory();
        temp.Write(".kube/config", Config("ctx-home", "home", "https://home.example"));
        temp.Write(".kube/certs/ca.crt", CreateCaPem());

        using var client = KubernetesConnector.FromEnvironment(null, temp.Path, null, new RecordingHost(), null);

        Assert.Equal("ctx-home", client.ContextName);
        Assert.Equal(new Uri("https://home.example:6443/"), client.Server);
    }

    [Fact]
    public void KUBECONFIG_naming_only_missing_files_is_a_clear_error()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<ModuleErrorException>(() =>
            KubernetesConnector.FromEnvironment(Path.Combine(temp.Path, "nope"), temp.Path, null, new RecordingHost(), null)).Error;

        Assert.Equal(KubernetesErrorIds.KubeconfigNotFound, error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Category);
        Assert.Contains("KUBECONFIG", error.Message);
    }

    [Fact]
    public void The_current_context_is_used_unless_a_context_is_named()
    {
        var config = Config("shared", "a", "https://first.example").Replace("    certificate-authority: certs/ca.crt\n", string.Empty, StringComparison.Ordinal);

        using var current = FromYaml(config);
        using var named = FromYaml(config, "ctx-a");

        Assert.Equal("shared", current.ContextName);
        Assert.Equal(new Uri("https://first.example/"), current.Server);
        Assert.Equal(new Uri("https://a.example:6443/"), named.Server);
    }

    [Fact]
    public void An_unknown_context_names_the_contexts_that_exist()
    {
        var error = Assert.Throws<ModuleErrorException>(() => FromYaml(Config("shared", "a", "https://first.example"), "prod")).Error;

        Assert.Equal(KubernetesErrorIds.KubeconfigContextNotFound, error.ErrorId);
        Assert.Contains("'prod'", error.Message);
        Assert.Contains("ctx-a, shared", error.RecommendedAction);
    }

    [Fact]
    public async Task The_certificate_authority_can_come_from_data_or_from_a_file_relative_to_the_kubeconfig()
    {
        var cluster = KubernetesTestSupport.AddCluster(_server);
        var caPem = KubernetesTestSupport.ServerCertificatePem(_server);
        using var temp = new TempDirectory();
        temp.Write("certs/ca.crt", caPem);
        var path = temp.Write("config", $$"""
            current-context: from-file
            clusters:
            - name: by-file
              cluster:
                server: {{ApiAddress(cluster)}}
                certificate-authority: certs/ca.crt
            - name: by-data
              cluster:
                server: {{ApiAddress(cluster)}}
                certificate-authority-data: {{KubernetesTestSupport.Base64(caPem)}}
            contexts:
            - name: from-file
              context: {cluster: by-file, user: u}
            - name: from-data
              context: {cluster: by-data, user: u}
            users:
            - name: u
              user: {token: {{cluster.Kubernetes.Access.UserToken}}}
            """);

        using var byFile = KubernetesConnector.FromKubeconfigFile(path, "from-file", new RecordingHost());
        using var byData = KubernetesConnector.FromKubeconfigFile(path, "from-data", new RecordingHost());

        Assert.True(await byFile.NamespaceExistsAsync("team-a"));
        Assert.True(await byData.NamespaceExistsAsync("team-a"));
    }

    [Fact]
    public void A_certificate_authority_without_a_certificate_is_rejected()
    {
        var yaml = $$"""
            current-context: c
            clusters:
            - name: k
              cluster: {server: "https://k.example", certificate-authority-data: {{KubernetesTestSupport.Base64("not a certificate")}}}
            contexts:
            - name: c
              context: {cluster: k, user: u}
            """;

        var error = Assert.Throws<ModuleErrorException>(() => FromYaml(yaml)).Error;

        Assert.Equal(KubernetesErrorIds.KubeconfigInvalid, error.ErrorId);
    }

    [Fact]
    public void Insecure_skip_tls_verify_is_honoured_with_a_warning()
    {
        var yaml = """
            current-context: c
            clusters:
            - name: k
              cluster: {server: "https://k.example", insecure-skip-tls-verify: true}
            contexts:
            - name: c
              context: {cluster: k, user: u}
            """;
        var host = new RecordingHost();

        using var client = KubernetesConnector.FromKubeconfig(Encoding.UTF8.GetBytes(yaml), "test", null, host);

        var warning = Assert.Single(host.Warnings);
        Assert.Contains("insecure-skip-tls-verify", warning);
        Assert.Contains("https://k.example/", warning);
    }

    [Fact]
    public async Task A_token_file_is_read_relative_to_the_kubeconfig_and_again_when_the_cluster_refuses_its_token()
    {
        var cluster = KubernetesTestSupport.AddCluster(_server);
        var first = cluster.Kubernetes.Access.IssueToken("projected");
        using var temp = new TempDirectory();
        temp.Write("sa/token", first + "\n");
        var path = temp.Write("config", KubernetesTestSupport.KubeconfigWithUser(_server, cluster, "    tokenFile: sa/token"));
        var host = new RecordingHost();
        using var client = KubernetesConnector.FromKubeconfigFile(path, null, host);

        Assert.True(await client.NamespaceExistsAsync("team-a"));
        // The token is rotated: the cluster refuses the old one, the file holds the new one.
        cluster.Kubernetes.Access.RevokeToken(first);
        var second = cluster.Kubernetes.Access.IssueToken("projected");
        temp.Write("sa/token", second + "\n");

        Assert.True(await client.NamespaceExistsAsync("team-a"));
        Assert.DoesNotContain(second, host.AllText);
    }

    [Fact]
    public void Invalid_yaml_reports_the_position_but_never_the_content()
    {
        var yaml = $"users:\n- name: u\n  user:\n    token: {Canary}\n  - : : [\n";

        var error = Assert.Throws<ModuleErrorException>(() => FromYaml(yaml)).Error;

        Assert.Equal(KubernetesErrorIds.KubeconfigInvalid, error.ErrorId);
        Assert.Contains("line", error.Message);
        Assert.DoesNotContain(Canary, error.ToString());
        Assert.Null(error.InnerException);
    }

    [Theory]
    [InlineData("auth-provider: {name: azure, config: {apiserver-id: x}}", "kubelogin convert-kubeconfig")]
    [InlineData("auth-provider: {name: gcp}", "exec credential plugin")]
    [InlineData("{username: admin, password: canary-token-5f1c2a9e7d}", "token, a client certificate")]
    public void Removed_kinds_of_authentication_are_reported_as_unsupported(string user, string advice)
    {
        var error = Assert.Throws<ModuleErrorException>(() => WithUser($"  user: {UserMapping(user)}")).Error;

        Assert.Equal(KubernetesErrorIds.KubeconfigAuthUnsupported, error.ErrorId);
        Assert.Contains(advice, error.RecommendedAction);
        Assert.DoesNotContain(Canary, error.ToString() + error.RecommendedAction);
    }

    [Fact]
    public void A_client_key_that_is_not_a_key_is_reported_without_echoing_it()
    {
        var key = KubernetesTestSupport.Base64("-----BEGIN PRIVATE KEY-----\n" + Canary + "\n-----END PRIVATE KEY-----");

        var error = Assert.Throws<ModuleErrorException>(() => WithUser(
            $"  user:\n    client-certificate-data: {KubernetesTestSupport.Base64(CreateCaPem())}\n    client-key-data: {key}")).Error;

        Assert.Equal(KubernetesErrorIds.KubeconfigCredentialInvalid, error.ErrorId);
        Assert.Contains("RSA or EC", error.Message);
        Assert.DoesNotContain(Canary, error.ToString());
    }

    [Fact]
    public void A_client_certificate_without_its_key_is_reported()
    {
        var error = Assert.Throws<ModuleErrorException>(() => WithUser($"  user:\n    client-certificate-data: {KubernetesTestSupport.Base64(CreateCaPem())}")).Error;

        Assert.Equal(KubernetesErrorIds.KubeconfigCredentialInvalid, error.ErrorId);
    }

    [Fact]
    public void Exec_plugins_with_a_removed_api_version_are_rejected_with_advice()
    {
        var error = Assert.Throws<ModuleErrorException>(() => WithUser(
            "  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1alpha1\n      command: kubelogin")).Error;

        Assert.Equal(KubernetesErrorIds.KubeconfigAuthUnsupported, error.ErrorId);
        Assert.Contains("v1alpha1", error.Message);
    }

    [Fact]
    public void Exec_plugins_that_need_a_terminal_are_rejected_before_they_run()
    {
        var error = Assert.Throws<ModuleErrorException>(() => WithUser(
            "  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: kubelogin\n      interactiveMode: Always")).Error;

        Assert.Equal(KubernetesErrorIds.KubeconfigAuthUnsupported, error.ErrorId);
        Assert.Contains("interactiveMode: Always", error.Message);
    }

    private static KubernetesClient FromYaml(string yaml, string? context = null) =>
        KubernetesConnector.FromKubeconfig(Encoding.UTF8.GetBytes(yaml), "test", context, new RecordingHost());

    /// <summary>Connects through a one-context kubeconfig whose user 'u' is <paramref name="userYaml"/> (the "  user: ..." lines).</summary>
    private static KubernetesClient WithUser(string userYaml) => FromYaml($$"""
        current-context: c
        clusters:
        - name: k
          cluster: {server: "https://k.example"}
        contexts:
        - name: c
          context: {cluster: k, user: u}
        users:
        - name: u
        {{userYaml}}
        """);

    private static string UserMapping(string user) => user.StartsWith('{') ? user : "{" + user + "}";

    private string ApiAddress(AzMLK8s.Emulator.State.EmulatedCluster cluster) => new Uri(_server.BaseAddress, cluster.KubernetesApiPath).AbsoluteUri.TrimEnd('/');

    private static string CreateCaPem()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test-ca", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }
}
