using System.Collections;
using AzMLK8s.Cmdlets;
using AzMLK8s.Cmdlets.Extensions;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Engine.Azure.Context;
using AzMLK8s.Harness;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Tests.Azure;
using AzMLK8s.Tests.Infrastructure;
using AzMLK8s.Tests.Settings;

namespace AzMLK8s.Tests.ExtensionCmdlets;

/// <summary>
/// Bad input through the real cmdlets: each case gives its specific ErrorId and the emulator's request log shows that
/// not a single request (read or write) was sent.
/// </summary>
public sealed class ExtensionBadInputCmdletTests : IClassFixture<EmulatorFixture>
{
    private const string KeyCanary = "bad-input-protected-canary-9c41";
    private static readonly TestCertificates Pems = new();
    private static readonly string AksExtensionId = ArmTestConnections.ExtensionId(ArmTestConnections.AksId, "azureml");

    private readonly EmulatorServer _server;

    public ExtensionBadInputCmdletTests(EmulatorFixture fixture)
    {
        _server = fixture.Server;
    }

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, errorId) in AllCases().Select(c => (c.Name, c.ErrorId)))
        {
            data.Add(name, errorId);
        }

        return data;
    }

    [Fact]
    public void The_table_has_at_least_100_distinct_cases()
    {
        var names = AllCases().Select(c => c.Name).ToArray();
        Assert.True(names.Length >= 100, $"{names.Length} cases");
        Assert.Equal(names.Length, names.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_bad_input_gives_its_specific_error_and_sends_no_request(string name, string errorId)
    {
        var cmdlet = AllCases().Single(c => c.Name == name).Make();
        var host = new RecordingHost();
        AzureContextStore.Set(host, ArmTestConnections.Settings(_server));
        var before = _server.State.Requests.Entries.Count;

        var result = CmdletRunner.Run(cmdlet, host);

        var errors = host.Errors.Concat(result.TerminatingError is null ? Array.Empty<Model.ModuleError>() : new[] { result.TerminatingError }).ToArray();
        var error = Assert.Single(errors);
        Assert.Equal(errorId, error.ErrorId);
        Assert.False(string.IsNullOrWhiteSpace(error.RecommendedAction), $"{name}: no next step");
        Assert.Equal(before, _server.State.Requests.Entries.Count);
        Assert.Empty(host.Output);
        Assert.Empty(host.ShouldProcessCalls);
        Assert.DoesNotContain(KeyCanary, host.AllText);
    }

    private sealed record Case(string Name, string ErrorId, Func<AzMLK8sCmdlet> Make);

    private static IReadOnlyList<Case> AllCases()
    {
        var cases = new List<Case>();

        // The settings engine's table, through the cmdlet's hashtables, on both kinds of cluster.
        foreach (var row in BadInputTableTests.Cases())
        {
            var (name, errorId, settings, protectedSettings) = ((string)row[0], (string)row[1], (Hashtable)row[2], (Hashtable?)row[3]);
            foreach (var type in new[] { AzMLK8sClusterType.Aks, AzMLK8sClusterType.Arc })
            {
                cases.Add(new Case($"{type}: {name}", errorId, () => new NewAzMLK8sExtensionCommand
                {
                    ClusterResourceId = ExtensionCmdletTestBase.ClusterId(type),
                    ConfigurationSetting = (Hashtable)settings.Clone(),
                    ConfigurationProtectedSetting = (Hashtable?)protectedSettings?.Clone(),
                }));
            }
        }

        void New(string name, string errorId, Action<NewAzMLK8sExtensionCommand> configure)
        {
            cases.Add(new Case(name, errorId, () =>
            {
                var cmdlet = new NewAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId };
                configure(cmdlet);
                return cmdlet;
            }));
        }

        void Https(string name, string errorId, Func<(string Certificate, string Key)> files, string cname = "ml.contoso.com")
        {
            New(name, errorId, c =>
            {
                var (certificate, key) = files();
                c.WithSwitch(nameof(c.EnableInference));
                c.SslCertificatePath = certificate;
                c.SslKeyPath = key;
                c.SslCname = cname;
            });
        }

        // PEM files: read and checked before anything is sent.
        Https("PEM: expired certificate", "Settings.CertificateExpired", () => Pems.Write("expired", new[] { "ml.contoso.com" }, DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1)));
        Https("PEM: key of another certificate", "Settings.PemKeyMismatch", () => (Pems.Write("one", new[] { "ml.contoso.com" }).Certificate, Pems.Write("two", new[] { "ml.contoso.com" }).Key));
        Https("PEM: RSA key with an EC certificate", "Settings.PemKeyMismatch", () => (Pems.Write("ec").Certificate, Pems.Write("rsa", rsa: true).Key));
        Https("PEM: key with a passphrase", "Settings.PemKeyEncrypted", () => Pems.Write("encrypted", keyPassword: "pass-" + KeyCanary));
        Https("PEM: certificate file is not PEM", "Settings.PemCertificateInvalid", () => (Pems.WriteFile("garbage.crt.pem", "hello"), Pems.Write("k1").Key));
        Https("PEM: key file is not PEM", "Settings.PemKeyInvalid", () => (Pems.Write("c1").Certificate, Pems.WriteFile("garbage.key.pem", "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")));
        Https("PEM: certificate and key swapped", "Settings.PemCertificateInvalid", () => { var (c, k) = Pems.Write("swap"); return (k, c); });
        Https("PEM: non-ASCII certificate file", "Settings.PemNotAscii", () => (Pems.WriteFile("utf.crt.pem", "-----BEGIN CERTIFICATE-----\nü\n-----END CERTIFICATE-----\n"), Pems.Write("k2").Key));
        Https("PEM: certificate file missing", "Settings.PemFileNotFound", () => ("/no/such/dir/cert.pem", Pems.Write("k3").Key));
        Https("PEM: key file missing", "Settings.PemFileNotFound", () => (Pems.Write("c3").Certificate, Path.Combine(Pems.Directory, "missing.key.pem")));
        Https("PEM: empty certificate file", "Settings.PemCertificateInvalid", () => (Pems.WriteFile("empty.crt.pem", string.Empty), Pems.Write("k4").Key));
        New("PEM: certificate without the key", "Settings.TlsPairIncomplete", c => { c.WithSwitch(nameof(c.EnableInference)); c.SslCertificatePath = Pems.Write("c5").Certificate; c.SslCname = "ml.contoso.com"; });
        New("PEM: key without the certificate", "Settings.TlsPairIncomplete", c => { c.WithSwitch(nameof(c.EnableInference)); c.SslKeyPath = Pems.Write("k5").Key; c.SslCname = "ml.contoso.com"; });
        New("PEM: files without sslCname", "Settings.SslCnameRequired", c => { var (ce, k) = Pems.Write("c6"); c.WithSwitch(nameof(c.EnableInference)); c.SslCertificatePath = ce; c.SslKeyPath = k; });

        // Scenario parameters.
        New("no scenario switch", "Settings.NoScenarioEnabled", c => c.WithSwitch(nameof(c.InstallVolcano)));
        New("inference without TLS or insecure", "Settings.TlsRequired", c => c.WithSwitch(nameof(c.EnableInference)));
        New("NodePort with internal load balancer", "Settings.ServiceTypeConflict", c => { c.WithSwitch(nameof(c.EnableInference)).WithSwitch(nameof(c.AllowInsecureConnection)).WithSwitch(nameof(c.InternalLoadBalancer)); c.InferenceRouterServiceType = "NodePort"; });
        New("secret name with insecure", "Settings.TlsWithInsecureConnections", c => { c.WithSwitch(nameof(c.EnableInference)).WithSwitch(nameof(c.AllowInsecureConnection)); c.SslSecretName = "tls"; c.SslCname = "a.b"; });
        New("secret name and PEM files", "Settings.TlsSourceConflict", c => { var (ce, k) = Pems.Write("c7"); c.WithSwitch(nameof(c.EnableInference)); c.SslSecretName = "tls"; c.SslCname = "ml.contoso.com"; c.SslCertificatePath = ce; c.SslKeyPath = k; });
        New("secret name without cname", "Settings.SslCnameRequired", c => { c.WithSwitch(nameof(c.EnableInference)); c.SslSecretName = "tls"; });
        New("switch against hashtable", "Extension.ParameterConflict", c => { c.WithSwitch(nameof(c.EnableTraining)); c.ConfigurationSetting = SettingsTestData.Table(("enableTraining", false)); });
        New("service type against hashtable", "Extension.ParameterConflict", c => { c.WithSwitch(nameof(c.EnableInference)).WithSwitch(nameof(c.AllowInsecureConnection)); c.InferenceRouterServiceType = "NodePort"; c.ConfigurationSetting = SettingsTestData.Table(("inferenceRouterServiceType", "ClusterIP")); });
        New("cname against hashtable", "Extension.ParameterConflict", c => { c.WithSwitch(nameof(c.EnableInference)); c.SslSecretName = "tls"; c.SslCname = "a.b"; c.ConfigurationSetting = SettingsTestData.Table(("sslCname", "c.d")); });
        New("node selector with prefix", "Extension.InvalidNodeSelector", c => { c.WithSwitch(nameof(c.EnableTraining)); c.NodeSelector = SettingsTestData.Table(("nodeSelector.pool", "a")); });
        New("node selector empty label", "Extension.InvalidNodeSelector", c => { c.WithSwitch(nameof(c.EnableTraining)); c.NodeSelector = SettingsTestData.Table(("", "a")); });
        New("node selector bad value", "Settings.InvalidValue", c => { c.WithSwitch(nameof(c.EnableTraining)); c.NodeSelector = SettingsTestData.Table(("pool", "a b")); });
        New("node selector bad label", "Settings.InvalidValue", c => { c.WithSwitch(nameof(c.EnableTraining)); c.NodeSelector = SettingsTestData.Table(("po ol", "a")); });
        New("pinned version with auto-upgrade", "Settings.VersionWithAutoUpgrade", c => { c.WithSwitch(nameof(c.EnableTraining)); c.Version = "1.1.50"; c.AutoUpgradeMinorVersion = true; });
        New("release namespace other than azureml", "Settings.ReleaseNamespaceFixed", c => { c.WithSwitch(nameof(c.EnableTraining)); c.ReleaseNamespace = "ml"; });
        New("protected value as plain text in public", "Settings.SecretInPublicSettings", c => { c.WithSwitch(nameof(c.EnableTraining)); c.ConfigurationSetting = SettingsTestData.Table(("relayServerConnectionString", KeyCanary)); });
        New("secure string in public settings", "Settings.InvalidValueType", c => { c.WithSwitch(nameof(c.EnableTraining)); c.ConfigurationSetting = SettingsTestData.Table(("clusterPurpose", SettingsTestData.Secure(KeyCanary))); });

        // Names and ids.
        New("extension name with upper case", "Extension.InvalidName", c => { c.WithSwitch(nameof(c.EnableTraining)); c.Name = "AzureML"; });
        New("extension name with underscore", "Extension.InvalidName", c => { c.WithSwitch(nameof(c.EnableTraining)); c.Name = "azure_ml"; });
        New("extension name ending with dash", "Extension.InvalidName", c => { c.WithSwitch(nameof(c.EnableTraining)); c.Name = "azureml-"; });
        New("extension name too long", "Extension.InvalidName", c => { c.WithSwitch(nameof(c.EnableTraining)); c.Name = new string('a', 254); });
        foreach (var (label, id) in new[]
        {
            ("workspace id as cluster", ArmTestConnections.WorkspaceId),
            ("not an id", "aks-demo"),
            ("storage account id", $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.Storage/storageAccounts/stdemo"),
            ("truncated cluster id", $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.ContainerService/managedClusters"),
            ("provisioned cluster id", $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.HybridContainerService/provisionedClusters/p1"),
        })
        {
            New($"cluster id: {label}", "InvalidClusterResourceId", c => { c.WithSwitch(nameof(c.EnableTraining)); c.ClusterResourceId = id; });
            cases.Add(new Case($"Get with cluster id: {label}", "InvalidClusterResourceId", () => new GetAzMLK8sExtensionCommand { ClusterResourceId = id }));
        }

        New("cluster name with a slash", "InvalidClusterResourceId", c => { c.WithSwitch(nameof(c.EnableTraining)); c.ClusterResourceId = null; c.ClusterName = "a/b"; c.ResourceGroupName = "rg-demo"; });

        // Update, Remove, Test: checked before the extension is read.
        void Update(string name, string errorId, Action<UpdateAzMLK8sExtensionCommand> configure)
        {
            cases.Add(new Case("Update: " + name, errorId, () =>
            {
                var cmdlet = new UpdateAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId };
                configure(cmdlet);
                return cmdlet;
            }));
        }

        Update("Ture", "Settings.InvalidBoolean", c => c.ConfigurationSetting = SettingsTestData.Table(("allowInsecureConnections", "Ture")));
        Update("typo in key", "Settings.UnknownKey", c => c.ConfigurationSetting = SettingsTestData.Table(("enableInferance", true)));
        Update("unknown service type", "Settings.InvalidEnumValue", c => c.ConfigurationSetting = SettingsTestData.Table(("inferenceRouterServiceType", "Ingress")));
        Update("secret in public", "Settings.SecretInPublicSettings", c => c.ConfigurationSetting = SettingsTestData.Table(("sslKeyPemFile", "k.pem")));
        Update("parameter against hashtable", "Extension.ParameterConflict", c => { c.EnableTraining = true; c.ConfigurationSetting = SettingsTestData.Table(("enableTraining", "false")); });
        Update("pinned version with auto-upgrade", "Settings.VersionWithAutoUpgrade", c => { c.Version = "1.1.50"; c.AutoUpgradeMinorVersion = true; });
        Update("bad extension name", "Extension.InvalidName", c => c.Name = "Bad Name");
        Update("resource id of a cluster", "Extension.InvalidResourceId", c => { c.ClusterResourceId = null; c.ResourceId = ArmTestConnections.AksId; });
        Update("resource id of a workspace extension", "InvalidClusterResourceId", c => { c.ClusterResourceId = null; c.ResourceId = ArmTestConnections.WorkspaceId + "/providers/Microsoft.KubernetesConfiguration/extensions/azureml"; });
        Update("node selector with prefix", "Extension.InvalidNodeSelector", c => c.NodeSelector = SettingsTestData.Table(("nodeSelector.x", "y")));
        cases.Add(new Case("Remove: resource id without a name", "Extension.InvalidResourceId", () => new RemoveAzMLK8sExtensionCommand { ResourceId = ArmTestConnections.AksId + "/providers/Microsoft.KubernetesConfiguration/extensions/" }));
        cases.Add(new Case("Remove: bad extension name", "Extension.InvalidName", () => new RemoveAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, Name = "-x" }));
        cases.Add(new Case("Remove: cluster id of a workspace", "InvalidClusterResourceId", () => new RemoveAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.WorkspaceId }));
        cases.Add(new Case("Test: zero timeout", "Extension.InvalidTimeout", () => new TestAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, TimeoutSeconds = 0 }));
        cases.Add(new Case("Test: extension id with a nested path", "Extension.InvalidResourceId", () => new TestAzMLK8sExtensionCommand { ResourceId = AksExtensionId + "/operations/x" }));
        cases.Add(new Case("Get: bad extension name", "Extension.InvalidName", () => new GetAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, Name = "a..b_" }));
        return cases;
    }
}
