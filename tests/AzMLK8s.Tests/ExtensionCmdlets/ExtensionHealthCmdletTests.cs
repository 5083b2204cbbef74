using System.Text.Json.Nodes;
using AzMLK8s.Cmdlets.Extensions;
using AzMLK8s.Engine.Operations.Extensions;
using AzMLK8s.Harness;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Extensions;
using AzMLK8s.Model.Prerequisites;
using AzMLK8s.Tests.Azure;

namespace AzMLK8s.Tests.ExtensionCmdlets;

/// <summary>Test-AzMLK8sExtension against the emulator: Azure state, expected workloads, pods, health-check codes, -Wait.</summary>
public sealed class ExtensionHealthCmdletTests : ExtensionCmdletTestBase
{
    [Theory]
    [InlineData(AzMLK8sClusterType.Aks, "training", true, false)]
    [InlineData(AzMLK8sClusterType.Arc, "inference-lb-http", false, true)]
    [InlineData(AzMLK8sClusterType.Aks, "both", true, true)]
    public void A_fresh_extension_is_healthy_with_every_expected_workload_ready(AzMLK8sClusterType type, string scenario, bool training, bool inference)
    {
        Run(New(type, scenario, Pem()));

        var report = Single<AzMLK8sExtensionHealth>(Run(new TestAzMLK8sExtensionCommand { ClusterResourceId = ClusterId(type) }));

        var expected = ExpectedWorkloads.For(training, inference, "azureml");
        Assert.Equal(ExtensionHealthStatus.Healthy, report.Status);
        Assert.True(report.ClusterChecked);
        Assert.Equal($"{expected.Count}/{expected.Count}", report.WorkloadsReady);
        Assert.Equal(expected.Count, report.Findings.Count(f => f.Area == "Workload" && f.Status == PrerequisiteStatus.Pass));
        Assert.Contains(report.Findings, f => f.Area == "HealthCheck" && f.Status == PrerequisiteStatus.Pass);
        Assert.Equal(0, report.FailureCount);
    }

    [Fact]
    public void Missing_workloads_failing_pods_and_health_check_codes_are_named_with_cause_and_fix()
    {
        Run(New(AzMLK8sClusterType.Aks, "inference-lb-https", Pem()));
        var kube = State.FindCluster(ArmTestConnections.AksId)!.Kubernetes;
        kube.Delete("apps/v1", "Deployment", "azureml", "azureml-fe");
        var gateway = kube.Get("apps/v1", "Deployment", "azureml", "gateway")!;
        gateway["status"] = new JsonObject { ["replicas"] = 1, ["readyReplicas"] = 0 };
        kube.Upsert("apps/v1", "Deployment", "azureml", "gateway", gateway);
        kube.Upsert("v1", "Pod", "azureml", "gateway-0", new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "gateway" } },
            ["status"] = new JsonObject
            {
                ["phase"] = "Pending",
                ["containerStatuses"] = new JsonArray(new JsonObject { ["restartCount"] = 3, ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ImagePullBackOff" } } }),
            },
        });
        kube.Upsert("v1", "ConfigMap", "azureml", "arcml-healthcheck", new JsonObject
        {
            ["data"] = new JsonObject { ["pre-upgrade"] = "status: failed\nerrors: E40007 INVALID_SSL_SETTING; E45002" },
        });

        var report = Single<AzMLK8sExtensionHealth>(Run(new TestAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId }));

        Assert.Equal(ExtensionHealthStatus.Unhealthy, report.Status);
        Assert.Contains(report.Findings, f => f.Subject == "Deployment/azureml-fe" && f.Status == PrerequisiteStatus.Fail && f.Detail.Contains("missing", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.Subject == "Deployment/gateway" && f.Detail.StartsWith("0/1", StringComparison.Ordinal));
        var pod = Assert.Single(report.Findings, f => f.Area == "Pod");
        Assert.Equal("gateway-0", pod.Subject);
        Assert.Contains("ImagePullBackOff", pod.Detail);
        var ssl = Assert.Single(report.Findings, f => f.Subject.StartsWith("E40007", StringComparison.Ordinal));
        Assert.Contains("sslCname", ssl.Detail);
        Assert.Contains("-SslCertificatePath", ssl.Fix);
        Assert.Contains(report.Findings, f => f.Subject == "E45002 PROMETHEUS_CONFLICT" && f.Fix!.Contains("installPromOp", StringComparison.Ordinal));
        Assert.NotNull(report.Summary);
    }

    [Fact]
    public void A_failed_extension_reports_its_Azure_state_and_messages()
    {
        var cmdlet = New(AzMLK8sClusterType.Arc, "inference-lb-http");
        cmdlet.ConfigurationSetting = Table(("inferenceRouterHA", true));
        Run(cmdlet);

        var report = Single<AzMLK8sExtensionHealth>(Run(new TestAzMLK8sExtensionCommand { ResourceId = ArmTestConnections.ExtensionId(ArmTestConnections.ArcId, "azureml") }));

        Assert.Equal(ExtensionHealthStatus.Unhealthy, report.Status);
        Assert.Equal("Failed", report.ProvisioningState);
        Assert.Contains(report.Findings, f => f.Area == "Azure" && f.Subject == "ProvisioningState" && f.Status == PrerequisiteStatus.Fail && f.Detail.Contains("ExtensionOperationFailed", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.Area == "Azure" && f.Subject == "Status" && f.Detail.Contains("InferenceRouterUnschedulable", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_the_cluster_API_the_report_says_why_the_workloads_were_not_checked()
    {
        Run(New(AzMLK8sClusterType.Aks, "training"));

        var report = Single<AzMLK8sExtensionHealth>(Run(new TestAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, KubeconfigPath = "/nonexistent/kubeconfig" }));

        Assert.Equal(ExtensionHealthStatus.Degraded, report.Status);
        Assert.False(report.ClusterChecked);
        Assert.Contains("KubeconfigNotFound", report.ClusterApiDetail);
        Assert.Contains(report.Findings, f => f.Area == "ClusterApi" && f.Status == PrerequisiteStatus.Skipped);
        Assert.DoesNotContain(report.Findings, f => f.Area == "Workload");
    }

    [Fact]
    public void Wait_polls_until_a_creating_extension_is_healthy()
    {
        State.Options.OperationDuration = TimeSpan.FromMilliseconds(400);
        Run(New(AzMLK8sClusterType.Aks, "training").WithSwitch("NoWait"));

        var host = Run(new TestAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, TimeoutSeconds = 60, Interval = TimeSpan.FromMilliseconds(25) }.WithSwitch("Wait"));

        Assert.Equal(ExtensionHealthStatus.Healthy, Single<AzMLK8sExtensionHealth>(host).Status);
    }

    [Fact]
    public void Wait_gives_up_after_the_timeout_with_the_last_report_and_an_error()
    {
        Run(New(AzMLK8sClusterType.Aks, "training"));
        State.FindCluster(ArmTestConnections.AksId)!.Kubernetes.Delete("apps/v1", "StatefulSet", "azureml", "frameworkcontroller");

        var host = Run(new TestAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, TimeoutSeconds = 1, Interval = TimeSpan.FromMilliseconds(100) }.WithSwitch("Wait"));

        var report = Assert.IsType<AzMLK8sExtensionHealth>(Assert.Single(host.Output));
        Assert.Equal(ExtensionHealthStatus.Unhealthy, report.Status);
        var error = Assert.Single(host.Errors);
        Assert.Equal(ExtensionErrors.HealthTimeout, error.ErrorId);
        Assert.Contains("frameworkcontroller", error.Message);
        Assert.Contains(host.Progress, p => p.Activity.Contains("healthy", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_extension_is_an_error_with_the_next_step()
    {
        var host = Run(new TestAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.ArcId });

        var error = Assert.Single(host.Errors);
        Assert.Equal("Extension.NotFound", error.ErrorId);
        Assert.Contains("New-AzMLK8sExtension", error.RecommendedAction);
    }
}
