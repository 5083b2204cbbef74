using AzMLK8s.Cmdlets.Prerequisites;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Operations.Prerequisites;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Prerequisites;
using AzMLK8s.Tests.Azure;
using AzMLK8s.Tests.Infrastructure;
using AzMLK8s.Tests.RoleCmdlets;

namespace AzMLK8s.Tests.PrerequisiteCmdlets;

/// <summary>Register-AzMLK8sPrerequisite's waits and idempotence; Grant-AzMLK8sOpenShiftAccess's SCC patch.</summary>
public sealed class RegistrationAndOpenShiftCmdletTests : EmulatorPerTest
{
    private static readonly string OcpId = $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.Kubernetes/connectedClusters/arc-ocp";

    [Fact]
    public void Registration_waits_until_Registered_then_registers_ContainerService_again_and_a_rerun_writes_nothing()
    {
        Server.State.Registrations.Set(Registrations.ProviderKey(ArmTestConnections.Subscription, "Microsoft.KubernetesConfiguration"), "NotRegistered");
        var host = RoleTestWorld.Host(Server);

        CmdletRunner.Run(Register(new RegisterAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.AksId }), host);

        Assert.Empty(host.Errors);
        var results = host.Output.Cast<AzMLK8sPrerequisiteCheck>().ToDictionary(c => c.Name);
        Assert.All(results.Values, r => Assert.Equal(PrerequisiteStatus.Pass, r.Status));
        Assert.Contains("registered (was NotRegistered)", results["Provider.Microsoft.KubernetesConfiguration"].Detail);
        Assert.Contains("registered again", results["Feature.Microsoft.ContainerService/AKS-ExtensionManager"].Detail);
        Assert.Contains(host.Progress, p => p.Activity.Contains("AKS-ExtensionManager", StringComparison.Ordinal));
        Assert.Equal("Registered", State(Registrations.FeatureKey(ArmTestConnections.Subscription, "Microsoft.ContainerService", "AKS-ExtensionManager")));
        Assert.Equal("Registered", State(Registrations.ProviderKey(ArmTestConnections.Subscription, "Microsoft.KubernetesConfiguration")));
        Assert.Equal(1, Server.State.Requests.Count("POST", "Features_Register"));
        Assert.Equal(2, Server.State.Requests.Count("POST", "Providers_Register"));
        Assert.True(Server.State.Requests.Count("GET", "Features_Get") >= 2);

        Server.State.Requests.Clear();
        var again = RoleTestWorld.Host(Server);
        CmdletRunner.Run(Register(new RegisterAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.AksId }), again);

        Assert.All(again.Output.Cast<AzMLK8sPrerequisiteCheck>(), r => Assert.Contains("already registered", r.Detail));
        Assert.Equal(0, Server.State.Requests.Count("POST", "Features_Register"));
        Assert.Equal(0, Server.State.Requests.Count("POST", "Providers_Register"));
    }

    [Fact]
    public void For_Arc_it_registers_Relay_and_not_the_AKS_feature_and_WhatIf_registers_nothing()
    {
        Server.State.Registrations.Set(Registrations.ProviderKey(ArmTestConnections.Subscription, "Microsoft.Relay"), "NotRegistered");
        var whatIf = RoleTestWorld.Host(Server);
        whatIf.ShouldProcessAnswer = (_, _) => false;

        CmdletRunner.Run(Register(new RegisterAzMLK8sPrerequisiteCommand { ClusterType = AzMLK8sClusterType.Arc }), whatIf);

        var (target, action) = Assert.Single(whatIf.ShouldProcessCalls);
        Assert.Equal($"/subscriptions/{ArmTestConnections.Subscription}", target);
        Assert.Contains("Microsoft.Relay", action);
        Assert.Equal(0, Server.State.Requests.Count("POST", "Providers_Register"));
        Assert.DoesNotContain(whatIf.Output.Cast<AzMLK8sPrerequisiteCheck>(), r => r.Name.StartsWith("Feature.", StringComparison.Ordinal));

        CmdletRunner.Run(Register(new RegisterAzMLK8sPrerequisiteCommand { ClusterType = AzMLK8sClusterType.Arc }), RoleTestWorld.Host(Server));
        Assert.Equal("Registered", State(Registrations.ProviderKey(ArmTestConnections.Subscription, "Microsoft.Relay")));
    }

    [Fact]
    public void The_SCC_grant_adds_the_seed_accounts_once_and_keeps_other_users()
    {
        var before = Privileged();
        var host = RoleTestWorld.Host(Server);

        CmdletRunner.Run(new GrantAzMLK8sOpenShiftAccessCommand { ClusterResourceId = OcpId, ExtensionName = "aml-ext", Namespace = "team-a" }, host);
        var afterFirst = Privileged();
        CmdletRunner.Run(new GrantAzMLK8sOpenShiftAccessCommand { ClusterResourceId = OcpId, ExtensionName = "aml-ext", Namespace = "team-a" }, host);
        var afterSecond = Privileged();

        Assert.Empty(host.Errors);
        var expected = OpenShiftServiceAccounts.For("aml-ext", "team-a");
        Assert.Equal(12, expected.Count);
        Assert.Contains("system:serviceaccount:azureml:aml-ext-kube-state-metrics", expected);
        Assert.Contains("system:serviceaccount:team-a:default", expected);
        Assert.Contains("system:serviceaccount:azure-arc:azure-arc-kube-aad-proxy-sa", expected);
        Assert.Equal(before.Concat(expected).Distinct().OrderBy(u => u), afterFirst.OrderBy(u => u));
        Assert.Equal(afterFirst, afterSecond);
        Assert.Equal(afterFirst.Count, afterFirst.Distinct().Count());
        var results = host.Output.Cast<AzMLK8sPrerequisiteCheck>().ToArray();
        Assert.Contains("12 service account(s) added", results[0].Detail);
        Assert.Contains("0 service account(s) added", results[1].Detail);
        Assert.All(results, r => Assert.Equal(PrerequisiteStatus.Pass, r.Status));
    }

    [Fact]
    public void WhatIf_lists_the_accounts_and_changes_nothing_and_the_default_namespace_account_is_skipped()
    {
        var before = Privileged();
        var host = RoleTestWorld.Host(Server);
        host.ShouldProcessAnswer = (_, _) => false;

        CmdletRunner.Run(new GrantAzMLK8sOpenShiftAccessCommand { ClusterResourceId = OcpId }, host);

        Assert.Equal(11, host.ShouldProcessCalls.Count);
        Assert.DoesNotContain(host.ShouldProcessCalls, c => c.Action.Contains("system:serviceaccount:default:default", StringComparison.Ordinal));
        Assert.Contains(host.ShouldProcessCalls, c => c.Action.Contains("system:serviceaccount:azureml:azureml-kube-state-metrics", StringComparison.Ordinal));
        Assert.All(host.ShouldProcessCalls, c => Assert.Contains("privileged", c.Target));
        Assert.Equal(before, Privileged());
    }

    [Fact]
    public void A_cluster_that_is_not_OpenShift_is_refused_clearly()
    {
        var host = RoleTestWorld.Host(Server);

        CmdletRunner.Run(new GrantAzMLK8sOpenShiftAccessCommand { ClusterResourceId = ArmTestConnections.AksId }, host);

        var error = Assert.Single(host.Errors);
        Assert.Equal("NotOpenShift", error.ErrorId);
        Assert.Contains("not OpenShift", error.Message);
        Assert.Empty(host.Output);
    }

    private static RegisterAzMLK8sPrerequisiteCommand Register(RegisterAzMLK8sPrerequisiteCommand cmdlet)
    {
        cmdlet.ConnectionOptions = ArmTestConnections.FastOptions();
        return cmdlet;
    }

    private string State(string key) => Server.State.Registrations.Get(key, DateTimeOffset.UtcNow, "NotRegistered");

    private List<string> Privileged()
    {
        var scc = Server.State.FindCluster(OcpId)!.Kubernetes.Get("security.openshift.io/v1", "SecurityContextConstraints", string.Empty, OpenShiftServiceAccounts.PrivilegedScc)!;
        return scc["users"]!.AsArray().Select(u => u!.GetValue<string>()).ToList();
    }
}
