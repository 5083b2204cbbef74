using System.Collections;
using AzMLK8s.Cmdlets.Prerequisites;
using AzMLK8s.Cmdlets.Roles;
using AzMLK8s.Emulator.State;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Prerequisites;
using AzMLK8s.Tests.Azure;
using AzMLK8s.Tests.Infrastructure;
using AzMLK8s.Tests.RoleCmdlets;

namespace AzMLK8s.Tests.PrerequisiteCmdlets;

/// <summary>Test-AzMLK8sPrerequisite: each check passing and failing against the emulator's clusters and registrations.</summary>
public sealed class PrerequisiteCmdletTests : EmulatorPerTest
{
    private static readonly string OcpId = $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.Kubernetes/connectedClusters/arc-ocp";

    [Fact]
    public void A_ready_AKS_cluster_passes_everything_but_the_unregistered_feature()
    {
        var checks = Run(new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.AksId, Namespace = "team-a" });

        Assert.Equal(PrerequisiteStatus.Fail, checks["Feature.Microsoft.ContainerService/AKS-ExtensionManager"].Status);
        Assert.Equal($"Register-AzMLK8sPrerequisite -ClusterResourceId '{ArmTestConnections.AksId}'", checks["Feature.Microsoft.ContainerService/AKS-ExtensionManager"].Fix);
        Assert.All(checks.Values.Where(c => !c.Name.StartsWith("Feature.", StringComparison.Ordinal)), c => Assert.Equal(PrerequisiteStatus.Pass, c.Status));
        Assert.All(checks.Values.Where(c => c.Status == PrerequisiteStatus.Pass), c => Assert.Null(c.Fix));
        Assert.Equal(
            new[] { "Provider.Microsoft.KubernetesConfiguration", "Provider.Microsoft.ContainerService", "Provider.Microsoft.MachineLearningServices" },
            checks.Keys.Where(k => k.StartsWith("Provider.", StringComparison.Ordinal)));
        Assert.Contains("Cluster.SchedulableNodes", checks.Keys);
        Assert.Contains("Cluster.ComputeNamespace", checks.Keys);
        Assert.Contains("Not an OpenShift", checks["Cluster.OpenShiftSccGrants"].Detail);
    }

    [Fact]
    public void Unregistered_and_registering_providers_fail_and_warn_and_Arc_needs_Relay_and_no_feature()
    {
        Server.State.Registrations.Set(Registrations.ProviderKey(ArmTestConnections.Subscription, "Microsoft.Relay"), "NotRegistered");
        Server.State.Registrations.Set(Registrations.ProviderKey(ArmTestConnections.Subscription, "Microsoft.KubernetesConfiguration"), "Registering");

        var checks = Run(new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.ArcId });

        Assert.Equal(PrerequisiteStatus.Fail, checks["Provider.Microsoft.Relay"].Status);
        Assert.Equal(PrerequisiteStatus.Warn, checks["Provider.Microsoft.KubernetesConfiguration"].Status);
        Assert.Equal(PrerequisiteStatus.Pass, checks["Provider.Microsoft.Kubernetes"].Status);
        Assert.Equal($"Register-AzMLK8sPrerequisite -ClusterResourceId '{ArmTestConnections.ArcId}'", checks["Provider.Microsoft.Relay"].Fix);
        Assert.DoesNotContain(checks.Keys, k => k.StartsWith("Feature.", StringComparison.Ordinal));
        Assert.DoesNotContain("Provider.Microsoft.ContainerService", checks.Keys);
    }

    [Fact]
    public void Two_nodes_warn_without_inference_fail_with_HA_inference_and_pass_without_HA()
    {
        Assert.Equal(PrerequisiteStatus.Warn, Run(new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.ArcId })["Cluster.SchedulableNodes"].Status);

        var inference = Run(new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.ArcId }.WithSwitch("EnableInference"))["Cluster.SchedulableNodes"];
        Assert.Equal(PrerequisiteStatus.Fail, inference.Status);
        Assert.Contains("2 of 2", inference.Detail);
        Assert.Equal($"New-AzMLK8sExtension -ClusterResourceId '{ArmTestConnections.ArcId}' -ConfigurationSetting @{{ inferenceRouterHA = 'False' }}", inference.Fix);

        var notHa = new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.ArcId, InferenceRouterHA = false }.WithSwitch("EnableInference");
        Assert.Equal(PrerequisiteStatus.Pass, Run(notHa)["Cluster.SchedulableNodes"].Status);
    }

    [Fact]
    public void Only_nodes_matching_the_node_selector_count()
    {
        var cluster = Server.State.FindCluster(ArmTestConnections.AksId)!.Kubernetes;
        cluster.AddNode("gpu-1", new Dictionary<string, string> { ["pool"] = "gpu" });

        var checks = Run(new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.AksId, NodeSelector = new Hashtable { ["pool"] = "gpu" } }.WithSwitch("EnableInference"));

        Assert.Equal(PrerequisiteStatus.Fail, checks["Cluster.SchedulableNodes"].Status);
        Assert.Contains("1 of 4", checks["Cluster.SchedulableNodes"].Detail);
        Assert.Contains("pool=gpu", checks["Cluster.SchedulableNodes"].Detail);
    }

    [Fact]
    public void Existing_device_plugin_prometheus_operator_volcano_and_legacy_azureml_fe_are_reported_with_their_fix()
    {
        var cluster = Server.State.FindCluster(ArmTestConnections.AksId)!.Kubernetes;
        cluster.AddDaemonSet("kube-system", "nvidia-device-plugin-daemonset");
        cluster.EnsureNamespace("monitoring");
        cluster.AddDeployment("monitoring", "kube-prometheus-stack-prometheus-operator", 1);
        cluster.EnsureNamespace("volcano-system");
        cluster.AddDeployment("volcano-system", "volcano-scheduler", 1);
        cluster.AddDeployment("default", "azureml-fe", 3);

        var checks = Run(new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.AksId });

        AssertWarnWithSetting(checks["Cluster.NvidiaDevicePlugin"], "installNvidiaDevicePlugin", "kube-system/nvidia-device-plugin-daemonset");
        AssertWarnWithSetting(checks["Cluster.PrometheusOperator"], "installPromOp", "monitoring/kube-prometheus-stack-prometheus-operator");
        AssertWarnWithSetting(checks["Cluster.Volcano"], "installVolcano", "volcano-system/volcano-scheduler");
        Assert.Equal(PrerequisiteStatus.Fail, checks["Cluster.LegacyAzureMlFe"].Status);
        Assert.Equal("kubectl delete deployment azureml-fe --namespace default", checks["Cluster.LegacyAzureMlFe"].Fix);
    }

    [Fact]
    public async Task The_extensions_own_components_in_azureml_are_not_conflicts()
    {
        var connection = ArmTestConnections.Connect(Server);
        await connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml",
            ExtensionOperationsTests.AzureML(("enableTraining", "true"), ("enableInference", "true"), ("allowInsecureConnections", "true")), default);
        var cluster = Server.State.FindCluster(ArmTestConnections.AksId)!.Kubernetes;
        cluster.AddDeployment("azureml", "azureml-fe-v2", 3);
        cluster.AddDeployment("azureml", "azureml-prometheus-operator", 1);

        var checks = Run(new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.AksId });

        Assert.Equal(PrerequisiteStatus.Pass, checks["Cluster.LegacyAzureMlFe"].Status);
        Assert.Equal(PrerequisiteStatus.Pass, checks["Cluster.PrometheusOperator"].Status);
    }

    [Fact]
    public void A_missing_compute_namespace_fails_with_the_command_that_creates_it()
    {
        var check = Run(new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.AksId, Namespace = "team-z" })["Cluster.ComputeNamespace"];

        Assert.Equal(PrerequisiteStatus.Fail, check.Status);
        Assert.Equal("kubectl create namespace team-z", check.Fix);
    }

    [Fact]
    public void OpenShift_fails_until_the_service_accounts_are_granted_then_passes()
    {
        var before = Run(new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = OcpId, Namespace = "team-a" })["Cluster.OpenShiftSccGrants"];
        Assert.Equal(PrerequisiteStatus.Fail, before.Status);
        Assert.Contains("system:serviceaccount:team-a:default", before.Detail);
        Assert.Equal($"Grant-AzMLK8sOpenShiftAccess -ClusterResourceId '{OcpId}' -ExtensionName azureml -Namespace team-a", before.Fix);

        var host = RoleTestWorld.Host(Server);
        CmdletRunner.Run(new GrantAzMLK8sOpenShiftAccessCommand { ClusterResourceId = OcpId, Namespace = "team-a" }, host);
        Assert.Empty(host.Errors);

        Assert.Equal(PrerequisiteStatus.Pass, Run(new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = OcpId, Namespace = "team-a" })["Cluster.OpenShiftSccGrants"].Status);
    }

    [Fact]
    public void A_user_assigned_workspace_fails_each_missing_role_until_granted_and_a_system_one_passes()
    {
        var uai = Run(new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.AksId, WorkspaceName = "ws-uai" });
        Assert.Equal(PrerequisiteStatus.Pass, uai["Workspace.Identity"].Status);
        Assert.Equal(PrerequisiteStatus.Fail, uai["Workspace.Role.Reader"].Status);
        Assert.Equal(PrerequisiteStatus.Fail, uai["Workspace.Role.KubernetesExtensionContributor"].Status);
        Assert.Equal(PrerequisiteStatus.Fail, uai["Workspace.Role.AzureKubernetesServiceClusterAdminRole"].Status);
        Assert.Equal($"Grant-AzMLWorkspaceIdentityRole -WorkspaceResourceId '{ArmTestConnections.UaiWorkspaceId}' -ClusterResourceId '{ArmTestConnections.AksId}'", uai["Workspace.Role.Reader"].Fix);

        CmdletRunner.Run(new GrantAzMLWorkspaceIdentityRoleCommand { WorkspaceResourceId = ArmTestConnections.UaiWorkspaceId, ClusterResourceId = ArmTestConnections.AksId }, RoleTestWorld.Host(Server));
        var after = Run(new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.AksId, WorkspaceResourceId = ArmTestConnections.UaiWorkspaceId });
        Assert.All(after.Values.Where(c => c.Name.StartsWith("Workspace.", StringComparison.Ordinal)), c => Assert.Equal(PrerequisiteStatus.Pass, c.Status));

        var system = Run(new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.AksId, WorkspaceName = "ws-demo" });
        Assert.Equal(PrerequisiteStatus.Pass, system["Workspace.Identity"].Status);
        Assert.Contains("system-assigned", system["Workspace.Identity"].Detail);
        Assert.DoesNotContain(system.Keys, k => k.StartsWith("Workspace.Role.", StringComparison.Ordinal));

        Assert.Equal(PrerequisiteStatus.Fail, Run(new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.AksId, WorkspaceName = "nope" })["Workspace.Identity"].Status);
    }

    [Fact]
    public void An_unreachable_cluster_API_skips_the_cluster_checks_with_the_reason()
    {
        var checks = Run(new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.AksId, Namespace = "team-a", KubeconfigPath = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}") });

        var clusterChecks = checks.Values.Where(c => c.Name.StartsWith("Cluster.", StringComparison.Ordinal) && c.Name != "Cluster.Exists").ToArray();
        Assert.Equal(7, clusterChecks.Length);
        Assert.All(clusterChecks, c => Assert.Equal(PrerequisiteStatus.Skipped, c.Status));
        Assert.All(clusterChecks, c => Assert.Contains("KubeconfigNotFound", c.Detail));
        Assert.Equal(PrerequisiteStatus.Pass, checks["Provider.Microsoft.KubernetesConfiguration"].Status);
    }

    [Fact]
    public void A_missing_cluster_fails_Exists_and_skips_the_rest_and_by_name_parameters_work()
    {
        var checks = Run(new TestAzMLK8sPrerequisiteCommand { ClusterName = "nope", ResourceGroupName = EmulatorState.DefaultResourceGroup, ClusterType = AzMLK8sClusterType.Aks });

        Assert.Equal(PrerequisiteStatus.Fail, checks["Cluster.Exists"].Status);
        Assert.Equal(PrerequisiteStatus.Skipped, checks["Cluster.SchedulableNodes"].Status);
    }

    [Fact]
    public void A_bad_cluster_id_is_refused_before_any_request()
    {
        var host = RoleTestWorld.Host(Server);
        Server.State.Requests.Clear();

        CmdletRunner.Run(new TestAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.WorkspaceId }, host);
        CmdletRunner.Run(new GrantAzMLK8sOpenShiftAccessCommand { ClusterResourceId = "not-an-id" }, host);
        CmdletRunner.Run(new RegisterAzMLK8sPrerequisiteCommand { ClusterResourceId = ArmTestConnections.AksId, ClusterType = AzMLK8sClusterType.Arc }, host);

        Assert.Equal(new[] { "InvalidClusterResourceId", "InvalidClusterResourceId", "ClusterTypeMismatch" }, host.Errors.Select(e => e.ErrorId));
        Assert.Empty(Server.State.Requests.Entries);
    }

    private static void AssertWarnWithSetting(AzMLK8sPrerequisiteCheck check, string setting, string workload)
    {
        Assert.Equal(PrerequisiteStatus.Warn, check.Status);
        Assert.Contains(workload, check.Detail);
        Assert.Contains($"@{{ {setting} = 'False' }}", check.Fix);
    }

    private Dictionary<string, AzMLK8sPrerequisiteCheck> Run(TestAzMLK8sPrerequisiteCommand cmdlet)
    {
        var host = RoleTestWorld.Host(Server);
        CmdletRunner.Run(cmdlet, host);
        Assert.Empty(host.Errors);
        return host.Output.Cast<AzMLK8sPrerequisiteCheck>().ToDictionary(c => c.Name);
    }
}
