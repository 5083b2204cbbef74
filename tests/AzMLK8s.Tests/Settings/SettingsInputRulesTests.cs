using AzMLK8s.Engine.Settings;
using static AzMLK8s.Tests.Settings.SettingsTestData;

namespace AzMLK8s.Tests.Settings;

public sealed class SettingsInputRulesTests
{
    [Fact]
    public void Keys_in_any_case_are_sent_in_canonical_case()
    {
        var plan = Create(Table(("ENABLETRAINING", "True"), ("InferenceRouterHA", "False"), ("NodeSelector.Pool", "gpu")));

        Assert.Equal("true", plan.ConfigurationSettings["enableTraining"]);
        Assert.Equal("false", plan.ConfigurationSettings["inferenceRouterHA"]);
        Assert.Equal("gpu", plan.ConfigurationSettings["nodeSelector.Pool"]);
        Assert.DoesNotContain("InferenceRouterHA", plan.ConfigurationSettings.Keys);
        Assert.DoesNotContain("ENABLETRAINING", plan.ConfigurationSettings.Keys);
    }

    [Fact]
    public void An_unknown_key_is_an_error_naming_the_closest_known_key()
    {
        var error = Fails(SettingErrors.UnknownKey, () => Create(Table(("enableTraining", true), ("inferenceRouterHAA", false))));

        Assert.Contains("'inferenceRouterHAA'", error.Message);
        Assert.Contains("'inferenceRouterHA'", error.Message);
        Assert.Contains("-AllowUnknownSetting", error.RecommendedAction);
        Assert.Equal("inferenceRouterHAA", error.TargetObject);
    }

    [Fact]
    public void With_AllowUnknownSetting_an_unknown_key_is_sent_as_given_with_a_warning()
    {
        var plan = Create(
            Table(("enableTraining", true), ("someChart.value", 5)),
            Table(("someChart.secret", "x")),
            options: new ExtensionSettingsOptions { AllowUnknownSetting = true });

        Assert.Equal("5", plan.ConfigurationSettings["someChart.value"]);
        Assert.True(plan.ConfigurationProtectedSettings!.ContainsKey("someChart.secret"));
        Assert.Contains(plan.Warnings, w => w.Contains("'someChart.value'") && w.Contains("-AllowUnknownSetting"));
    }

    [Theory]
    [InlineData("true", "true")]
    [InlineData("True", "true")]
    [InlineData("TRUE", "true")]
    [InlineData(" false ", "false")]
    [InlineData("False", "false")]
    public void Booleans_accept_true_and_false_in_any_case(string given, string sent)
    {
        var plan = Create(Table(("enableTraining", true), ("installNvidiaDevicePlugin", given)));
        Assert.Equal(sent, plan.ConfigurationSettings["installNvidiaDevicePlugin"]);
    }

    [Theory]
    [InlineData(true, "true")]
    [InlineData(false, "false")]
    public void Booleans_accept_real_booleans(bool given, string sent)
    {
        var plan = Create(Table(("enableTraining", true), ("installDcgmExporter", given)));
        Assert.Equal(sent, plan.ConfigurationSettings["installDcgmExporter"]);
    }

    [Theory]
    [InlineData("Ture", "True")]
    [InlineData("ture", "true")]
    [InlineData("Flase", "False")]
    [InlineData("yes", "true")]
    [InlineData("0", "False")]
    [InlineData("Off", "False")]
    public void A_misspelt_boolean_is_an_error_suggesting_the_closest_spelling(string given, string suggestion)
    {
        var error = Fails(SettingErrors.InvalidBoolean, () => Create(Table(("enableInference", true), ("allowInsecureConnections", given))));

        Assert.Contains($"'{given}'", error.Message);
        Assert.Contains($"'{suggestion}'", error.Message);
        Assert.Equal("allowInsecureConnections", error.TargetObject);
    }

    [Fact]
    public void A_number_for_a_boolean_is_a_type_error()
    {
        Fails(SettingErrors.InvalidValueType, () => Create(Table(("enableTraining", 1))));
    }

    [Theory]
    [InlineData("nodeport", "NodePort")]
    [InlineData("LOADBALANCER", "LoadBalancer")]
    [InlineData("clusterIP", "ClusterIP")]
    public void Enums_match_in_any_case_and_are_sent_in_canonical_case(string given, string sent)
    {
        var plan = Create(Table(("enableInference", true), ("allowInsecureConnections", true), ("inferenceRouterServiceType", given)));
        Assert.Equal(sent, plan.ConfigurationSettings["inferenceRouterServiceType"]);
    }

    [Fact]
    public void An_enum_value_outside_the_allowed_list_is_an_error_listing_them()
    {
        var error = Fails(SettingErrors.InvalidEnumValue, () => Create(Table(("enableInference", true), ("inferenceRouterServiceType", "NodePorts"))));

        Assert.Contains("LoadBalancer, NodePort, ClusterIP", error.Message);
        Assert.Contains("'NodePort'", error.Message);
    }

    [Fact]
    public void ClusterPurpose_accepts_only_DevTest_and_FastProd()
    {
        Assert.Equal("DevTest", Create(Table(("enableTraining", true), ("clusterPurpose", "devtest"))).ConfigurationSettings["clusterPurpose"]);
        Fails(SettingErrors.InvalidEnumValue, () => Create(Table(("enableTraining", true), ("clusterPurpose", "Production"))));
    }

    [Fact]
    public void PrivateEndpointILB_is_translated_to_an_internal_LoadBalancer_with_a_warning()
    {
        var plan = Create(Table(("enableInference", true), ("allowInsecureConnections", true), ("privateEndpointILB", "True")));

        Assert.Equal("azure", plan.ConfigurationSettings["internalLoadBalancerProvider"]);
        Assert.Equal("LoadBalancer", plan.ConfigurationSettings["inferenceRouterServiceType"]);
        Assert.Equal("true", plan.ConfigurationSettings["scoringFe.serviceType.internalLoadBalancer"]);
        Assert.DoesNotContain("privateEndpointILB", plan.ConfigurationSettings.Keys);
        Assert.Contains(plan.Warnings, w => w.Contains("'privateEndpointILB' is obsolete") && w.Contains("internalLoadBalancerProvider=azure"));
    }

    [Fact]
    public void PrivateEndpointNodeport_is_translated_to_a_NodePort_router()
    {
        var plan = Create(Table(("enableInference", true), ("allowInsecureConnections", true), ("privateEndpointNodeport", true)));

        Assert.Equal("NodePort", plan.ConfigurationSettings["inferenceRouterServiceType"]);
        Assert.Equal("true", plan.ConfigurationSettings["scoringFe.serviceType.nodePort"]);
        Assert.DoesNotContain("privateEndpointNodeport", plan.ConfigurationSettings.Keys);
    }

    [Fact]
    public void A_false_legacy_endpoint_key_means_nothing_and_says_so()
    {
        var plan = Create(Table(("enableInference", true), ("allowInsecureConnections", true), ("privateEndpointILB", false)));

        Assert.False(plan.ConfigurationSettings.ContainsKey("internalLoadBalancerProvider"));
        Assert.Contains(plan.Warnings, w => w.Contains("'privateEndpointILB'") && w.Contains("nothing"));
    }

    [Fact]
    public void InferenceLoadBalancerHA_becomes_inferenceRouterHA()
    {
        var plan = Create(Table(("enableInference", true), ("allowInsecureConnections", true), ("inferenceLoadBalancerHA", "False")));
        Assert.Equal("false", plan.ConfigurationSettings["inferenceRouterHA"]);
    }

    [Theory]
    [InlineData(true, "false")]
    [InlineData(false, "true")]
    public void ReuseExistingPromOp_becomes_installPromOp_with_the_meaning_inverted(bool reuse, string install)
    {
        var plan = Create(Table(("enableTraining", true), ("reuseExistingPromOp", reuse)));

        Assert.Equal(install, plan.ConfigurationSettings["installPromOp"]);
        Assert.DoesNotContain("reuseExistingPromOp", plan.ConfigurationSettings.Keys);
    }

    [Fact]
    public void A_legacy_key_and_its_replacement_with_different_values_conflict()
    {
        var error = Fails(SettingErrors.LegacyKeyConflict, () => Create(Table(("enableTraining", true), ("reuseExistingPromOp", true), ("installPromOp", true))));

        Assert.Contains("'reuseExistingPromOp'", error.Message);
        Assert.Contains("'installPromOp'", error.Message);
    }

    [Fact]
    public void A_legacy_key_and_its_replacement_with_the_same_meaning_are_accepted()
    {
        var plan = Create(Table(("enableTraining", true), ("reuseExistingPromOp", true), ("installPromOp", false)));
        Assert.Equal("false", plan.ConfigurationSettings["installPromOp"]);
    }

    [Fact]
    public void Both_legacy_endpoint_keys_true_conflict_on_the_service_type()
    {
        var error = Fails(SettingErrors.LegacyKeyConflict, () => Create(Table(
            ("enableInference", true), ("allowInsecureConnections", true), ("privateEndpointILB", true), ("privateEndpointNodeport", true))));

        Assert.Contains("inferenceRouterServiceType", error.Message);
    }

    [Fact]
    public void PrivateEndpointNodeport_with_an_explicit_LoadBalancer_type_conflicts()
    {
        Fails(SettingErrors.LegacyKeyConflict, () => Create(Table(
            ("enableInference", true), ("allowInsecureConnections", true), ("privateEndpointNodeport", true), ("inferenceRouterServiceType", "LoadBalancer"))));
    }

    [Fact]
    public void An_alias_is_sent_under_the_catalog_key_with_a_warning()
    {
        var plan = Create(Table(("enableTraining", true), ("installPrometheusOperator", false)));

        Assert.Equal("false", plan.ConfigurationSettings["installPromOp"]);
        Assert.DoesNotContain("installPrometheusOperator", plan.ConfigurationSettings.Keys);
        Assert.Contains(plan.Warnings, w => w.Contains("'installPrometheusOperator' is an older name of 'installPromOp'"));
    }

    [Fact]
    public void An_alias_and_its_key_with_different_values_conflict()
    {
        Fails(SettingErrors.LegacyKeyConflict, () => Create(Table(("enableTraining", true), ("installVolcanoScheduler", false), ("installVolcano", true))));
    }

    [Fact]
    public void Two_spellings_of_one_key_with_different_values_are_a_duplicate()
    {
        Fails(SettingErrors.DuplicateKey, () => Create(CaseSensitive(("enableTraining", true), ("EnableTraining", false))));
    }

    [Fact]
    public void A_key_in_both_public_and_protected_settings_is_an_error()
    {
        var error = Fails(SettingErrors.DuplicateKey, () => Create(Table(("enableTraining", true), ("sslCname", "a.b")), Table(("sslCname", "a.b"))));
        Assert.Equal("sslCname", error.TargetObject);
    }

    [Theory]
    [InlineData("sslCertPemFile")]
    [InlineData("relayServerConnectionString")]
    [InlineData("scoringFe.sslKey")]
    public void A_secret_in_the_public_settings_is_an_error_that_does_not_repeat_it(string key)
    {
        var error = Fails(SettingErrors.SecretInPublicSettings, () => Create(Table(("enableTraining", true), (key, "CanaryPublicSecret123"))));

        Assert.DoesNotContain("CanaryPublicSecret123", error.Message + error.RecommendedAction);
        Assert.Contains("-ConfigurationProtectedSetting", error.RecommendedAction);
    }

    [Fact]
    public void A_public_setting_given_as_protected_is_sent_as_public_with_a_warning()
    {
        var plan = Create(Table(("enableInference", true), ("allowInsecureConnections", true)), Table(("enableTraining", "true")));

        Assert.Equal("true", plan.ConfigurationSettings["enableTraining"]);
        Assert.False(plan.ConfigurationProtectedSettings!.ContainsKey("enableTraining"));
        Assert.Contains(plan.Warnings, w => w.Contains("'enableTraining' is not a secret"));
    }

    [Fact]
    public void A_SecureString_protected_value_is_sent()
    {
        var plan = Create(Table(("enableTraining", true)), Table(("relayServerConnectionString", Secure("Endpoint=sb://relay/;SharedAccessKey=abc"))), Arc());
        Assert.Equal("Endpoint=sb://relay/;SharedAccessKey=abc", plan.ConfigurationProtectedSettings!["relayserver.relayConnectionString"]);
    }

    [Fact]
    public void A_SecureString_for_a_public_setting_is_refused()
    {
        Fails(SettingErrors.InvalidValueType, () => Create(Table(("enableTraining", true), ("sslCname", Secure("ml.contoso.com")))));
    }

    [Fact]
    public void A_null_value_on_create_is_an_error()
    {
        Fails(SettingErrors.MissingValue, () => Create(Table(("enableTraining", true), ("sslCname", null))));
    }

    [Fact]
    public void An_empty_string_value_is_an_error()
    {
        Fails(SettingErrors.MissingValue, () => Create(Table(("enableTraining", true), ("volcanoScheduler.schedulerConfigMap", " "))));
    }

    [Fact]
    public void A_value_of_an_unsupported_type_is_an_error_naming_the_type()
    {
        var error = Fails(SettingErrors.InvalidValueType, () => Create(Table(("enableTraining", true), ("sslCname", new object[] { "a" }))));
        Assert.Contains("Object[]", error.Message);
    }

    [Theory]
    [InlineData("nodeSelector.kubernetes.azure.com/agentpool", "gpu")]
    [InlineData("nodeSelector.node-purpose", "worker")]
    [InlineData("nodeSelector.Disk_Type", "ssd")]
    public void Valid_node_selectors_are_sent_with_the_label_case_kept(string key, string value)
    {
        var plan = Create(Table(("enableTraining", true), (key, value)));
        Assert.Equal(value, plan.ConfigurationSettings[key]);
    }

    [Theory]
    [InlineData("nodeSelector.bad label", "x")]
    [InlineData("nodeSelector.pool", "not valid!")]
    [InlineData("nodeSelector.-pool", "x")]
    public void Invalid_node_selector_labels_are_errors(string key, string value)
    {
        Fails(SettingErrors.InvalidValue, () => Create(Table(("enableTraining", true), (key, value))));
    }

    [Fact]
    public void A_memory_limit_must_be_a_Kubernetes_quantity()
    {
        Assert.Equal("1Gi", Create(Table(("enableTraining", true), ("nginxIngress.resources.controller.limits.memory", "1Gi"))).ConfigurationSettings["nginxIngress.resources.controller.limits.memory"]);
        Fails(SettingErrors.InvalidValue, () => Create(Table(("enableTraining", true), ("nginxIngress.resources.controller.limits.memory", "1 GB"))));
    }

    [Fact]
    public void An_invalid_secret_name_is_an_error()
    {
        Fails(SettingErrors.InvalidValue, () => Create(Table(("enableInference", true), ("sslSecret", "My_Secret"), ("sslCname", "a.b"))));
    }
}
