using System.Text.Json;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Model;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Azure;

/// <summary>Extension PUT/PATCH/GET/LIST/DELETE through the engine against the emulator, and the LRO poller on them.</summary>
public sealed class ExtensionOperationsTests : EmulatorPerTest
{
    private const string ProtectedCanary = "protected-canary-5b3e91";

    [Fact]
    public async Task Create_waits_for_Succeeded_and_the_cluster_gets_the_training_workloads_named_after_the_extension()
    {
        var host = new RecordingHost();
        var connection = ArmTestConnections.Connect(Server, host);

        var extension = await connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml", AzureML(("enableTraining", "true")), default);

        Assert.Equal("Succeeded", extension.Properties.ProvisioningState);
        Assert.Equal("Microsoft.AzureML.Kubernetes", extension.Properties.ExtensionType);
        var cluster = Server.State.FindCluster(ArmTestConnections.AksId)!.Kubernetes;
        Assert.NotNull(cluster.Get("apps/v1", "Deployment", "azureml", "azureml-kube-state-metrics"));
        Assert.NotNull(cluster.Get("apps/v1", "StatefulSet", "azureml", "frameworkcontroller"));
        Assert.Null(cluster.Get("apps/v1", "Deployment", "azureml", "azureml-fe"));
        Assert.NotNull(cluster.Get("v1", "ConfigMap", "azureml", "arcml-healthcheck"));
        Assert.All(cluster.List("v1", "Pod", "azureml"), pod => Assert.Equal("Running", pod["status"]!["phase"]!.GetValue<string>()));
        Assert.Equal(1, Server.State.Requests.Count("PUT", "Extensions_Create"));
        Assert.True(Server.State.Requests.Count("GET", "OperationStatus_Get") >= 1);
        Assert.Equal(1, Server.State.Requests.Count("GET", "Extensions_Get"));
        Assert.Equal(Server.State.Requests.Entries.Count, 2 + Server.State.Requests.Count("GET", "OperationStatus_Get"));
        Assert.Contains(host.Progress, p => p.Completed);
    }

    [Fact]
    public async Task Get_and_list_return_the_extension_and_a_missing_one_is_null()
    {
        var connection = ArmTestConnections.Connect(Server);
        await connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml", AzureML(("enableTraining", "true")), default);

        var found = await connection.Extensions.GetAsync(ArmTestConnections.AksId, "azureml", default);
        var missing = await connection.Extensions.GetAsync(ArmTestConnections.AksId, "nothing-here", default);
        var all = await connection.Extensions.ListAsync(ArmTestConnections.AksId, default);

        Assert.Equal("azureml", found?.Name);
        Assert.Equal("azureml", found?.Properties.Scope?.Cluster?.ReleaseNamespace);
        Assert.Null(missing);
        Assert.Equal(new[] { "azureml" }, all.Select(e => e.Name));
    }

    [Theory]
    [InlineData(ProtectedSettingsResponse.Null)]
    [InlineData(ProtectedSettingsResponse.KeysOnly)]
    public async Task Protected_values_are_stored_but_never_come_back(ProtectedSettingsResponse mode)
    {
        Server.State.Options.ProtectedSettingsResponse = mode;
        var host = new RecordingHost();
        var connection = ArmTestConnections.Connect(Server, host);
        var body = AzureML(("enableTraining", "true"));
        body.Properties.ConfigurationProtectedSettings = new() { ["scoringFe.sslKey"] = ProtectedCanary };

        var created = await connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml", body, default);
        var read = await connection.Extensions.GetAsync(ArmTestConnections.AksId, "azureml", default);

        Assert.Equal(ProtectedCanary, Server.State.Extensions.Values.Single().ConfigurationProtectedSettings["scoringFe.sslKey"]);
        foreach (var extension in new[] { created, read! })
        {
            Assert.DoesNotContain(ProtectedCanary, JsonSerializer.Serialize(extension));
            if (mode == ProtectedSettingsResponse.Null)
            {
                Assert.Null(extension.Properties.ConfigurationProtectedSettings);
            }
            else
            {
                Assert.Equal(new[] { "scoringFe.sslKey" }, extension.Properties.ConfigurationProtectedSettings!.Keys);
            }
        }

        Assert.DoesNotContain(ProtectedCanary, host.AllText);
    }

    [Fact]
    public async Task Patch_merges_public_settings_replaces_the_protected_map_when_given_and_keeps_it_when_not()
    {
        var connection = ArmTestConnections.Connect(Server);
        var body = AzureML(("enableTraining", "true"), ("nodeSelector.pool", "a"));
        body.Properties.ConfigurationProtectedSettings = new() { ["first"] = "one-secret", ["second"] = "two-secret" };
        await connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml", body, default);
        var stored = Server.State.Extensions.Values.Single();

        await connection.Extensions.UpdateAsync(ArmTestConnections.AksId, "azureml", new ExtensionPatch { Properties = { ConfigurationSettings = new() { ["nodeSelector.pool"] = "b" } } }, default);
        Assert.Equal("b", stored.ConfigurationSettings["nodeSelector.pool"]);
        Assert.Equal("true", stored.ConfigurationSettings["enableTraining"]);
        Assert.Equal(new[] { "first", "second" }, stored.ConfigurationProtectedSettings.Keys.Order());

        var updated = await connection.Extensions.UpdateAsync(ArmTestConnections.AksId, "azureml", new ExtensionPatch { Properties = { ConfigurationProtectedSettings = new() { ["second"] = "new-secret" } } }, default);
        Assert.Equal(new[] { "second" }, stored.ConfigurationProtectedSettings.Keys);
        Assert.Equal("Succeeded", updated.Properties.ProvisioningState);
        Assert.Equal(2, Server.State.Requests.Count("PATCH", "Extensions_Update"));
    }

    [Fact]
    public async Task Settings_that_fail_the_chart_health_check_end_Failed_with_the_error_details()
    {
        var connection = ArmTestConnections.Connect(Server);

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() =>
            connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.ArcId, "azureml", AzureML(("enableInference", "true"), ("inferenceRouterServiceType", "LoadBalancer")), default))).Error;

        Assert.Equal("Arm.ExtensionOperationFailed", error.ErrorId);
        Assert.Contains("InferenceSslMissing", error.Message);
        Assert.Contains("InferenceRouterUnschedulable", error.Message);
        Assert.Equal(ArmTestConnections.ExtensionId(ArmTestConnections.ArcId, "azureml"), error.TargetObject);
        var stored = await connection.Extensions.GetAsync(ArmTestConnections.ArcId, "azureml", default);
        Assert.Equal("Failed", stored?.Properties.ProvisioningState);
        Assert.Equal("ExtensionOperationFailed", stored?.Properties.ErrorInfo?.Code);
        Assert.Equal(2, stored?.Properties.Statuses?.Count);
    }

    [Fact]
    public async Task Inference_with_insecure_connections_and_a_single_router_succeeds_on_a_two_node_cluster()
    {
        var connection = ArmTestConnections.Connect(Server);

        var extension = await connection.Extensions.CreateOrReplaceAsync(
            ArmTestConnections.ArcId,
            "ml",
            AzureML(("enableInference", "true"), ("allowInsecureConnections", "true"), ("inferenceRouterHA", "false")),
            default);

        Assert.Equal("Succeeded", extension.Properties.ProvisioningState);
        var cluster = Server.State.FindCluster(ArmTestConnections.ArcId)!.Kubernetes;
        Assert.NotNull(cluster.Get("apps/v1", "Deployment", "azureml", "azureml-fe"));
        Assert.NotNull(cluster.Get("apps/v1", "Deployment", "azureml", "ml-prometheus-operator"));
        Assert.Null(cluster.Get("apps/v1", "Deployment", "azureml", "aml-operator"));
    }

    [Fact]
    public async Task A_pinned_version_with_auto_upgrade_is_rejected_as_an_invalid_argument()
    {
        var connection = ArmTestConnections.Connect(Server);
        var body = AzureML(("enableTraining", "true"));
        body.Properties.AutoUpgradeMinorVersion = true;
        body.Properties.Version = "1.1.64";

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml", body, default))).Error;

        Assert.Equal("Arm.InvalidRequestParameter", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Category);
    }

    [Fact]
    public async Task A_second_write_while_one_runs_is_ResourceBusy_and_a_poll_that_outlasts_the_timeout_says_so()
    {
        Server.State.Options.OperationDuration = Timeout.InfiniteTimeSpan;
        var connection = ArmTestConnections.Connect(Server, options: ArmTestConnections.FastOptions(timeout: TimeSpan.FromMilliseconds(300)));

        var timeout = (await Assert.ThrowsAsync<ModuleErrorException>(() =>
            connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml", AzureML(("enableTraining", "true")), default))).Error;
        var busy = (await Assert.ThrowsAsync<ModuleErrorException>(() =>
            connection.Extensions.UpdateAsync(ArmTestConnections.AksId, "azureml", new ExtensionPatch { Properties = { ReleaseTrain = "preview" } }, default))).Error;

        Assert.Equal("Arm.OperationTimeout", timeout.ErrorId);
        Assert.Equal(ErrorKind.OperationTimeout, timeout.Category);
        Assert.Equal("Arm.AnotherOperationInProgress", busy.ErrorId);
        Assert.Equal(ErrorKind.ResourceBusy, busy.Category);
    }

    [Fact]
    public async Task Stopping_cancels_the_wait_promptly()
    {
        Server.State.Options.OperationDuration = Timeout.InfiniteTimeSpan;
        var host = new RecordingHost();
        var connection = ArmTestConnections.Connect(Server, host);
        using var stop = new CancellationTokenSource();

        var create = connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml", AzureML(("enableTraining", "true")), stop.Token);
        while (Server.State.Requests.Count("GET", "OperationStatus_Get") == 0)
        {
            await Task.Delay(10);
        }

        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => create);
        Assert.Contains(host.Progress, p => p.Completed);
    }

    [Fact]
    public async Task Delete_waits_until_the_extension_is_gone_and_a_missing_one_reports_false()
    {
        var connection = ArmTestConnections.Connect(Server);
        await connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml", AzureML(("enableTraining", "true")), default);

        var deleted = await connection.Extensions.DeleteAsync(ArmTestConnections.AksId, "azureml", force: false, default);
        var again = await connection.Extensions.DeleteAsync(ArmTestConnections.AksId, "azureml", force: false, default);

        Assert.True(deleted);
        Assert.False(again);
        Assert.Null(await connection.Extensions.GetAsync(ArmTestConnections.AksId, "azureml", default));
        Assert.Null(Server.State.FindCluster(ArmTestConnections.AksId)!.Kubernetes.Get("v1", "ConfigMap", "azureml", "arcml-healthcheck"));
    }

    [Fact]
    public async Task Force_delete_removes_the_resource_at_once_even_while_an_operation_runs()
    {
        Server.State.Options.OperationDuration = Timeout.InfiniteTimeSpan;
        var connection = ArmTestConnections.Connect(Server, options: ArmTestConnections.FastOptions(timeout: TimeSpan.FromMilliseconds(100)));
        await Assert.ThrowsAsync<ModuleErrorException>(() => connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml", AzureML(("enableTraining", "true")), default));

        var deleted = await connection.Extensions.DeleteAsync(ArmTestConnections.AksId, "azureml", force: true, default);

        Assert.True(deleted);
        Assert.Empty(Server.State.Extensions);
        Assert.Contains(Server.State.Requests.Entries, r => r.Route == "Extensions_Delete" && r.Status == 200);
    }

    [Fact]
    public async Task An_extension_on_a_cluster_that_does_not_exist_is_ObjectNotFound()
    {
        var connection = ArmTestConnections.Connect(Server);
        var missingCluster = ArmTestConnections.AksId.Replace("aks-demo", "aks-missing", StringComparison.Ordinal);

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => connection.Extensions.CreateOrReplaceAsync(missingCluster, "azureml", AzureML(("enableTraining", "true")), default))).Error;

        Assert.Equal("Arm.ParentResourceNotFound", error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Category);
    }

    internal static ExtensionResource AzureML(params (string Key, string Value)[] settings) => new()
    {
        Properties = new ExtensionProperties
        {
            ExtensionType = "Microsoft.AzureML.Kubernetes",
            AutoUpgradeMinorVersion = true,
            ReleaseTrain = "stable",
            Scope = new ExtensionScope { Cluster = new ExtensionClusterScope { ReleaseNamespace = "azureml" } },
            ConfigurationSettings = settings.ToDictionary(s => s.Key, s => s.Value),
        },
    };
}
