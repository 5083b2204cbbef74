using AzMLK8s.Engine.Settings;
using static AzMLK8s.Tests.Settings.SettingsTestData;

namespace AzMLK8s.Tests.Settings;

public sealed class CreateRulesTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public void Training_or_inference_must_be_enabled()
    {
        var error = Fails(SettingErrors.NoScenarioEnabled, () => Create(Table(("enableTraining", false), ("installPromOp", true))));
        Assert.Contains("-EnableTraining", error.RecommendedAction);
        Fails(SettingErrors.NoScenarioEnabled, () => Create(null));
    }

    [Fact]
    public void Training_only_sends_both_scenario_flags_and_reads_no_inference_settings()
    {
        var plan = Create(Table(("enableTraining", true)));

        Assert.Equal("true", plan.ConfigurationSettings["enableTraining"]);
        Assert.Equal("false", plan.ConfigurationSettings["enableInference"]);
        Assert.False(plan.ConfigurationSettings.ContainsKey("inferenceRouterServiceType"));
        Assert.Empty(plan.ConfigurationProtectedSettings!);
    }

    [Fact]
    public void Turning_a_scenario_off_is_not_reported_as_a_setting_without_effect()
    {
        var plan = Create(Table(("enableTraining", true), ("enableInference", false)));

        Assert.DoesNotContain(plan.Warnings, w => w.Contains("has no effect"));
    }

    [Fact]
    public void A_setting_of_a_scenario_that_is_off_is_reported_as_without_effect()
    {
        var plan = Create(Table(("enableTraining", true), ("inferenceRouterHA", false)));

        Assert.Contains(plan.Warnings, w => w.Contains("'inferenceRouterHA'") && w.Contains("has no effect"));
    }

    [Fact]
    public void Inference_without_TLS_or_allowInsecureConnections_is_refused()
    {
        var error = Fails(SettingErrors.TlsRequired, () => Create(Table(("enableInference", true))));
        Assert.Contains("-SslCertificatePath", error.RecommendedAction);
        Assert.Contains("allowInsecureConnections=true", error.RecommendedAction);
    }

    [Fact]
    public void Inference_over_HTTP_needs_explicit_allowInsecureConnections_and_warns()
    {
        var plan = Create(Table(("enableInference", true), ("allowInsecureConnections", "True")));

        Assert.Equal("true", plan.ConfigurationSettings["allowInsecureConnections"]);
        Assert.Equal("LoadBalancer", plan.ConfigurationSettings["inferenceRouterServiceType"]);
        Assert.Contains(plan.Warnings, w => w.Contains("plain HTTP"));
    }

    [Fact]
    public void The_seed_typo_Ture_for_allowInsecureConnections_is_an_error_not_a_silent_false()
    {
        Fails(SettingErrors.InvalidBoolean, () => Create(Table(("enableInference", "True"), ("privateEndpointNodeport", "True"), ("allowInsecureConnections", "Ture"))));
    }

    [Fact]
    public void A_Kubernetes_secret_gives_HTTPS_and_needs_sslCname()
    {
        Fails(SettingErrors.SslCnameRequired, () => Create(Table(("enableInference", true), ("sslSecret", "ml-tls"))));

        var plan = Create(Table(("enableInference", true), ("sslSecret", "ml-tls"), ("sslCname", "ml.contoso.com")));
        Assert.Equal("ml-tls", plan.ConfigurationSettings["scoringFe.sslSecret"]);
        Assert.Equal("ml.contoso.com", plan.ConfigurationSettings["sslCname"]);
    }

    [Fact]
    public void TLS_together_with_allowInsecureConnections_is_refused()
    {
        Fails(SettingErrors.TlsWithInsecureConnections, () => Create(Table(
            ("enableInference", true), ("sslSecret", "ml-tls"), ("sslCname", "ml.contoso.com"), ("allowInsecureConnections", true))));
    }

    [Fact]
    public void PEM_files_and_a_secret_together_are_refused()
    {
        var (certificate, key) = _certificates.Write("pair");
        Fails(SettingErrors.TlsSourceConflict, () => Create(
            Table(("enableInference", true), ("sslSecret", "ml-tls"), ("sslCname", "ml.contoso.com")),
            Table(("sslCertPemFile", certificate), ("sslKeyPemFile", key))));
    }

    [Theory]
    [InlineData("sslCertPemFile")]
    [InlineData("sslKeyPemFile")]
    public void Only_one_PEM_file_is_refused(string given)
    {
        var (certificate, key) = _certificates.Write("half");
        var error = Fails(SettingErrors.TlsPairIncomplete, () => Create(
            Table(("enableInference", true), ("sslCname", "ml.contoso.com")),
            Table((given, given == "sslCertPemFile" ? certificate : key))));
        Assert.NotEqual(given, error.TargetObject);
    }

    [Fact]
    public void PEM_files_are_sent_as_base64_content_and_their_paths_are_not_sent()
    {
        var (certificate, key) = _certificates.Write("good", rsa: true);
        var plan = Create(Table(("enableInference", true), ("sslCname", "ml.contoso.com")), Table(("sslCertPemFile", certificate), ("sslKeyPemFile", key)));

        var protectedSettings = plan.ConfigurationProtectedSettings!;
        Assert.Equal(new[] { "scoringFe.sslCert", "scoringFe.sslKey" }, protectedSettings.Keys.ToArray());
        Assert.Equal(File.ReadAllText(certificate), System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(protectedSettings["scoringFe.sslCert"])));
        Assert.Equal(File.ReadAllText(key), System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(protectedSettings["scoringFe.sslKey"])));
        Assert.DoesNotContain(plan.ConfigurationSettings.Values.Concat(protectedSettings.Select(p => p.Value)), v => v.Contains(_certificates.Directory));
        Assert.DoesNotContain(plan.Warnings, w => w.Contains("expires"));
    }

    [Fact]
    public void CRLF_line_ends_are_sent_as_LF_like_the_CLI()
    {
        var (certificate, key) = _certificates.Write("crlf");
        File.WriteAllText(certificate, File.ReadAllText(certificate).Replace("\n", "\r\n"));
        var plan = Create(Table(("enableInference", true), ("sslCname", "ml.contoso.com")), Table(("sslCertPemFile", certificate), ("sslKeyPemFile", key)));

        var sent = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(plan.ConfigurationProtectedSettings!["scoringFe.sslCert"]));
        Assert.DoesNotContain("\r", sent);
    }

    [Fact]
    public void Relative_PEM_paths_are_resolved_from_the_base_directory()
    {
        _certificates.Write("relative");
        var plan = Create(
            Table(("enableInference", true), ("sslCname", "ml.contoso.com")),
            Table(("sslCertPemFile", "relative.crt.pem"), ("sslKeyPemFile", "relative.key.pem")),
            options: new ExtensionSettingsOptions { BaseDirectory = _certificates.Directory });
        Assert.True(plan.ConfigurationProtectedSettings!.ContainsKey("scoringFe.sslCert"));
    }

    [Fact]
    public void A_missing_PEM_file_is_named()
    {
        var (_, key) = _certificates.Write("missing");
        var missing = Path.Combine(_certificates.Directory, "nope.pem");
        var error = Fails(SettingErrors.PemFileNotFound, () => Create(Table(("enableInference", true), ("sslCname", "ml.contoso.com")), Table(("sslCertPemFile", missing), ("sslKeyPemFile", key))));
        Assert.Equal(missing, error.TargetObject);
    }

    [Fact]
    public void A_key_that_does_not_belong_to_the_certificate_is_refused()
    {
        var (certificate, _) = _certificates.Write("one");
        var (_, otherKey) = _certificates.Write("two");
        Fails(SettingErrors.PemKeyMismatch, () => CreateWithFiles(certificate, otherKey));
    }

    [Fact]
    public void An_EC_key_for_an_RSA_certificate_is_a_mismatch()
    {
        var (certificate, _) = _certificates.Write("rsa", rsa: true);
        var (_, ecKey) = _certificates.Write("ec");
        Fails(SettingErrors.PemKeyMismatch, () => CreateWithFiles(certificate, ecKey));
    }

    [Fact]
    public void A_passphrase_protected_key_is_refused_with_the_way_out()
    {
        var (certificate, key) = _certificates.Write("encrypted", keyPassword: "pass-phrase");
        var error = Fails(SettingErrors.PemKeyEncrypted, () => CreateWithFiles(certificate, key));
        Assert.Contains("openssl pkey", error.RecommendedAction);
    }

    [Fact]
    public void A_legacy_encrypted_RSA_key_is_refused()
    {
        var (certificate, _) = _certificates.Write("legacy", rsa: true);
        var key = _certificates.WriteFile("legacy-enc.key.pem",
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        Fails(SettingErrors.PemKeyEncrypted, () => CreateWithFiles(certificate, key));
    }

    [Fact]
    public void An_expired_certificate_is_refused()
    {
        var (certificate, key) = _certificates.Write("expired", notBefore: TestCertificates.Now.AddDays(-60), notAfter: TestCertificates.Now.AddDays(-1));
        var error = Fails(SettingErrors.CertificateExpired, () => CreateWithFiles(certificate, key));
        Assert.Contains("expired", error.Message);
    }

    [Fact]
    public void A_certificate_expiring_within_30_days_gives_a_warning()
    {
        var (certificate, key) = _certificates.Write("soon", notAfter: TestCertificates.Now.AddDays(10));
        var plan = CreateWithFiles(certificate, key);
        Assert.Contains(plan.Warnings, w => w.Contains("less than 30 days"));
    }

    [Fact]
    public void A_certificate_not_issued_for_sslCname_gives_a_warning()
    {
        var (certificate, key) = _certificates.Write("wrong-name", dnsNames: new[] { "other.contoso.com" });
        var plan = CreateWithFiles(certificate, key, "ml.contoso.com");
        Assert.Contains(plan.Warnings, w => w.Contains("'other.contoso.com'") && w.Contains("'ml.contoso.com'"));
    }

    [Theory]
    [InlineData("*.contoso.com", "ml.contoso.com", true)]
    [InlineData("*.contoso.com", "a.b.contoso.com", false)]
    [InlineData("*.contoso.com", "contoso.com", false)]
    [InlineData("ML.Contoso.com", "ml.contoso.com.", true)]
    [InlineData("ml.contoso.com", "ml2.contoso.com", false)]
    public void Certificate_names_match_sslCname_with_one_label_wildcards(string pattern, string host, bool matches)
    {
        Assert.Equal(matches, PemTlsMaterial.HostNameMatches(pattern, host));
    }

    [Fact]
    public void A_wildcard_certificate_covering_sslCname_gives_no_name_warning()
    {
        var (certificate, key) = _certificates.Write("wildcard", dnsNames: new[] { "*.contoso.com" });
        var plan = CreateWithFiles(certificate, key, "ml.contoso.com");
        Assert.DoesNotContain(plan.Warnings, w => w.Contains("issued for"));
    }

    [Fact]
    public void A_server_certificate_without_its_chain_gives_a_warning_and_with_it_none()
    {
        var (leafOnly, leafKey) = _certificates.WriteIssued("leaf", withChain: false);
        Assert.Contains(CreateWithFiles(leafOnly, leafKey).Warnings, w => w.Contains("chain"));

        var (chained, chainedKey) = _certificates.WriteIssued("chained", withChain: true);
        Assert.DoesNotContain(CreateWithFiles(chained, chainedKey).Warnings, w => w.Contains("chain"));
    }

    [Fact]
    public void A_non_ASCII_PEM_file_is_refused_with_its_line()
    {
        var (certificate, key) = _certificates.Write("accent");
        File.WriteAllText(certificate, "# Zertifikat für ML\n" + File.ReadAllText(certificate), new System.Text.UTF8Encoding(false));
        var error = Fails(SettingErrors.PemNotAscii, () => CreateWithFiles(certificate, key));
        Assert.Contains("line 1", error.Message);
    }

    [Fact]
    public void A_UTF16_PEM_file_is_refused_as_not_ASCII()
    {
        var (certificate, key) = _certificates.Write("utf16");
        File.WriteAllText(certificate, File.ReadAllText(certificate), System.Text.Encoding.Unicode);
        Fails(SettingErrors.PemNotAscii, () => CreateWithFiles(certificate, key));
    }

    [Fact]
    public void A_UTF8_byte_order_mark_is_dropped()
    {
        var (certificate, key) = _certificates.Write("bom");
        File.WriteAllText(certificate, File.ReadAllText(certificate), new System.Text.UTF8Encoding(true));
        var plan = CreateWithFiles(certificate, key);
        var sent = Convert.FromBase64String(plan.ConfigurationProtectedSettings!["scoringFe.sslCert"]);
        Assert.Equal((byte)'-', sent[0]);
    }

    [Fact]
    public void Swapped_certificate_and_key_files_are_recognized()
    {
        var (certificate, key) = _certificates.Write("swapped");
        var error = Fails(SettingErrors.PemCertificateInvalid, () => CreateWithFiles(key, certificate));
        Assert.Contains("swapped", error.Message);
    }

    [Fact]
    public void A_file_without_a_certificate_is_refused()
    {
        var (_, key) = _certificates.Write("nocert");
        var junk = _certificates.WriteFile("junk.pem", "hello\n");
        Fails(SettingErrors.PemCertificateInvalid, () => CreateWithFiles(junk, key));
    }

    [Fact]
    public void A_key_file_without_a_key_is_refused()
    {
        var (certificate, _) = _certificates.Write("nokey");
        var junk = _certificates.WriteFile("junk.key.pem", "not a key\n");
        Fails(SettingErrors.PemKeyInvalid, () => CreateWithFiles(certificate, junk));
    }

    [Fact]
    public void PEM_files_given_for_a_training_only_extension_are_not_read_or_sent()
    {
        var plan = Create(Table(("enableTraining", true)), Table(("sslCertPemFile", "/nowhere/cert.pem"), ("sslKeyPemFile", "/nowhere/key.pem")));

        Assert.Empty(plan.ConfigurationProtectedSettings!);
        Assert.Contains(plan.Warnings, w => w.Contains("not read"));
    }

    [Fact]
    public void NodePort_and_the_internal_load_balancer_exclude_each_other()
    {
        var error = Fails(SettingErrors.ServiceTypeConflict, () => Create(Table(
            ("enableInference", true), ("allowInsecureConnections", true), ("inferenceRouterServiceType", "NodePort"), ("internalLoadBalancerProvider", "azure"))));
        Assert.Contains("NodePort", error.Message);
    }

    [Fact]
    public void An_internal_load_balancer_sets_the_router_flag_and_warns_on_Arc()
    {
        var plan = Create(Table(("enableInference", true), ("allowInsecureConnections", true), ("internalLoadBalancerProvider", "Azure")), cluster: Arc());

        Assert.Equal("azure", plan.ConfigurationSettings["internalLoadBalancerProvider"]);
        Assert.Equal("true", plan.ConfigurationSettings["scoringFe.serviceType.internalLoadBalancer"]);
        Assert.Contains(plan.Warnings, w => w.Contains("internal load balancers"));
    }

    [Fact]
    public void Inference_settings_on_a_training_only_extension_give_a_warning()
    {
        var plan = Create(Table(("enableTraining", true), ("sslCname", "ml.contoso.com")));
        Assert.Contains(plan.Warnings, w => w.Contains("'sslCname' applies to inference only"));
    }

    [Fact]
    public void AKS_migration_serves_inference_from_the_default_namespace()
    {
        var plan = Create(Table(("enableInference", true), ("allowInsecureConnections", true), ("isAKSMigration", true)));
        Assert.Equal("default", plan.ConfigurationSettings["scoringFe.namespace"]);
    }

    [Fact]
    public void A_pinned_version_turns_auto_upgrade_off()
    {
        var plan = new ExtensionSettingsPlanner().PlanCreate(
            new ExtensionCreateRequest { ConfigurationSettings = Table(("enableTraining", true)), Version = "1.1.35" }, Aks());

        Assert.Equal("1.1.35", plan.Version);
        Assert.False(plan.AutoUpgradeMinorVersion);
    }

    [Fact]
    public void A_pinned_version_with_auto_upgrade_is_refused()
    {
        Fails(SettingErrors.VersionWithAutoUpgrade, () => new ExtensionSettingsPlanner().PlanCreate(
            new ExtensionCreateRequest { ConfigurationSettings = Table(("enableTraining", true)), Version = "1.1.35", AutoUpgradeMinorVersion = true }, Aks()));
    }

    [Fact]
    public void Without_a_version_auto_upgrade_is_on_and_the_train_is_Stable()
    {
        var plan = Create(Table(("enableTraining", true)));

        Assert.Null(plan.Version);
        Assert.True(plan.AutoUpgradeMinorVersion);
        Assert.Equal("Stable", plan.ReleaseTrain);
        Assert.Equal("azureml", plan.ReleaseNamespace);
        Assert.Equal("Microsoft.AzureML.Kubernetes", plan.ExtensionType);
    }

    [Fact]
    public void The_release_train_is_written_in_canonical_case()
    {
        var plan = new ExtensionSettingsPlanner().PlanCreate(new ExtensionCreateRequest { ConfigurationSettings = Table(("enableTraining", true)), ReleaseTrain = "preview" }, Aks());
        Assert.Equal("Preview", plan.ReleaseTrain);
    }

    [Fact]
    public void Another_release_namespace_is_refused()
    {
        var error = Fails(SettingErrors.ReleaseNamespaceFixed, () => new ExtensionSettingsPlanner().PlanCreate(
            new ExtensionCreateRequest { ConfigurationSettings = Table(("enableTraining", true)), ReleaseNamespace = "ml" }, Aks()));
        Assert.Contains("azureml", error.Message);
    }

    [Fact]
    public void Create_changes_list_every_setting_for_WhatIf_without_disruption()
    {
        var plan = Create(Table(("enableInference", true), ("allowInsecureConnections", true)));

        Assert.Contains("enableInference: (not set) -> true (installs the inference router)", plan.WhatIfLines);
        Assert.Empty(plan.DisruptiveChanges);
        Assert.True(plan.HasChanges);
    }

    private ExtensionSettingsPlan CreateWithFiles(string certificate, string key, string cname = "ml.contoso.com") =>
        Create(Table(("enableInference", true), ("sslCname", cname)), Table(("sslCertPemFile", certificate), ("sslKeyPemFile", key)));
}
