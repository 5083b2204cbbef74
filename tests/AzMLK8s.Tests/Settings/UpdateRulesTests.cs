using AzMLK8s.Engine.Settings;
using static AzMLK8s.Tests.Settings.SettingsTestData;

namespace AzMLK8s.Tests.Settings;

public sealed class UpdateRulesTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    private static ExistingExtension InferenceWithPemOnAks(IReadOnlyCollection<string>? protectedKeys = null) =>
        Existing(ClusterKind.Aks,
            ("enableTraining", "true"), ("enableInference", "true"), ("inferenceRouterServiceType", "LoadBalancer"),
            ("sslCname", "ml.contoso.com"), ("relayserver.enabled", "false"), ("cluster_name", AksId),
            ("nodeSelector.pool", "gpu")) with { ProtectedSettingKeys = protectedKeys };

    [Fact]
    public void Public_settings_merge_and_only_changes_are_sent()
    {
        var plan = Update(TrainingOnAks(), Table(("installDcgmExporter", true), ("enableTraining", "True")));

        Assert.Equal(new[] { "installDcgmExporter" }, plan.ConfigurationSettings.Keys.ToArray());
        Assert.Null(plan.ConfigurationProtectedSettings);
        Assert.Equal(AksId, plan.ResultingConfigurationSettings["cluster_name"]);
        Assert.Equal("true", plan.ResultingConfigurationSettings["installDcgmExporter"]);
    }

    [Fact]
    public void The_same_update_twice_changes_nothing()
    {
        var current = TrainingOnAks(("installDcgmExporter", "true"));
        var plan = Update(current, Table(("installDcgmExporter", true)));

        Assert.Empty(plan.ConfigurationSettings);
        Assert.False(plan.HasChanges);
    }

    [Fact]
    public void A_null_value_removes_a_public_setting()
    {
        var plan = Update(TrainingOnAks(("installDcgmExporter", "true")), Table(("installDcgmExporter", null)));

        Assert.Equal(new[] { "installDcgmExporter" }, plan.RemovedConfigurationSettings);
        Assert.False(plan.ResultingConfigurationSettings.ContainsKey("installDcgmExporter"));
        Assert.Contains("installDcgmExporter: true -> (removed) (installs or removes the DCGM exporter)", plan.WhatIfLines);
    }

    [Fact]
    public void Removing_a_setting_that_is_not_there_is_a_no_op()
    {
        var plan = Update(TrainingOnAks(), Table(("installDcgmExporter", null)));
        Assert.False(plan.HasChanges);
    }

    [Fact]
    public void A_node_selector_cannot_be_removed_and_the_error_says_how()
    {
        var error = Fails(SettingErrors.NodeSelectorRemoval, () => Update(TrainingOnAks(("nodeSelector.pool", "gpu")), Table(("nodeSelector.pool", null))));

        Assert.Contains("Remove-AzMLK8sExtension", error.RecommendedAction);
        Assert.Equal("nodeSelector.pool", error.TargetObject);
    }

    [Fact]
    public void Changing_a_node_selector_is_allowed_and_disruptive()
    {
        var plan = Update(TrainingOnAks(("nodeSelector.pool", "gpu")), Table(("nodeSelector.pool", "cpu")));

        var change = Assert.Single(plan.DisruptiveChanges);
        Assert.Equal(SettingDisruption.InterruptsAllWorkloads, change.Disruption);
        Assert.Equal("gpu", change.OldValue);
    }

    [Theory]
    [InlineData("cluster_name", "/subscriptions/x/resourceGroups/y/providers/Microsoft.ContainerService/managedClusters/other")]
    [InlineData("location", "westus")]
    [InlineData("relayserver.enabled", "true")]
    public void Immutable_settings_are_refused_with_the_way_out(string key, string value)
    {
        var error = Fails(SettingErrors.ImmutableSetting, () => Update(TrainingOnAks(), Table((key, value))));

        Assert.Contains("New-AzMLK8sExtension", error.RecommendedAction);
        Assert.Contains("-ForceImmutableSetting", error.RecommendedAction);
        Assert.Equal(key, error.TargetObject);
    }

    [Fact]
    public void Removing_an_immutable_setting_is_refused()
    {
        Fails(SettingErrors.ImmutableSetting, () => Update(TrainingOnAks(), Table(("domain", null))));
    }

    [Fact]
    public void Force_sends_an_immutable_change_with_a_warning()
    {
        var plan = Update(TrainingOnAks(), Table(("location", "westus")), options: new ExtensionSettingsOptions { ForceImmutableSettingChange = true });

        Assert.Equal("westus", plan.ConfigurationSettings["location"]);
        Assert.Contains(plan.Warnings, w => w.Contains("-ForceImmutableSetting") && w.Contains("'location'"));
        Assert.Contains(plan.DisruptiveChanges, c => c.Disruption == SettingDisruption.ImmutableAfterCreate);
    }

    [Fact]
    public void Adding_a_generated_key_an_old_extension_lacks_is_not_an_immutable_change()
    {
        var current = Existing(ClusterKind.Aks, ("enableTraining", "true"));
        var plan = Update(current, Table(("nginxIngress.enabled", true)));
        Assert.Equal("true", plan.ConfigurationSettings["nginxIngress.enabled"]);
    }

    [Theory]
    [InlineData("enableTraining", "false", SettingDisruption.InterruptsTrainingJobs)]
    [InlineData("installNvidiaDevicePlugin", "false", SettingDisruption.InterruptsAllWorkloads)]
    public void Turning_a_feature_off_is_disruptive(string key, string value, SettingDisruption disruption)
    {
        var current = TrainingOnAks(("enableInference", "true"), ("allowInsecureConnections", "true"), ("installNvidiaDevicePlugin", "true"));
        var plan = Update(current, Table((key, value)));

        Assert.Equal(disruption, Assert.Single(plan.DisruptiveChanges).Disruption);
    }

    [Fact]
    public void Turning_a_feature_on_is_not_disruptive()
    {
        var plan = Update(TrainingOnAks(), Table(("installNvidiaDevicePlugin", true)));

        Assert.Empty(plan.DisruptiveChanges);
        Assert.Contains("installNvidiaDevicePlugin: (not set) -> true (installs the NVIDIA device plugin)", plan.WhatIfLines);
    }

    [Fact]
    public void Enabling_inference_needs_TLS_or_allowInsecureConnections()
    {
        Fails(SettingErrors.TlsRequired, () => Update(TrainingOnAks(), Table(("enableInference", true))));

        var plan = Update(TrainingOnAks(), Table(("enableInference", true), ("allowInsecureConnections", true)));
        Assert.Contains("enableInference: false -> true (installs the inference router)", plan.WhatIfLines);
        Assert.Equal("LoadBalancer", plan.ConfigurationSettings["inferenceRouterServiceType"]);
        Assert.Contains(plan.Warnings, w => w.Contains("plain HTTP"));
    }

    [Fact]
    public void Disabling_both_scenarios_is_refused_and_points_to_Remove()
    {
        var error = Fails(SettingErrors.NoScenarioEnabled, () => Update(TrainingOnAks(), Table(("enableTraining", false))));
        Assert.Contains("Remove-AzMLK8sExtension", error.RecommendedAction);
    }

    [Fact]
    public void Changing_the_router_service_type_is_disruptive_and_updates_the_internal_flags()
    {
        var current = TrainingOnAks(("enableInference", "true"), ("allowInsecureConnections", "true"), ("inferenceRouterServiceType", "LoadBalancer"));
        var plan = Update(current, Table(("inferenceRouterServiceType", "nodeport")));

        Assert.Equal("NodePort", plan.ConfigurationSettings["inferenceRouterServiceType"]);
        Assert.Equal("true", plan.ConfigurationSettings["scoringFe.serviceType.nodePort"]);
        var change = Assert.Single(plan.DisruptiveChanges);
        Assert.Equal("inferenceRouterServiceType", change.Key);
        Assert.Contains("inferenceRouterServiceType: LoadBalancer -> NodePort (re-creates the inference router service; endpoint addresses change)", plan.WhatIfLines);
    }

    [Fact]
    public void Switching_from_NodePort_to_an_internal_load_balancer_sets_both_flags()
    {
        var current = TrainingOnAks(("enableInference", "true"), ("allowInsecureConnections", "true"), ("inferenceRouterServiceType", "NodePort"), ("scoringFe.serviceType.nodePort", "True"));
        var plan = Update(current, Table(("privateEndpointILB", true)));

        Assert.Equal("false", plan.ConfigurationSettings["scoringFe.serviceType.nodePort"]);
        Assert.Equal("true", plan.ConfigurationSettings["scoringFe.serviceType.internalLoadBalancer"]);
        Assert.Equal("LoadBalancer", plan.ConfigurationSettings["inferenceRouterServiceType"]);
    }

    [Fact]
    public void An_internal_load_balancer_on_a_NodePort_router_is_refused_on_update()
    {
        var current = TrainingOnAks(("enableInference", "true"), ("allowInsecureConnections", "true"), ("inferenceRouterServiceType", "NodePort"));
        Fails(SettingErrors.ServiceTypeConflict, () => Update(current, Table(("internalLoadBalancerProvider", "azure"))));
    }

    [Fact]
    public void An_update_with_no_protected_setting_sends_no_protected_map()
    {
        var plan = Update(InferenceWithPemOnAks(), Table(("inferenceRouterHA", false)));

        Assert.Null(plan.ConfigurationProtectedSettings);
        Assert.Equal(SettingDisruption.RestartsInferenceRouter, Assert.Single(plan.DisruptiveChanges).Disruption);
    }

    [Fact]
    public void Touching_one_protected_setting_without_the_others_the_extension_has_is_an_error_naming_them()
    {
        var current = InferenceWithPemOnAks(new[] { "sslCertPemFile", "sslKeyPemFile", "someVendor.token" });
        var error = Fails(SettingErrors.ProtectedSettingsIncomplete, () => Update(current, null, Table(("someVendor.token", "t0ken-value")),
            options: new ExtensionSettingsOptions { AllowUnknownSetting = true }));

        Assert.Contains("'scoringFe.sslCert'", error.Message);
        Assert.Contains("'scoringFe.sslKey'", error.Message);
        Assert.Contains("-SslCertificatePath", error.RecommendedAction);
        Assert.DoesNotContain("t0ken-value", error.Message + error.RecommendedAction);
    }

    [Fact]
    public void When_the_service_returns_no_key_names_the_protected_keys_are_implied_by_the_public_settings()
    {
        var current = InferenceWithPemOnAks(protectedKeys: null);

        Assert.Equal(new[] { "scoringFe.sslCert", "scoringFe.sslKey" }, ExtensionSettingsPlanner.RetainedProtectedKeys(current).OrderBy(k => k));
        var arc = Existing(ClusterKind.Arc, ("enableTraining", "true"), ("azure_log_analytics.enabled", "True"));
        Assert.Equal(new[] { "azure_log_analytics.connection_string", "relayserver.relayConnectionString" }, ExtensionSettingsPlanner.RetainedProtectedKeys(arc).OrderBy(k => k));
    }

    [Fact]
    public void Renewing_the_certificate_on_Arc_keeps_the_relay_secret_re_read_by_the_caller()
    {
        var (certificate, key) = _certificates.Write("renew");
        var current = Existing(ClusterKind.Arc,
            ("enableInference", "true"), ("enableTraining", "false"), ("inferenceRouterServiceType", "LoadBalancer"), ("sslCname", "ml.contoso.com"),
            ("relayserver.enabled", "true"));

        Fails(SettingErrors.ProtectedSettingsIncomplete, () => Update(current, null, Table(("sslCertPemFile", certificate), ("sslKeyPemFile", key))));

        var plan = Update(current, null, Table(("sslCertPemFile", certificate), ("sslKeyPemFile", key)),
            resolvedProtected: new Dictionary<string, string> { ["relayServerConnectionString"] = "Endpoint=sb://relay/;SharedAccessKey=k" });
        Assert.Equal(new[] { "relayserver.relayConnectionString", "scoringFe.sslCert", "scoringFe.sslKey" }, plan.ConfigurationProtectedSettings!.Keys.ToArray());
        Assert.Equal(new[] { "scoringFe.sslCert", "scoringFe.sslKey" }, plan.Changes.Where(c => c.IsProtected).Select(c => c.Key).ToArray());
        Assert.All(plan.Changes.Where(c => c.IsProtected), c => Assert.Equal(SettingDisruption.RestartsInferenceRouter, c.Disruption));
        Assert.Contains("scoringFe.sslCert: *** -> *** (new value) (replaces the inference router's TLS certificate)", plan.WhatIfLines);
    }

    [Fact]
    public void ReplaceProtectedSettings_drops_the_missing_keys_with_a_warning()
    {
        var (certificate, key) = _certificates.Write("replace");
        var current = InferenceWithPemOnAks(new[] { "scoringFe.sslCert", "scoringFe.sslKey", "azure_log_analytics.connection_string" });
        var plan = Update(current, null, Table(("sslCertPemFile", certificate), ("sslKeyPemFile", key)),
            options: new ExtensionSettingsOptions { ReplaceProtectedSettings = true });

        Assert.False(plan.ConfigurationProtectedSettings!.ContainsKey("azure_log_analytics.connection_string"));
        Assert.Contains(plan.Warnings, w => w.Contains("'azure_log_analytics.connection_string'") && w.Contains("deleted"));
        Assert.Contains("azure_log_analytics.connection_string: *** -> (removed)", plan.WhatIfLines);
    }

    [Fact]
    public void A_null_protected_value_drops_that_key_on_purpose()
    {
        var (certificate, key) = _certificates.Write("drop");
        var current = InferenceWithPemOnAks(new[] { "scoringFe.sslCert", "scoringFe.sslKey", "azure_log_analytics.connection_string" });
        var plan = Update(current, null, Table(("sslCertPemFile", certificate), ("sslKeyPemFile", key), ("azure_log_analytics.connection_string", null)));

        Assert.Equal(new[] { "scoringFe.sslCert", "scoringFe.sslKey" }, plan.ConfigurationProtectedSettings!.Keys.ToArray());
        Assert.Contains(plan.Changes, c => c.Key == "azure_log_analytics.connection_string" && c.IsRemoval);
    }

    [Fact]
    public void Switching_from_PEM_files_to_a_secret_needs_the_files_dropped()
    {
        var current = InferenceWithPemOnAks(new[] { "scoringFe.sslCert", "scoringFe.sslKey" });
        var error = Fails(SettingErrors.TlsSourceConflict, () => Update(current, Table(("sslSecret", "ml-tls"))));
        Assert.Contains("sslCertPemFile = $null", error.RecommendedAction);

        var plan = Update(current, Table(("sslSecret", "ml-tls")), Table(("sslCertPemFile", null), ("sslKeyPemFile", null)));
        Assert.Equal("ml-tls", plan.ConfigurationSettings["scoringFe.sslSecret"]);
        Assert.Empty(plan.ConfigurationProtectedSettings!);
    }

    [Fact]
    public void Switching_from_a_secret_to_PEM_files_needs_the_secret_removed()
    {
        var (certificate, key) = _certificates.Write("to-files");
        var current = TrainingOnAks(("enableInference", "true"), ("sslSecret", "ml-tls"), ("scoringFe.sslSecret", "ml-tls"), ("sslCname", "ml.contoso.com"));
        Fails(SettingErrors.TlsSourceConflict, () => Update(current, null, Table(("sslCertPemFile", certificate), ("sslKeyPemFile", key))));

        var plan = Update(current, Table(("sslSecret", null)), Table(("sslCertPemFile", certificate), ("sslKeyPemFile", key)));
        Assert.Contains("sslSecret", plan.RemovedConfigurationSettings);
        Assert.Contains("scoringFe.sslSecret", plan.RemovedConfigurationSettings);
        Assert.True(plan.ConfigurationProtectedSettings!.ContainsKey("scoringFe.sslKey"));
    }

    [Fact]
    public void A_new_certificate_is_checked_against_the_current_sslCname()
    {
        var (certificate, key) = _certificates.Write("other-name", dnsNames: new[] { "api.fabrikam.com" });
        var plan = Update(InferenceWithPemOnAks(new[] { "scoringFe.sslCert", "scoringFe.sslKey" }), null, Table(("sslCertPemFile", certificate), ("sslKeyPemFile", key)));
        Assert.Contains(plan.Warnings, w => w.Contains("'ml.contoso.com'"));
    }

    [Fact]
    public void Turning_log_analytics_on_asks_for_the_workspace_and_off_stops_shipping()
    {
        Assert.Equal(SupportingResources.LogAnalytics, Update(TrainingOnAks(), Table(("logAnalyticsWS", true))).PendingResources);

        var current = TrainingOnAks(("logAnalyticsWS", "true"), ("azure_log_analytics.enabled", "True"));
        var plan = Update(current, Table(("logAnalyticsWS", false)));
        Assert.Equal("false", plan.ConfigurationSettings["azure_log_analytics.enabled"]);
        Assert.Null(plan.ConfigurationProtectedSettings);
    }

    [Fact]
    public void A_new_resolved_secret_is_sent_with_all_retained_ones()
    {
        var current = InferenceWithPemOnAks(new[] { "scoringFe.sslCert", "scoringFe.sslKey" });
        Fails(SettingErrors.ProtectedSettingsIncomplete, () => Update(current, Table(("logAnalyticsWS", true)),
            resolvedProtected: new Dictionary<string, string> { ["azure_log_analytics.connection_string"] = "key==" }));
    }

    [Fact]
    public void A_misspelt_key_the_extension_ignored_is_replaced_when_the_real_key_is_set()
    {
        var current = TrainingOnAks(("InferenceRouterHA", "False"));
        var warned = Update(current, Table(("installDcgmExporter", true)));
        Assert.Contains(warned.Warnings, w => w.Contains("'InferenceRouterHA'") && w.Contains("case-sensitive"));

        var plan = Update(current, Table(("inferenceRouterHA", false)));
        Assert.Equal("false", plan.ConfigurationSettings["inferenceRouterHA"]);
        Assert.Contains("InferenceRouterHA", plan.RemovedConfigurationSettings);
    }

    [Fact]
    public void A_pinned_version_on_update_turns_auto_upgrade_off_and_is_listed()
    {
        var current = TrainingOnAks() with { Version = "1.1.30", AutoUpgradeMinorVersion = true };
        var plan = new ExtensionSettingsPlanner().PlanUpdate(new ExtensionUpdateRequest { Version = "1.1.35" }, current);

        Assert.False(plan.AutoUpgradeMinorVersion);
        Assert.Contains("version: 1.1.30 -> 1.1.35 (upgrades or downgrades the extension's components)", plan.WhatIfLines);
        Assert.Contains("autoUpgradeMinorVersion: true -> false", plan.WhatIfLines);
        Assert.Null(plan.ConfigurationProtectedSettings);
    }

    [Fact]
    public void A_pinned_version_with_auto_upgrade_is_refused_on_update()
    {
        Fails(SettingErrors.VersionWithAutoUpgrade, () => new ExtensionSettingsPlanner().PlanUpdate(
            new ExtensionUpdateRequest { Version = "1.1.35", AutoUpgradeMinorVersion = true }, TrainingOnAks()));
    }

    [Fact]
    public void An_unrelated_update_of_an_extension_made_elsewhere_is_not_refused_for_its_TLS_state()
    {
        // Made by a template with a secret-less HTTPS setup whose protected keys are unknown: only a TLS-related update re-checks.
        var current = Existing(ClusterKind.Aks, ("enableInference", "true"), ("inferenceRouterServiceType", "LoadBalancer"), ("sslSecret", "ml-tls"));
        var plan = Update(current, Table(("installDcgmExporter", true)));
        Assert.Single(plan.ConfigurationSettings);
    }

    [Fact]
    public void A_key_given_and_also_derived_is_sent_and_reported_once_with_the_derived_value()
    {
        var current = TrainingOnAks(("enableInference", "true"), ("allowInsecureConnections", "true"), ("inferenceRouterServiceType", "LoadBalancer"));
        var plan = Update(current, Table(("inferenceRouterServiceType", "NodePort"), ("scoringFe.serviceType.nodePort", false)));

        Assert.Equal("true", plan.ConfigurationSettings["scoringFe.serviceType.nodePort"]);
        Assert.Single(plan.Changes, c => c.Key == "scoringFe.serviceType.nodePort");
    }
}
