using AzMLK8s.Engine.Settings;

namespace AzMLK8s.Tests.Settings;

public sealed class SettingsCatalogTests
{
    public static TheoryData<string> SeedAndTodayKeys => new()
    {
        // Seed 001/004 tables
        "enableTraining", "enableInference", "allowInsecureConnections", "sslSecret", "sslCname", "openshift",
        "nodeSelector.pool", "installNvidiaDevicePlugin", "logAnalyticsWS", "sslCertPemFile", "sslKeyPemFile",
        // Today's keys
        "inferenceRouterServiceType", "internalLoadBalancerProvider", "inferenceRouterHA", "installPromOp", "installVolcano",
        "installDcgmExporter", "clusterPurpose", "isAKSMigration", "relayserver.enabled", "servicebus.enabled", "nginxIngress.enabled",
        "cluster_name", "domain", "location", "jobSchedulerLocation", "cluster_name_friendly", "clusterId",
        "prometheus.prometheusSpec.externalLabels.cluster_name", "scoringFe.sslCert", "scoringFe.sslKey",
        "relayServerConnectionString", "azure_log_analytics.connection_string", "volcanoScheduler.schedulerConfigMap",
    };

    [Theory]
    [MemberData(nameof(SeedAndTodayKeys))]
    public void Every_seed_and_current_key_is_in_the_catalog(string key)
    {
        Assert.NotNull(SettingsCatalog.Find(key));
    }

    [Theory]
    [InlineData("privateEndpointILB")]
    [InlineData("privateEndpointNodeport")]
    [InlineData("inferenceLoadBalancerHA")]
    [InlineData("reuseExistingPromOp")]
    public void The_seed_legacy_keys_are_legacy_entries_not_settings(string key)
    {
        Assert.Null(SettingsCatalog.Find(key));
        Assert.NotNull(SettingsCatalog.FindLegacy(key));
    }

    [Fact]
    public void No_two_entries_share_a_key_alias_or_legacy_name_in_any_case()
    {
        var names = SettingsCatalog.AllNames.ToArray();
        var duplicates = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Every_legacy_translation_targets_a_public_catalog_key_with_a_valid_value()
    {
        foreach (var legacy in SettingsCatalog.LegacySettings)
        {
            Assert.NotEmpty(legacy.WhenTrue.Concat(legacy.WhenFalse));
            foreach (var (key, value) in legacy.WhenTrue.Concat(legacy.WhenFalse))
            {
                var definition = SettingsCatalog.Find(key);
                Assert.True(definition is not null, $"{legacy.Key} -> {key} is not in the catalog");
                Assert.Equal(key, definition!.Key);
                Assert.False(definition.IsProtected);
                AssertValidValue(definition, value);
            }
        }
    }

    [Fact]
    public void Every_default_and_allowed_value_is_a_valid_value_of_its_kind()
    {
        foreach (var definition in SettingsCatalog.Settings)
        {
            if (definition.Default is { } value)
            {
                AssertValidValue(definition, value);
            }

            Assert.Equal(definition.Kind == SettingValueKind.Enum, definition.AllowedValues.Count > 0);
        }
    }

    [Fact]
    public void Every_entry_is_described_and_says_what_a_change_does_when_it_disrupts()
    {
        foreach (var definition in SettingsCatalog.Settings)
        {
            Assert.False(string.IsNullOrWhiteSpace(definition.Description), definition.Key);
            Assert.NotEqual(SettingScenarios.None, definition.Scenarios);
            if (definition.Disruption != SettingDisruption.None)
            {
                Assert.True(definition.EffectOf("true", "false") is not null || definition.EffectWhenChanged is not null, definition.Key);
            }
        }
    }

    [Fact]
    public void Map_entries_end_with_a_dot_and_other_keys_do_not()
    {
        foreach (var definition in SettingsCatalog.Settings)
        {
            Assert.Equal(definition.IsMap, definition.Key.EndsWith('.'));
        }
    }

    [Fact]
    public void Renamed_keys_point_to_catalog_keys_and_local_only_keys_are_protected()
    {
        foreach (var definition in SettingsCatalog.Settings.Where(d => d.SentAs is not null))
        {
            var target = SettingsCatalog.Find(definition.SentAs!);
            Assert.NotNull(target);
            Assert.Equal(definition.IsProtected, target!.IsProtected);
        }

        Assert.All(SettingsCatalog.Settings.Where(d => d.IsLocalOnly), d => Assert.True(d.IsProtected && d.SentAs is not null));
    }

    [Fact]
    public void Aliases_are_not_keys_and_resolve_to_their_entry()
    {
        foreach (var definition in SettingsCatalog.Settings)
        {
            foreach (var alias in definition.Aliases)
            {
                Assert.Null(SettingsCatalog.Find(alias));
                Assert.Same(definition, SettingsCatalog.FindByAlias(alias.ToUpperInvariant()));
            }
        }
    }

    [Theory]
    [InlineData("InferenceRouterHA", "inferenceRouterHA")]
    [InlineData("ENABLETRAINING", "enableTraining")]
    [InlineData("NodeSelector.Pool", "nodeSelector.Pool")]
    [InlineData("RELAYSERVER.ENABLED", "relayserver.enabled")]
    public void Keys_are_found_in_any_case_and_written_in_canonical_case(string given, string canonical)
    {
        var definition = SettingsCatalog.Find(given);
        Assert.NotNull(definition);
        Assert.Equal(canonical, SettingsCatalog.Canonicalize(given, definition!));
    }

    [Theory]
    [InlineData("enableTrainig", "enableTraining")]
    [InlineData("inferenceRouterHa2", "inferenceRouterHA")]
    [InlineData("sslCnam", "sslCname")]
    [InlineData("nodeSelecter.pool", "nodeSelector.")]
    [InlineData("allowInsecureConnection", "allowInsecureConnections")]
    public void The_closest_known_name_is_found_by_edit_distance(string typo, string expected)
    {
        Assert.Equal(expected, SettingsCatalog.ClosestKnownName(typo));
    }

    private static void AssertValidValue(SettingDefinition definition, string value)
    {
        // The engine's own input conversion throws on an invalid value.
        var converted = SettingValues.Convert(definition.Key, definition, value);
        Assert.True(SettingValues.Equivalent(definition, value, converted), $"{definition.Key}={value}");
        if (definition.Kind == SettingValueKind.Enum)
        {
            Assert.Contains(value, definition.AllowedValues);
        }
    }
}
