using AzMLK8s.Engine.Settings;
using static AzMLK8s.Tests.Settings.SettingsTestData;

namespace AzMLK8s.Tests.Settings;

public sealed class ClusterDefaultsTests
{
    [Fact]
    public void The_internal_cluster_keys_are_set_from_the_cluster()
    {
        var plan = Create(Table(("enableTraining", true)), cluster: Aks() with { Location = "East US" });
        var settings = plan.ConfigurationSettings;

        Assert.Equal(AksId, settings["cluster_name"]);
        Assert.Equal(AksId, settings["clusterId"]);
        Assert.Equal(AksId, settings["prometheus.prometheusSpec.externalLabels.cluster_name"]);
        Assert.Equal("aks1", settings["cluster_name_friendly"]);
        Assert.Equal("eastus", settings["location"]);
        Assert.Equal("eastus", settings["jobSchedulerLocation"]);
        Assert.Equal("eastus.cloudapp.azure.com", settings["domain"]);
    }

    [Fact]
    public void A_caller_domain_is_kept_unlike_the_CLI()
    {
        var plan = Create(Table(("enableTraining", true), ("domain", "ml.internal.contoso.com")));
        Assert.Equal("ml.internal.contoso.com", plan.ConfigurationSettings["domain"]);
    }

    [Fact]
    public void The_domain_follows_the_cluster_cloud()
    {
        var plan = Create(Table(("enableTraining", true)), cluster: Aks() with { Location = "usgovvirginia", CloudAppDnsZone = "cloudapp.usgovcloudapi.net" });
        Assert.Equal("usgovvirginia.cloudapp.usgovcloudapi.net", plan.ConfigurationSettings["domain"]);
    }

    [Fact]
    public void AKS_uses_the_NGINX_ingress_and_no_relay_and_no_identity()
    {
        var plan = Create(Table(("enableTraining", true)), cluster: Aks());

        Assert.Equal("false", plan.ConfigurationSettings["relayserver.enabled"]);
        Assert.Equal("true", plan.ConfigurationSettings["nginxIngress.enabled"]);
        Assert.Equal("false", plan.ConfigurationSettings["servicebus.enabled"]);
        Assert.Null(plan.IdentityType);
        Assert.Equal(SupportingResources.None, plan.PendingResources);
    }

    [Fact]
    public void Arc_uses_the_relay_a_system_identity_and_asks_for_the_relay_resource()
    {
        var plan = Create(Table(("enableTraining", true)), cluster: Arc());

        Assert.Equal("true", plan.ConfigurationSettings["relayserver.enabled"]);
        Assert.Equal("false", plan.ConfigurationSettings["nginxIngress.enabled"]);
        Assert.Equal("SystemAssigned", plan.IdentityType);
        Assert.Equal(SupportingResources.Relay, plan.PendingResources);
    }

    [Fact]
    public void Resolved_relay_settings_complete_an_Arc_plan_under_the_keys_the_chart_reads()
    {
        var plan = new ExtensionSettingsPlanner().PlanCreate(
            new ExtensionCreateRequest
            {
                ConfigurationSettings = Table(("enableTraining", true)),
                ResolvedSettings = new Dictionary<string, string> { ["relayserver.hybridConnectionName"] = "arc1" },
                ResolvedProtectedSettings = new Dictionary<string, string> { ["relayServerConnectionString"] = "Endpoint=sb://x/;SharedAccessKey=k" },
            },
            Arc());

        Assert.Equal(SupportingResources.None, plan.PendingResources);
        Assert.Equal("arc1", plan.ConfigurationSettings["relayserver.hybridConnectionName"]);
        Assert.Equal(new[] { "relayserver.relayConnectionString" }, plan.ConfigurationProtectedSettings!.Keys.ToArray());
    }

    [Fact]
    public void A_caller_relay_setting_wins_over_the_kind_default()
    {
        var plan = Create(Table(("enableTraining", true), ("relayserver.enabled", false)), cluster: Arc());

        Assert.Equal("false", plan.ConfigurationSettings["relayserver.enabled"]);
        Assert.Equal(SupportingResources.None, plan.PendingResources);
    }

    [Fact]
    public void LogAnalyticsWS_asks_for_the_workspace_and_its_key_enables_log_shipping()
    {
        Assert.Equal(SupportingResources.LogAnalytics, Create(Table(("enableTraining", true), ("logAnalyticsWS", true))).PendingResources);

        var plan = new ExtensionSettingsPlanner().PlanCreate(
            new ExtensionCreateRequest
            {
                ConfigurationSettings = Table(("enableTraining", true), ("logAnalyticsWS", true)),
                ResolvedSettings = new Dictionary<string, string> { ["azure_log_analytics.customer_id"] = "0000-1111" },
                ResolvedProtectedSettings = new Dictionary<string, string> { ["azure_log_analytics.connection_string"] = "key==" },
            },
            Aks());
        Assert.Equal(SupportingResources.None, plan.PendingResources);
        Assert.Equal("true", plan.ConfigurationSettings["azure_log_analytics.enabled"]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Fewer_than_three_nodes_set_single_router_and_DevTest_with_a_warning_that_says_why(int nodes)
    {
        var plan = Create(Table(("enableInference", true), ("allowInsecureConnections", true)), cluster: Aks(nodes));

        Assert.Equal("false", plan.ConfigurationSettings["inferenceRouterHA"]);
        Assert.Equal("DevTest", plan.ConfigurationSettings["clusterPurpose"]);
        Assert.Contains(plan.Warnings, w => w.Contains($"{nodes} node(s)") && w.Contains("different nodes"));
    }

    [Fact]
    public void Explicit_small_cluster_settings_are_kept()
    {
        var plan = Create(Table(("enableTraining", true), ("clusterPurpose", "FastProd"), ("inferenceRouterHA", false)), cluster: Aks(1));

        Assert.Equal("FastProd", plan.ConfigurationSettings["clusterPurpose"]);
        Assert.DoesNotContain(plan.Warnings, w => w.Contains("node(s)"));
    }

    [Fact]
    public void Asking_for_an_HA_router_on_a_small_cluster_warns_about_E40002()
    {
        var plan = Create(Table(("enableInference", true), ("allowInsecureConnections", true), ("inferenceRouterHA", true), ("clusterPurpose", "DevTest")), cluster: Aks(2));
        Assert.Contains(plan.Warnings, w => w.Contains("E40002"));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(null)]
    public void Three_nodes_or_an_unknown_count_set_nothing(int? nodes)
    {
        var plan = Create(Table(("enableTraining", true)), cluster: Aks(nodes));

        Assert.False(plan.ConfigurationSettings.ContainsKey("inferenceRouterHA"));
        Assert.False(plan.ConfigurationSettings.ContainsKey("clusterPurpose"));
    }

    [Fact]
    public void An_OpenShift_distribution_sets_openshift_true()
    {
        var plan = Create(Table(("enableTraining", true)), cluster: Arc(distribution: "OpenShift"));

        Assert.Equal("true", plan.ConfigurationSettings["openshift"]);
        Assert.Contains(plan.Warnings, w => w.Contains("OpenShift"));
    }

    [Fact]
    public void Other_distributions_leave_openshift_unset()
    {
        Assert.False(Create(Table(("enableTraining", true)), cluster: Arc(distribution: "k3s")).ConfigurationSettings.ContainsKey("openshift"));
    }
}
