using System.Diagnostics;
using System.Management.Automation;
using AzMLK8s.Emulator.State;
using AzMLK8s.PowerShellHost.Tests.Fleet;
using AzMLK8s.PowerShellHost.Tests.Infrastructure;

namespace AzMLK8s.PowerShellHost.Tests.Prerequisites;

/// <summary>
/// Test- and Register-AzMLK8sPrerequisite in a real runspace, where the test sets the emulator's state by hand
/// (registrations, nodes, workloads that conflict with the extension's), answers the confirmation prompts through the
/// host, freezes the registration to stop it midway, and reads the progress records. What a user sees from the seed
/// alone is in tests/pester/Prerequisites.Tests.ps1.
/// </summary>
public sealed class PrerequisiteStateTests : FleetSessionPerTest
{
    private const string Subscription = EmulatorState.DefaultSubscriptionId;

    [Fact]
    public void An_unregistered_provider_fails_a_registering_one_warns_and_Arc_needs_Relay_and_no_AKS_feature()
    {
        State.Registrations.Set(Registrations.ProviderKey(Subscription, "Microsoft.Relay"), "NotRegistered");
        State.Registrations.Set(Registrations.ProviderKey(Subscription, "Microsoft.KubernetesConfiguration"), "Registering");

        var checks = Checks("-ClusterResourceId $id", ArcId);

        Assert.Equal("Fail", checks["Provider.Microsoft.Relay"].Status);
        Assert.Equal("Warn", checks["Provider.Microsoft.KubernetesConfiguration"].Status);
        Assert.Equal("Pass", checks["Provider.Microsoft.Kubernetes"].Status);
        Assert.Equal($"Register-AzMLK8sPrerequisite -ClusterResourceId '{ArcId}'", checks["Provider.Microsoft.Relay"].Fix);
        Assert.DoesNotContain(checks.Keys, k => k.StartsWith("Feature.", StringComparison.Ordinal));
        Assert.DoesNotContain("Provider.Microsoft.ContainerService", checks.Keys);
    }

    [Fact]
    public void Only_nodes_matching_the_node_selector_count()
    {
        State.FindCluster(AksId)!.Kubernetes.AddNode("gpu-1", new Dictionary<string, string> { ["pool"] = "gpu" });

        var nodes = Checks("-ClusterResourceId $id -EnableInference -NodeSelector @{ pool = 'gpu' }", AksId)["Cluster.SchedulableNodes"];

        Assert.Equal("Fail", nodes.Status);
        Assert.Contains("1 of 4", nodes.Detail, StringComparison.Ordinal);
        Assert.Contains("pool=gpu", nodes.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_plugin_Prometheus_operator_Volcano_and_a_legacy_azureml_fe_already_there_are_reported_with_their_fix()
    {
        var cluster = State.FindCluster(AksId)!.Kubernetes;
        cluster.AddDaemonSet("kube-system", "nvidia-device-plugin-daemonset");
        cluster.EnsureNamespace("monitoring");
        cluster.AddDeployment("monitoring", "kube-prometheus-stack-prometheus-operator", 1);
        cluster.EnsureNamespace("volcano-system");
        cluster.AddDeployment("volcano-system", "volcano-scheduler", 1);
        cluster.AddDeployment("default", "azureml-fe", 3);

        var checks = Checks("-ClusterResourceId $id", AksId);

        AssertWarnWithSetting(checks["Cluster.NvidiaDevicePlugin"], "installNvidiaDevicePlugin", "kube-system/nvidia-device-plugin-daemonset");
        AssertWarnWithSetting(checks["Cluster.PrometheusOperator"], "installPromOp", "monitoring/kube-prometheus-stack-prometheus-operator");
        AssertWarnWithSetting(checks["Cluster.Volcano"], "installVolcano", "volcano-system/volcano-scheduler");
        Assert.Equal("Fail", checks["Cluster.LegacyAzureMlFe"].Status);
        Assert.Equal("kubectl delete deployment azureml-fe --namespace default", checks["Cluster.LegacyAzureMlFe"].Fix);
    }

    [Fact]
    public void The_extensions_own_components_in_its_namespace_are_not_conflicts()
    {
        Session.Run("$null = New-AzMLK8sExtension -ClusterResourceId $id -EnableTraining -EnableInference -AllowInsecureConnection -ErrorAction Stop", ("id", AksId)).ThrowIfFailed();
        var cluster = State.FindCluster(AksId)!.Kubernetes;
        cluster.AddDeployment("azureml", "azureml-fe-v2", 3);
        cluster.AddDeployment("azureml", "azureml-prometheus-operator", 1);

        var checks = Checks("-ClusterResourceId $id", AksId);

        Assert.Equal("Pass", checks["Cluster.LegacyAzureMlFe"].Status);
        Assert.Equal("Pass", checks["Cluster.PrometheusOperator"].Status);
    }

    [Fact]
    public void Registration_waits_until_Registered_shows_its_progress_registers_ContainerService_again_and_a_rerun_sends_no_write()
    {
        State.Registrations.Set(Registrations.ProviderKey(Subscription, "Microsoft.KubernetesConfiguration"), "NotRegistered");

        var result = Session.Run("Register-AzMLK8sPrerequisite -ClusterResourceId $id", ("id", AksId)).ThrowIfFailed();

        var results = ByName(result);
        Assert.All(results.Values, r => Assert.Equal("Pass", r.Status));
        Assert.Contains("registered (was NotRegistered)", results["Provider.Microsoft.KubernetesConfiguration"].Detail, StringComparison.Ordinal);
        Assert.Contains("registered again", results["Feature.Microsoft.ContainerService/AKS-ExtensionManager"].Detail, StringComparison.Ordinal);
        Assert.Contains(result.Progress, p => p.Activity.Contains("AKS-ExtensionManager", StringComparison.Ordinal));
        Assert.Equal("Registered", RegistrationState(Registrations.FeatureKey(Subscription, "Microsoft.ContainerService", "AKS-ExtensionManager")));
        Assert.Equal("Registered", RegistrationState(Registrations.ProviderKey(Subscription, "Microsoft.KubernetesConfiguration")));
        Assert.Equal(1, State.Requests.Count("POST", "Features_Register"));
        Assert.Equal(2, State.Requests.Count("POST", "Providers_Register"));
        Assert.True(State.Requests.Count("GET", "Features_Get") >= 2);

        State.Requests.Clear();
        var again = Session.Run("Register-AzMLK8sPrerequisite -ClusterResourceId $id", ("id", AksId)).ThrowIfFailed();

        Assert.All(ByName(again).Values, r => Assert.Contains("already registered", r.Detail, StringComparison.Ordinal));
        Assert.Equal(0, State.Requests.Count("POST", "Features_Register"));
        Assert.Equal(0, State.Requests.Count("POST", "Providers_Register"));
    }

    [Fact]
    public void Each_registration_is_confirmed_on_its_own_subscription_target_and_No_registers_nothing()
    {
        State.Registrations.Set(Registrations.ProviderKey(Subscription, "Microsoft.Relay"), "NotRegistered");
        Session.Host.Answers.Enqueue("No");

        var declined = Session.Run("Register-AzMLK8sPrerequisite -ClusterType Arc -Confirm");

        var (_, message) = Assert.Single(Session.Host.Prompts);
        Assert.Equal($"/subscriptions/{Subscription}", FleetWaiting.TargetOf(message));
        Assert.Contains("Microsoft.Relay", message, StringComparison.Ordinal);
        Assert.Empty(declined.Errors);
        Assert.Equal("Skipped", ByName(declined)["Provider.Microsoft.Relay"].Status);
        Assert.Equal(0, State.Requests.Count("POST", "Providers_Register"));
        Assert.DoesNotContain(ByName(declined).Keys, k => k.StartsWith("Feature.", StringComparison.Ordinal));

        Session.Host.Answers.Enqueue("Yes");
        var accepted = Session.Run("Register-AzMLK8sPrerequisite -ClusterType Arc -Confirm");

        Assert.Empty(accepted.Errors);
        Assert.Equal("Registered", RegistrationState(Registrations.ProviderKey(Subscription, "Microsoft.Relay")));
    }

    [Fact]
    public void In_a_host_that_cannot_ask_a_registration_that_needs_confirming_raises_an_error_and_registers_nothing()
    {
        Session.Host.CanPrompt = false;

        var result = Session.Run("$ConfirmPreference = 'Medium'; Register-AzMLK8sPrerequisite -ClusterResourceId $id", ("id", AksId));

        Assert.True(result.Errors.Count + (result.Terminated is null ? 0 : 1) > 0, "an error is raised");
        Assert.Equal(0, State.Requests.Count("POST", "Features_Register"));
        Assert.Equal(0, State.Requests.Count("POST", "Providers_Register"));
        Assert.Equal("NotRegistered", RegistrationState(Registrations.FeatureKey(Subscription, "Microsoft.ContainerService", "AKS-ExtensionManager")));
    }

    [Fact]
    public async Task Stop_during_the_registration_wait_ends_within_a_second_and_a_rerun_finishes_it()
    {
        FreezeClock();

        using var running = Session.Start("Register-AzMLK8sPrerequisite -ClusterResourceId $id", ("id", AksId));
        await FleetWaiting.Until(() => State.Requests.Count("POST", "Features_Register") == 1 && State.Requests.Count("GET", "Features_Get") >= 2, "the feature registration was sent and is being waited on");
        var stopwatch = Stopwatch.StartNew();
        running.Stop();
        var result = await running.Completion.WaitAsync(FleetWaiting.HangGuard);
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"Stop took {stopwatch.Elapsed.TotalMilliseconds:F0} ms.");
        Assert.Equal(PSInvocationState.Stopped, running.State.State);
        Assert.IsType<PipelineStoppedException>(result.Terminated);
        Assert.Empty(result.Errors);
        Assert.Equal(0, State.Requests.Count("POST", "Providers_Register"));

        ThawClock();
        var rerun = Session.Run("Register-AzMLK8sPrerequisite -ClusterResourceId $id", ("id", AksId)).ThrowIfFailed();

        Assert.All(ByName(rerun).Values, r => Assert.Equal("Pass", r.Status));
        Assert.Equal("Registered", RegistrationState(Registrations.FeatureKey(Subscription, "Microsoft.ContainerService", "AKS-ExtensionManager")));
    }

    private Dictionary<string, Check> Checks(string arguments, string clusterId)
    {
        var result = Session.Run($"Test-AzMLK8sPrerequisite {arguments}", ("id", clusterId)).ThrowIfFailed();
        return ByName(result);
    }

    private static Dictionary<string, Check> ByName(ScriptResult result) =>
        result.Output.Select(o => new Check(
                (string)o.Properties["Name"].Value,
                o.Properties["Status"].Value.ToString()!,
                (string)o.Properties["Detail"].Value,
                o.Properties["Fix"].Value as string))
            .ToDictionary(c => c.Name);

    private string RegistrationState(string key) => State.Registrations.Get(key, DateTimeOffset.UtcNow, "NotRegistered");

    private static void AssertWarnWithSetting(Check check, string setting, string workload)
    {
        Assert.Equal("Warn", check.Status);
        Assert.Contains(workload, check.Detail, StringComparison.Ordinal);
        Assert.Contains($"@{{ {setting} = 'False' }}", check.Fix, StringComparison.Ordinal);
    }

    private sealed record Check(string Name, string Status, string Detail, string? Fix);
}
