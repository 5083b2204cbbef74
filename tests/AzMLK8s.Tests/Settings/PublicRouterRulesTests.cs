using AzMLK8s.Engine.Settings;
using static AzMLK8s.Tests.Settings.SettingsTestData;

namespace AzMLK8s.Tests.Settings;

/// <summary>
/// Inference without a router service type keeps the seed documents' default, a public LoadBalancer, and says so in
/// a warning and in the -WhatIf line; a chosen type (even LoadBalancer) or an internal load balancer says nothing.
/// </summary>
public sealed class PublicRouterRulesTests
{
    [Fact]
    public void Create_without_a_service_type_gets_a_public_load_balancer_and_a_warning_naming_the_other_choices()
    {
        var plan = Create(Table(("enableInference", true), ("allowInsecureConnections", true)));

        Assert.Equal("LoadBalancer", plan.ConfigurationSettings["inferenceRouterServiceType"]);
        Assert.False(plan.ConfigurationSettings.ContainsKey("internalLoadBalancerProvider"));
        var warning = Assert.Single(plan.Warnings, w => w.Contains("PUBLIC load balancer", StringComparison.Ordinal));
        Assert.Contains("reachable from the internet", warning);
        Assert.Contains("-InternalLoadBalancer", warning);
        Assert.Contains("-InferenceRouterServiceType NodePort", warning);
        Assert.Contains("-InferenceRouterServiceType ClusterIP", warning);
        Assert.Contains(plan.WhatIfLines, l => l.StartsWith("inferenceRouterServiceType: (not set) -> LoadBalancer (default, not chosen: a PUBLIC load balancer, the inference router will be reachable from the internet", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("inferenceRouterServiceType", "LoadBalancer")]
    [InlineData("inferenceRouterServiceType", "NodePort")]
    [InlineData("inferenceRouterServiceType", "ClusterIP")]
    [InlineData("internalLoadBalancerProvider", "azure")]
    public void A_chosen_exposure_is_not_warned_about(string key, string value)
    {
        var plan = Create(Table(("enableInference", true), ("allowInsecureConnections", true), (key, value)));

        Assert.DoesNotContain(plan.Warnings, w => w.Contains("PUBLIC", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.WhatIfLines, l => l.Contains("PUBLIC", StringComparison.Ordinal));
    }

    [Fact]
    public void Training_only_has_no_router_and_no_warning()
    {
        Assert.DoesNotContain(Create(Table(("enableTraining", true))).Warnings, w => w.Contains("PUBLIC", StringComparison.Ordinal));
    }

    [Fact]
    public void An_update_that_turns_inference_on_without_a_service_type_warns_the_same_way()
    {
        var current = Existing(ClusterKind.Aks, ("enableTraining", "true"), ("enableInference", "false"), ("relayserver.enabled", "false"));

        var plan = Update(current, Table(("enableInference", true), ("allowInsecureConnections", true)));
        var internalPlan = Update(current, Table(("enableInference", true), ("allowInsecureConnections", true), ("internalLoadBalancerProvider", "azure")));

        Assert.Contains(plan.Warnings, w => w.Contains("PUBLIC load balancer", StringComparison.Ordinal));
        Assert.Contains(plan.WhatIfLines, l => l.StartsWith("inferenceRouterServiceType: (not set) -> LoadBalancer (default, not chosen", StringComparison.Ordinal));
        Assert.DoesNotContain(internalPlan.Warnings, w => w.Contains("PUBLIC", StringComparison.Ordinal));
    }
}
