using System.Text;
using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Engine.Kubernetes.Authentication;
using AzMLK8s.Engine.Kubernetes.Kubeconfig;
using AzMLK8s.Model;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Kubernetes;

public sealed class KubeconfigReadingTests
{
    private const string Canary = "canary-token-5f1c2a9e7d";

    private static string Config(string currentContext, string suffix, string server, string? token = null) => $"""
        apiVersion: v1
        kind: Config
        current-context: {currentContext}
        clusters:
        - name: shared
          cluster:
            server: {server}
        - name: only-{suffix}
          cluster:
            server: https://{suffix}.example:6443
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
    public void KUBECONFIG_files_merge_like_kubectl_first_file_wins_names_and_current_context()
    {
        using var temp = new TempDirectory();
        var first = temp.Write("a/config", Config("shared", "a", "https://first.example:6443"));
        var second = temp.Write("b/config", Config("ctx-b", "b", "https://second.example:6443"));
        var missing = Path.Combine(temp.Path, "does-not-exist");

        var kubeconfig = KubeconfigReader.ReadFromEnvironment(string.Join(Path.PathSeparator, first, missing, second), temp.Path);

        Assert.Equal("shared", kubeconfig.CurrentContext);
        Assert.Equal("https://first.example:6443", kubeconfig.Clusters["shared"].Value.Server);
        Assert.Equal("token-a", kubeconfig.Users["shared"].Value.Token);
        Assert.Equal("ns-a", kubeconfig.Contexts["shared"].Value.Namespace);
        // Names only the second file has are still there.
        Assert.Equal("https://b.example:6443", kubeconfig.Clusters["only-b"].Value.Server);
        Assert.True(kubeconfig.Contexts.ContainsKey("ctx-b"));
        Assert.Equal(Path.Combine(temp.Path, "b"), kubeconfig.Clusters["only-b"].BaseDirectory);
    }

    [Fact]
    public void An_empty_KUBECONFIG_reads_the_kube_config_file_in_the_home_directory()
    {
        using var temp = new TempDirectory();
        temp.Write(".kube/config", Config("ctx-home", "home", "https://home.example"));

        var kubeconfig = KubeconfigReader.ReadFromEnvironment(null, temp.Path);

        Assert.Equal("ctx-home", kubeconfig.CurrentContext);
    }

    [Fact]
    public void KUBECONFIG_naming_only_missing_files_is_a_clear_error()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<ModuleErrorException>(() =>
            KubeconfigReader.ReadFromEnvironment(Path.Combine(temp.Path, "nope"), temp.Path)).Error;

        Assert.Equal(KubernetesErrorIds.KubeconfigNotFound, error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Category);
        Assert.Contains("KUBECONFIG", error.Message);
    }

    [Fact]
    public void The_current_context_is_used_unless_a_context_is_named()
    {
        var kubeconfig = KubeconfigReader.Read(Encoding.UTF8.GetBytes(Config("shared", "a", "https://first.example")), "test");
        var host = new RecordingHost();

        using var current = KubeconfigResolver.Resolve(kubeconfig, null, new KubernetesClientOptions(), host);
        using var named = KubeconfigResolver.Resolve(kubeconfig, "ctx-a", new KubernetesClientOptions(), host);

        Assert.Equal("shared", current.ContextName);
        Assert.Equal(new Uri("https://first.example/"), current.Server);
        Assert.Equal("ns-a", current.DefaultNamespace);
        Assert.Equal(new Uri("https://a.example:6443/"), named.Server);
        Assert.Null(named.DefaultNamespace);
    }

    [Fact]
    public void An_unknown_context_names_the_contexts_that_exist()
    {
        var kubeconfig = KubeconfigReader.Read(Encoding.UTF8.GetBytes(Config("shared", "a", "https://first.example")), "test");

        var error = Assert.Throws<ModuleErrorException>(() =>
            KubeconfigResolver.Resolve(kubeconfig, "prod", new KubernetesClientOptions(), new RecordingHost())).Error;

        Assert.Equal(KubernetesErrorIds.KubeconfigContextNotFound, error.ErrorId);
        Assert.Contains("'prod'", error.Message);
        Assert.Contains("ctx-a, shared", error.RecommendedAction);
    }

    [Fact]
    public void The_certificate_authority_can_come_from_data_or_from_a_file_relative_to_the_kubeconfig()
    {
        using var temp = new TempDirectory();
        var caPem = CreateCaPem();
        temp.Write("certs/ca.crt", caPem);
        var path = temp.Write("config", $$"""
            current-context: from-file
            clusters:
            - name: by-file
              cluster:
                server: https://by-file.example
                certificate-authority: certs/ca.crt
            - name: by-data
              cluster:
                server: https://by-data.example
                certificate-authority-data: {{KubernetesTestSupport.Base64(caPem)}}
            contexts:
            - name: from-file
              context: {cluster: by-file, user: none}
            - name: from-data
              context: {cluster: by-data, user: none}
            """);
        var kubeconfig = KubeconfigReader.ReadFile(path);

        using var byFile = KubeconfigResolver.Resolve(kubeconfig, "from-file", new KubernetesClientOptions(), new RecordingHost());
        using var byData = KubeconfigResolver.Resolve(kubeconfig, "from-data", new KubernetesClientOptions(), new RecordingHost());

        Assert.Single(byFile.TrustedCertificates!);
        Assert.Equal(byFile.TrustedCertificates![0].Thumbprint, byData.TrustedCertificates![0].Thumbprint);
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

        var error = Assert.Throws<ModuleErrorException>(() => KubeconfigResolver.Resolve(
            KubeconfigReader.Read(Encoding.UTF8.GetBytes(yaml), "test"), null, new KubernetesClientOptions(), new RecordingHost())).Error;

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

        using var connection = KubeconfigResolver.Resolve(KubeconfigReader.Read(Encoding.UTF8.GetBytes(yaml), "test"), null, new KubernetesClientOptions(), host);

        Assert.True(connection.InsecureSkipTlsVerify);
        var warning = Assert.Single(host.Warnings);
        Assert.Contains("insecure-skip-tls-verify", warning);
        Assert.Contains("https://k.example/", warning);
    }

    [Fact]
    public async Task Token_and_token_file_users_get_their_token_and_a_token_file_is_read_relative_to_the_kubeconfig()
    {
        using var temp = new TempDirectory();
        temp.Write("sa/token", Canary + "\n");
        var path = temp.Write("config", """
            current-context: file
            clusters:
            - name: k
              cluster: {server: "https://k.example"}
            contexts:
            - name: file
              context: {cluster: k, user: by-file}
            users:
            - name: by-file
              user: {tokenFile: sa/token}
            """);

        using var connection = KubeconfigResolver.Resolve(KubeconfigReader.ReadFile(path), null, new KubernetesClientOptions(), new RecordingHost());
        var authentication = await connection.Credential.GetAsync(CancellationToken.None);

        Assert.Equal(Canary, authentication.BearerToken);
        Assert.True(connection.Credential.Invalidate());
    }

    [Fact]
    public void Invalid_yaml_reports_the_position_but_never_the_content()
    {
        var yaml = $"users:\n- name: u\n  user:\n    token: {Canary}\n  - : : [\n";

        var error = Assert.Throws<ModuleErrorException>(() => KubeconfigReader.Read(Encoding.UTF8.GetBytes(yaml), "test")).Error;

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
        var error = Assert.Throws<ModuleErrorException>(() => ResolveWithUser($"  user: {UserMapping(user)}")).Error;

        Assert.Equal(KubernetesErrorIds.KubeconfigAuthUnsupported, error.ErrorId);
        Assert.Contains(advice, error.RecommendedAction);
        Assert.DoesNotContain(Canary, error.ToString() + error.RecommendedAction);
    }

    [Fact]
    public void A_client_key_that_is_not_a_key_is_reported_without_echoing_it()
    {
        var key = KubernetesTestSupport.Base64("-----BEGIN PRIVATE KEY-----\n" + Canary + "\n-----END PRIVATE KEY-----");

        var error = Assert.Throws<ModuleErrorException>(() => ResolveWithUser(
            $"  user:\n    client-certificate-data: {KubernetesTestSupport.Base64(CreateCaPem())}\n    client-key-data: {key}")).Error;

        Assert.Equal(KubernetesErrorIds.KubeconfigCredentialInvalid, error.ErrorId);
        Assert.Contains("RSA or EC", error.Message);
        Assert.DoesNotContain(Canary, error.ToString());
    }

    [Fact]
    public void Exec_plugins_with_a_removed_api_version_are_rejected_with_advice()
    {
        var error = Assert.Throws<ModuleErrorException>(() => new ExecCredentialPlugin(
            new KubeconfigExec { ApiVersion = "client.authentication.k8s.io/v1alpha1", Command = "kubelogin" }, "/", "user 'u'", TimeSpan.FromSeconds(5))).Error;

        Assert.Equal(KubernetesErrorIds.KubeconfigAuthUnsupported, error.ErrorId);
        Assert.Contains("v1alpha1", error.Message);
    }

    [Fact]
    public void Exec_plugins_that_need_a_terminal_are_rejected_before_they_run()
    {
        var error = Assert.Throws<ModuleErrorException>(() => ResolveWithUser(
            "  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: kubelogin\n      interactiveMode: Always")).Error;

        Assert.Equal(KubernetesErrorIds.KubeconfigAuthUnsupported, error.ErrorId);
        Assert.Contains("interactiveMode: Always", error.Message);
    }

    /// <summary>Resolves a one-context kubeconfig whose user 'u' is <paramref name="userYaml"/> (the "  user: ..." lines).</summary>
    private static KubernetesConnection ResolveWithUser(string userYaml)
    {
        var yaml = $$"""
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
            """;
        return KubeconfigResolver.Resolve(KubeconfigReader.Read(Encoding.UTF8.GetBytes(yaml), "test"), null, new KubernetesClientOptions(), new RecordingHost());
    }

    private static string UserMapping(string user) => user.StartsWith('{') ? user : "{" + user + "}";

    private static string CreateCaPem()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test-ca", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }
}
