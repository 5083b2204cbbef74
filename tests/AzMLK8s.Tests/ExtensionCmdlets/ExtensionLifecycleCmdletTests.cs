using System.Text.Json.Nodes;
using AzMLK8s.Cmdlets.Extensions;
using AzMLK8s.Harness;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Extensions;
using AzMLK8s.Tests.Azure;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.ExtensionCmdlets;

/// <summary>New/Get/Update/Remove-AzMLK8sExtension through the real cmdlets against the emulator, AKS and Arc.</summary>
public sealed class ExtensionLifecycleCmdletTests : ExtensionCmdletTestBase
{
    public static TheoryData<AzMLK8sClusterType, string> Scenarios()
    {
        var data = new TheoryData<AzMLK8sClusterType, string>();
        foreach (var type in new[] { AzMLK8sClusterType.Aks, AzMLK8sClusterType.Arc })
        {
            foreach (var scenario in new[] { "training", "inference-lb-https", "inference-ilb-https", "inference-nodeport-https", "inference-lb-http", "inference-nodeport-http", "both" })
            {
                data.Add(type, scenario);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Each_seed_scenario_installs_and_succeeds_with_the_settings_of_the_scenario(AzMLK8sClusterType type, string scenario)
    {
        var pem = Pem();
        var keyText = File.ReadAllText(pem.Key);

        var host = Run(New(type, scenario, pem));

        var extension = Single<AzMLK8sExtension>(host);
        var stored = Stored();
        Assert.Equal("Succeeded", extension.ProvisioningState);
        Assert.Equal(type, extension.ClusterType);
        Assert.Equal(scenario is "training" or "both", extension.TrainingEnabled);
        Assert.Equal(scenario != "training", extension.InferenceEnabled);
        Assert.Equal("azureml", stored.ReleaseNamespace);
        Assert.Equal(extension.ConfigurationSettings, stored.ConfigurationSettings.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value));
        if (scenario.Contains("https", StringComparison.Ordinal) || scenario == "both")
        {
            Assert.Contains("scoringFe.sslCert", stored.ConfigurationProtectedSettings.Keys);
            Assert.Contains("scoringFe.sslKey", extension.ProtectedSettingKeys);
            Assert.Equal(CertCname, stored.ConfigurationSettings["sslCname"]);
            Assert.DoesNotContain(stored.ConfigurationSettings.Keys, k => k.Contains("PemFile", StringComparison.OrdinalIgnoreCase));
        }

        if (scenario.Contains("nodeport", StringComparison.Ordinal))
        {
            Assert.Equal("NodePort", stored.ConfigurationSettings["inferenceRouterServiceType"]);
            Assert.Equal("true", stored.ConfigurationSettings["scoringFe.serviceType.nodePort"]);
        }

        if (scenario.Contains("ilb", StringComparison.Ordinal))
        {
            Assert.Equal("azure", stored.ConfigurationSettings["internalLoadBalancerProvider"]);
        }

        if (scenario.Contains("http", StringComparison.Ordinal) && !scenario.Contains("https", StringComparison.Ordinal))
        {
            Assert.Equal("true", stored.ConfigurationSettings["allowInsecureConnections"]);
            Assert.Contains(host.Warnings, w => w.Contains("allowInsecureConnections", StringComparison.OrdinalIgnoreCase) || w.Contains("HTTP", StringComparison.Ordinal));
        }

        var relayRequests = State.Requests.Entries.Count(e => e.Path.Contains("Microsoft.Relay", StringComparison.OrdinalIgnoreCase));
        if (type == AzMLK8sClusterType.Arc)
        {
            // Arc: two nodes, so a single router and DevTest, with the reason; relay found or created; system identity.
            Assert.Equal("false", stored.ConfigurationSettings.GetValueOrDefault("inferenceRouterHA") ?? "false");
            Assert.Equal("true", stored.ConfigurationSettings["relayserver.enabled"]);
            Assert.Contains("relayserver.relayConnectionString", stored.ConfigurationProtectedSettings.Keys);
            Assert.True(relayRequests > 0);
            Assert.NotNull(extension.IdentityPrincipalId);
            Assert.Contains(host.Warnings, w => w.Contains("node", StringComparison.OrdinalIgnoreCase));
        }
        else
        {
            Assert.Equal(0, relayRequests);
            Assert.Null(stored.Identity);
            Assert.Equal(0, State.Requests.Entries.Count(e => e.Path.Contains("OperationalInsights", StringComparison.OrdinalIgnoreCase)));
        }

        Assert.Equal(1, State.Requests.Count("PUT", "Extensions_Create"));
        Assert.Contains(host.Progress, p => p.Completed);
        var visible = Visible(host);
        foreach (var line in keyText.Split('\n').Where(l => l.Length > 16 && !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line.Trim(), visible);
        }

        foreach (var secret in stored.ConfigurationProtectedSettings.Values)
        {
            Assert.DoesNotContain(secret, visible);
        }
    }

    [Theory]
    [InlineData(AzMLK8sClusterType.Aks)]
    [InlineData(AzMLK8sClusterType.Arc)]
    public void The_same_create_twice_writes_once_and_returns_the_installed_extension(AzMLK8sClusterType type)
    {
        var pem = Pem();
        Run(New(type, "both", pem));
        var writes = Writes;

        var second = Run(New(type, "both", pem));

        Assert.Equal("Succeeded", Single<AzMLK8sExtension>(second).ProvisioningState);
        Assert.Equal(writes, Writes);
        Assert.Equal(1, State.Requests.Count("PUT", "Extensions_Create"));
        Assert.Empty(second.ShouldProcessCalls);
        Assert.Contains(second.Verbose, v => v.Contains("nothing was sent", StringComparison.Ordinal));
    }

    [Fact]
    public void Relative_PEM_paths_resolve_against_the_PowerShell_location_not_the_process_directory()
    {
        var (certificate, key) = Pem("relative");
        var cmdlet = New(AzMLK8sClusterType.Aks, "inference-lb-https", (Path.GetFileName(certificate), Path.GetFileName(key)));

        var host = Run(cmdlet, h => h.CurrentDirectory = Path.GetDirectoryName(certificate)!);

        Assert.Empty(host.Errors);
        Assert.Equal("Succeeded", Single<AzMLK8s.Model.Extensions.AzMLK8sExtension>(host).ProvisioningState);
        Assert.Contains("scoringFe.sslCert", Stored().ConfigurationProtectedSettings.Keys);
    }

    [Fact]
    public void A_different_create_on_an_existing_extension_points_to_Update_and_writes_nothing()
    {
        Run(New(AzMLK8sClusterType.Aks, "training"));
        var writes = Writes;

        var host = Run(New(AzMLK8sClusterType.Aks, "inference-lb-http"));

        var error = Assert.Single(host.Errors);
        Assert.Equal("Extension.AlreadyExists", error.ErrorId);
        Assert.Contains("Update-AzMLK8sExtension", error.RecommendedAction);
        Assert.Equal(writes, Writes);
    }

    [Fact]
    public void WhatIf_on_create_reads_but_writes_nothing_and_names_the_cluster()
    {
        var host = Run(New(AzMLK8sClusterType.Arc, "training"), h => h.ShouldProcessAnswer = (_, _) => false);

        var (target, action) = Assert.Single(host.ShouldProcessCalls);
        Assert.Equal(ArmTestConnections.ArcId, target);
        Assert.Contains("training", action);
        Assert.Contains("Relay", action);
        Assert.Contains("enableTraining: (not set) -> true", action);
        Assert.Contains("clusterPurpose: (not set) -> DevTest", action);
        Assert.Equal(0, Writes);
        Assert.Empty(host.Output);
    }

    [Fact]
    public void NoWait_returns_the_extension_while_it_is_still_creating()
    {
        State.Options.OperationDuration = Timeout.InfiniteTimeSpan;
        var cmdlet = New(AzMLK8sClusterType.Aks, "training").WithSwitch("NoWait");

        var extension = Single<AzMLK8sExtension>(Run(cmdlet));

        Assert.Equal("Creating", extension.ProvisioningState);
        Assert.Equal(0, State.Requests.Count("GET", "OperationStatus_Get"));
    }

    [Fact]
    public async Task Creating_again_while_the_same_create_is_under_way_waits_for_it_without_writing()
    {
        State.Options.OperationDuration = Timeout.InfiniteTimeSpan;
        Run(New(AzMLK8sClusterType.Aks, "training").WithSwitch("NoWait"));
        State.Requests.Clear();

        var run = Task.Run(() => Run(New(AzMLK8sClusterType.Aks, "training")));
        await Waiting.Until(() => State.Requests.Count("GET", "Extensions_Get") >= 2, "the wait read the extension again");
        State.CompleteOperations();
        var host = await run;

        Assert.Equal("Succeeded", Single<AzMLK8sExtension>(host).ProvisioningState);
        Assert.Empty(host.ShouldProcessCalls);
        Assert.Equal(0, Writes);
        Assert.Contains(host.Verbose, v => v.Contains("waiting for it", StringComparison.Ordinal));
        var reads = State.Requests.Entries.Where(e => e.Route == "Extensions_Get").ToList();
        Assert.True(reads[1].At - reads[0].At >= TimeSpan.FromMilliseconds(20), "The wait read the extension again at once instead of after the polling interval.");
    }

    [Fact]
    public void Creating_while_the_extension_is_being_deleted_is_refused_with_what_to_do()
    {
        Run(New(AzMLK8sClusterType.Aks, "training"));
        Stored().ProvisioningState = "Deleting";
        State.Requests.Clear();

        var host = Run(New(AzMLK8sClusterType.Aks, "training"));

        var error = Assert.Single(host.Errors);
        Assert.Equal("Extension.OperationInProgress", error.ErrorId);
        Assert.Contains("Get-AzMLK8sExtension", error.RecommendedAction);
        Assert.Equal(0, State.Requests.Entries.Count(e => e.Method == "PUT"));
    }

    [Fact]
    public void A_failed_deployment_surfaces_the_statuses_and_error_info()
    {
        // A highly available router asked for on a two-node cluster: the chart's health check fails the release.
        var cmdlet = New(AzMLK8sClusterType.Arc, "inference-lb-http");
        cmdlet.ConfigurationSetting = Table(("inferenceRouterHA", true));
        var host = Run(cmdlet);

        var error = Assert.Single(host.Errors);
        Assert.Equal("Arm.ExtensionOperationFailed", error.ErrorId);
        Assert.Contains("InferenceRouterUnschedulable", error.Message);
        Assert.Equal("Failed", Stored().ProvisioningState);
    }

    [Fact]
    public void Get_by_name_lists_only_AzureML_extensions_and_takes_clusters_from_the_pipeline()
    {
        Run(New(AzMLK8sClusterType.Aks, "training"));
        Run(new NewAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, Name = "ml-two" }.WithSwitch("EnableTraining"));
        var other = new AzMLK8s.Emulator.State.EmulatedExtension(State.FindCluster(ArmTestConnections.AksId)!, "flux") { ExtensionType = "microsoft.flux", ProvisioningState = "Succeeded" };
        State.Extensions[other.Id.ToLowerInvariant()] = other;

        var one = Single<AzMLK8sExtension>(Run(new GetAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, Name = "azureml" }));
        var all = Run(new GetAzMLK8sExtensionCommand(), null, one);
        var byName = Run(new GetAzMLK8sExtensionCommand { ClusterName = "aks-demo", ResourceGroupName = "rg-demo", ClusterType = AzMLK8sClusterType.Aks });
        var missing = Run(new GetAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, Name = "nothing" });
        var notOurs = Run(new GetAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, Name = "flux" });

        Assert.Equal("azureml", one.Name);
        Assert.Equal(new[] { "azureml", "ml-two" }, all.Output.Cast<AzMLK8sExtension>().Select(e => e.Name).Order());
        Assert.Equal(2, byName.Output.Count);
        Assert.Equal("Extension.NotFound", Assert.Single(missing.Errors).ErrorId);
        Assert.Equal("Extension.NotAzureML", Assert.Single(notOurs.Errors).ErrorId);
    }

    [Fact]
    public void Update_WhatIf_shows_the_exact_diff_and_sends_nothing()
    {
        Run(New(AzMLK8sClusterType.Aks, "training"));
        var writes = Writes;
        var update = new UpdateAzMLK8sExtensionCommand
        {
            ClusterResourceId = ArmTestConnections.AksId,
            EnableInference = true,
            AllowInsecureConnection = true,
            NodeSelector = Table(("agentpool", "ml")),
        };

        var host = Run(update, h => h.ShouldProcessAnswer = (_, _) => false);

        var (target, action) = Assert.Single(host.ShouldProcessCalls);
        Assert.Equal(ArmTestConnections.ExtensionId(ArmTestConnections.AksId, "azureml"), target);
        Assert.Contains("enableInference: false -> true", action);
        Assert.Contains("allowInsecureConnections: (not set) -> true", action);
        Assert.Contains("nodeSelector.agentpool: (not set) -> ml", action);
        Assert.Contains("inferenceRouterServiceType: (not set) -> LoadBalancer", action);
        Assert.Equal(writes, Writes);
    }

    [Fact]
    public void Update_without_protected_settings_sends_no_protected_map_and_keeps_the_stored_secrets()
    {
        Run(New(AzMLK8sClusterType.Arc, "inference-lb-https", Pem()));
        var before = Stored().ConfigurationProtectedSettings.ToDictionary(p => p.Key, p => p.Value);

        var host = Run(new UpdateAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.ArcId, ConfigurationSetting = Table(("clusterPurpose", "FastProd")) });

        Assert.Equal("Succeeded", Single<AzMLK8sExtension>(host).ProvisioningState);
        Assert.Equal("FastProd", Stored().ConfigurationSettings["clusterPurpose"]);
        Assert.Equal(before, Stored().ConfigurationProtectedSettings);
        Assert.Equal(0, State.Requests.Count("POST", "Relay_ListKeys") - 1);
    }

    [Fact]
    public void Update_with_new_PEM_files_on_Arc_sends_the_complete_protected_map_with_the_relay_secret_reread()
    {
        Run(New(AzMLK8sClusterType.Arc, "inference-lb-https", Pem("old")));
        var relay = Stored().ConfigurationProtectedSettings["relayserver.relayConnectionString"];
        var oldCert = Stored().ConfigurationProtectedSettings["scoringFe.sslCert"];
        var pem = Pem("new");

        var host = Run(new UpdateAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.ArcId, SslCertificatePath = pem.Certificate, SslKeyPath = pem.Key });

        var extension = Single<AzMLK8sExtension>(host);
        var stored = Stored().ConfigurationProtectedSettings;
        Assert.Equal(new[] { "relayserver.relayConnectionString", "scoringFe.sslCert", "scoringFe.sslKey" }, stored.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(relay, stored["relayserver.relayConnectionString"]);
        Assert.NotEqual(oldCert, stored["scoringFe.sslCert"]);
        Assert.Equal(stored.Keys.Order(StringComparer.Ordinal), extension.ProtectedSettingKeys);
        Assert.DoesNotContain(relay, Visible(host));
    }

    [Fact]
    public void Update_that_would_drop_a_protected_setting_is_refused_and_sends_nothing()
    {
        Run(New(AzMLK8sClusterType.Aks, "inference-lb-https", Pem()));
        var writes = Writes;

        var host = Run(new UpdateAzMLK8sExtensionCommand
        {
            ClusterResourceId = ArmTestConnections.AksId,
            ConfigurationProtectedSetting = Table(("serviceBusConnectionString", ArmTestConnections.Secure("Endpoint=sb://x/;SharedAccessKey=canary-sb-551"))),
        });

        var error = Assert.Single(host.Errors);
        Assert.Equal("Settings.ProtectedSettingsIncomplete", error.ErrorId);
        Assert.Contains("scoringFe.sslCert", error.Message);
        Assert.Contains("-SslCertificatePath", error.RecommendedAction);
        Assert.Equal(writes, Writes);
        Assert.DoesNotContain("canary-sb-551", Visible(host));
    }

    [Fact]
    public void ReplaceProtectedSetting_drops_the_missing_ones_on_purpose_with_a_warning()
    {
        Run(New(AzMLK8sClusterType.Aks, "both", Pem()));

        var host = Run(new UpdateAzMLK8sExtensionCommand
        {
            ClusterResourceId = ArmTestConnections.AksId,
            SslSecretName = "tls-secret",
            ConfigurationProtectedSetting = Table(("sslCertPemFile", null), ("sslKeyPemFile", null)),
        });

        Assert.Equal("Succeeded", Single<AzMLK8sExtension>(host).ProvisioningState);
        Assert.Empty(Stored().ConfigurationProtectedSettings);
        Assert.Equal("tls-secret", Stored().ConfigurationSettings["scoringFe.sslSecret"]);
    }

    [Fact]
    public void Update_refuses_immutable_changes_and_node_selector_removal_with_the_way_out()
    {
        Run(New(AzMLK8sClusterType.Aks, "training").WithNodeSelector(("agentpool", "ml")));
        var writes = Writes;

        var ns = Run(new UpdateAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, ReleaseNamespace = "other" });
        var setting = Run(new UpdateAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, ConfigurationSetting = Table(("cluster_name", "/subscriptions/x/other")) });
        var selector = Run(new UpdateAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, ConfigurationSetting = Table(("nodeSelector.agentpool", null)) });

        Assert.Equal("Extension.ImmutableProperty", Assert.Single(ns.Errors).ErrorId);
        Assert.Contains("Remove-AzMLK8sExtension", Assert.Single(ns.Errors).RecommendedAction);
        Assert.Equal("Settings.ImmutableSetting", Assert.Single(setting.Errors).ErrorId);
        Assert.Equal("Settings.NodeSelectorRemoval", Assert.Single(selector.Errors).ErrorId);
        Assert.Equal(writes, Writes);
    }

    [Fact]
    public void An_update_that_changes_nothing_sends_nothing()
    {
        Run(New(AzMLK8sClusterType.Aks, "training"));
        var writes = Writes;

        var host = Run(new UpdateAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, EnableTraining = true });

        Assert.Equal("Succeeded", Single<AzMLK8sExtension>(host).ProvisioningState);
        Assert.Equal(writes, Writes);
        Assert.Empty(host.ShouldProcessCalls);
    }

    [Fact]
    public void A_disruptive_update_asks_with_the_running_work_counted_and_a_no_sends_nothing()
    {
        Run(New(AzMLK8sClusterType.Aks, "both", Pem()));
        var kube = State.FindCluster(ArmTestConnections.AksId)!.Kubernetes;
        kube.EnsureNamespace("team-a");
        kube.Upsert("v1", "Pod", "team-a", "job-1-worker-0", Pod(("FC_FRAMEWORK_NAME", "job-1")));
        kube.Upsert("v1", "Pod", "team-a", "job-2-worker-0", Pod(("FC_FRAMEWORK_NAME", "job-2")));
        kube.Upsert("v1", "Pod", "team-a", "blue-0", Pod(("isazuremlapp", "true")));
        var writes = Writes;

        var host = Run(new UpdateAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, EnableTraining = false }, h => h.ShouldContinueAnswer = (_, _) => false);

        var (query, _) = Assert.Single(host.ShouldContinueCalls);
        Assert.Contains("enableTraining: true -> false", query);
        Assert.Contains("2 running training job pod(s) and 1 inference deployment pod(s)", query);
        Assert.Equal(writes, Writes);
        Assert.Contains(host.Warnings, w => w.Contains("-Force", StringComparison.Ordinal));
        Assert.Empty(host.Output);
    }

    [Fact]
    public void A_disruptive_update_says_when_the_work_could_not_be_counted_and_Force_skips_the_question()
    {
        Run(New(AzMLK8sClusterType.Arc, "both", Pem()));

        var asked = Run(
            new UpdateAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.ArcId, AllowInsecureConnection = false, KubeconfigPath = "/nonexistent/kubeconfig" },
            h => h.ShouldContinueAnswer = (_, _) => false);
        var forced = Run(new UpdateAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.ArcId, EnableTraining = false }.WithSwitch("Force"));

        Assert.Contains("could not be counted", Assert.Single(asked.ShouldContinueCalls).Query);
        Assert.Empty(forced.ShouldContinueCalls);
        Assert.False(Single<AzMLK8sExtension>(forced).TrainingEnabled);
        Assert.Equal("false", Stored().ConfigurationSettings["enableTraining"]);
    }

    [Fact]
    public void Get_output_binds_to_Update_Remove_and_Test_through_the_pipeline()
    {
        Run(New(AzMLK8sClusterType.Arc, "training"));
        var extension = Single<AzMLK8sExtension>(Run(new GetAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.ArcId, Name = "azureml" }));

        var test = Run(new TestAzMLK8sExtensionCommand(), null, extension);
        var update = Run(new UpdateAzMLK8sExtensionCommand { InstallVolcano = false }, null, extension);
        var remove = Run(new RemoveAzMLK8sExtensionCommand(), null, extension);

        Assert.Equal(ExtensionHealthStatus.Healthy, Single<AzMLK8sExtensionHealth>(test).Status);
        Assert.Equal("false", Single<AzMLK8sExtension>(update).ConfigurationSettings["installVolcano"]);
        Assert.Empty(remove.Errors);
        Assert.Empty(State.Extensions);
    }

    [Fact]
    public void Remove_asks_at_High_impact_waits_until_gone_and_a_second_remove_is_not_an_error()
    {
        Run(New(AzMLK8sClusterType.Aks, "training"));

        var declined = Run(new RemoveAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId }, h => h.ShouldProcessAnswer = (_, _) => false);
        Assert.Single(State.Extensions);
        Assert.Equal(0, State.Requests.Count("DELETE", "Extensions_Delete"));

        var removed = Run(new RemoveAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId }.WithSwitch("PassThru"));
        var again = Run(new RemoveAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId });

        Assert.Contains("running jobs", Assert.Single(declined.ShouldProcessCalls).Action);
        Assert.Equal("azureml", Single<AzMLK8sExtension>(removed).Name);
        Assert.Empty(State.Extensions);
        Assert.Null(State.FindCluster(ArmTestConnections.AksId)!.Kubernetes.Get("apps/v1", "StatefulSet", "azureml", "frameworkcontroller"));
        Assert.Empty(again.Errors);
        Assert.Contains(again.Verbose, v => v.Contains("nothing to remove", StringComparison.Ordinal));
    }

    [Fact]
    public void Remove_with_Force_sends_forceDelete_and_by_resource_id()
    {
        Run(New(AzMLK8sClusterType.Arc, "training"));

        var host = Run(new RemoveAzMLK8sExtensionCommand { ResourceId = ArmTestConnections.ExtensionId(ArmTestConnections.ArcId, "azureml") }.WithSwitch("Force"));

        Assert.Empty(host.Errors);
        Assert.Contains(host.ShouldProcessCalls, c => c.Action.StartsWith("Force-delete", StringComparison.Ordinal));
        Assert.Contains(State.Requests.Entries, e => e.Method == "DELETE" && e.Path.Contains("extensions/azureml", StringComparison.Ordinal));
        Assert.Empty(State.Extensions);
    }

    [Fact]
    public void New_and_Get_take_the_extension_resource_id_instead_of_cluster_and_name()
    {
        var id = ArmTestConnections.ExtensionId(ArmTestConnections.ArcId, "ml-by-id");

        var created = Single<AzMLK8sExtension>(Run(new NewAzMLK8sExtensionCommand { ResourceId = id }.WithSwitch("EnableTraining")));
        var read = Single<AzMLK8sExtension>(Run(new GetAzMLK8sExtensionCommand { ResourceId = id }));

        Assert.Equal("ml-by-id", created.Name);
        Assert.Equal(ArmTestConnections.ArcId, read.ClusterResourceId);
        Assert.Equal(id, read.ResourceId, ignoreCase: true);
    }

    [Fact]
    public void LogAnalyticsWS_finds_or_creates_the_workspace_and_sends_its_key_only_as_a_protected_setting()
    {
        var cmdlet = New(AzMLK8sClusterType.Aks, "training");
        cmdlet.ConfigurationSetting = Table(("logAnalyticsWS", true));

        var host = Run(cmdlet);

        var extension = Single<AzMLK8sExtension>(host);
        var stored = Stored();
        var key = stored.ConfigurationProtectedSettings["azure_log_analytics.connection_string"];
        Assert.Equal("true", stored.ConfigurationSettings["azure_log_analytics.enabled"]);
        Assert.False(string.IsNullOrEmpty(stored.ConfigurationSettings["azure_log_analytics.customer_id"]));
        Assert.Contains("azure_log_analytics.connection_string", extension.ProtectedSettingKeys);
        Assert.True(State.Requests.Entries.Count(e => e.Method == "PUT" && e.Path.Contains("Microsoft.OperationalInsights/workspaces/aksdemo00000000000000000000000000000001rgdemo", StringComparison.OrdinalIgnoreCase)) == 1);
        Assert.DoesNotContain(key, Visible(host));
    }

    [Fact]
    public void A_protected_value_given_as_SecureString_is_sent_and_never_shown()
    {
        const string canary = "relay-canary-Endpoint=sb://canary/;SharedAccessKey=c4n4ry";
        var cmdlet = New(AzMLK8sClusterType.Arc, "training");
        cmdlet.ConfigurationProtectedSetting = Table(("relayServerConnectionString", ArmTestConnections.Secure(canary)));

        var host = Run(cmdlet);

        Assert.Equal(canary, Stored().ConfigurationProtectedSettings["relayserver.relayConnectionString"]);
        Assert.Equal(0, State.Requests.Entries.Count(e => e.Path.Contains("Microsoft.Relay", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(canary, Visible(host));
        Assert.DoesNotContain("c4n4ry", Visible(host));
    }

    [Fact]
    public void Update_WhatIf_masks_the_protected_values_it_would_replace()
    {
        Run(New(AzMLK8sClusterType.Aks, "inference-lb-https", Pem("old")));
        var pem = Pem("new");
        var keyLines = File.ReadAllLines(pem.Key).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).ToArray();

        var host = Run(new UpdateAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, SslCertificatePath = pem.Certificate, SslKeyPath = pem.Key }, h => h.ShouldProcessAnswer = (_, _) => false);

        var action = Assert.Single(host.ShouldProcessCalls).Action;
        Assert.Contains("scoringFe.sslKey: *** -> *** (new value)", action);
        Assert.Equal(0, State.Requests.Count("PATCH", "Extensions_Update"));
        Assert.All(keyLines, line => Assert.DoesNotContain(line, Visible(host)));
    }

    [Fact]
    public void An_Arc_update_whose_relay_rule_is_gone_says_how_to_give_the_connection_string()
    {
        Run(New(AzMLK8sClusterType.Arc, "inference-lb-https", Pem("old")));
        var rule = State.Requests.Entries.First(e => e.Method == "PUT" && e.Path.Contains("/authorizationRules/", StringComparison.Ordinal)).Path;
        Assert.True(State.Resources.Remove(rule));
        var pem = Pem("new");

        var host = Run(new UpdateAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.ArcId, SslCertificatePath = pem.Certificate, SslKeyPath = pem.Key });

        var error = Assert.Single(host.Errors);
        Assert.Equal("Extension.RelayKeysUnavailable", error.ErrorId);
        Assert.Contains("relayServerConnectionString", error.RecommendedAction);
        Assert.Equal(0, State.Requests.Count("PATCH", "Extensions_Update"));
    }

    [Fact]
    public void Cluster_facts_come_from_the_ARM_resource_OpenShift_and_a_three_node_cluster_keep_the_HA_router()
    {
        var host = Run(new NewAzMLK8sExtensionCommand { ClusterName = "arc-ocp", ResourceGroupName = "rg-demo", ClusterType = AzMLK8sClusterType.Arc }
            .WithSwitch("EnableInference").WithSwitch("AllowInsecureConnection"));

        var settings = Single<AzMLK8sExtension>(host).ConfigurationSettings;
        Assert.Equal("true", settings["openshift"]);
        Assert.False(settings.ContainsKey("clusterPurpose") && settings["clusterPurpose"] == "DevTest");
        Assert.NotEqual("false", settings.GetValueOrDefault("inferenceRouterHA"));
        Assert.DoesNotContain(host.Warnings, w => w.Contains("fewer than 3", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_cluster_that_does_not_exist_is_an_error_that_names_it_and_writes_nothing()
    {
        var host = Run(new NewAzMLK8sExtensionCommand { ClusterName = "nope", ResourceGroupName = "rg-demo", ClusterType = AzMLK8sClusterType.Aks }.WithSwitch("EnableTraining"));

        var error = Assert.Single(host.Errors);
        Assert.Equal("Extension.ClusterNotFound", error.ErrorId);
        Assert.Contains("nope", error.Message);
        Assert.Equal(0, Writes);
    }

    private static JsonObject Pod(params (string Key, string Value)[] labels)
    {
        var map = new JsonObject();
        foreach (var (key, value) in labels)
        {
            map[key] = value;
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = map },
            ["status"] = new JsonObject { ["phase"] = "Running" },
        };
    }
}

internal static class NewExtensionCommandTestExtensions
{
    public static NewAzMLK8sExtensionCommand WithNodeSelector(this NewAzMLK8sExtensionCommand cmdlet, params (string Key, object? Value)[] labels)
    {
        cmdlet.NodeSelector = Settings.SettingsTestData.Table(labels);
        return cmdlet;
    }
}
