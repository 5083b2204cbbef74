using System.Text.Json.Nodes;
using AzMLK8s.Cmdlets.Extensions;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Azure.Resources;
using AzMLK8s.Engine.Operations.Extensions;
using AzMLK8s.Harness;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Extensions;
using AzMLK8s.Tests.Azure;

namespace AzMLK8s.Tests.ExtensionCmdlets;

/// <summary>
/// The Relay, Service Bus and Log Analytics resources New/Update-AzMLK8sExtension find, reuse or create: under the
/// Azure CLI's names (expected names written out here as the CLI derives them), starting from resources the CLI made
/// and from none.
/// </summary>
public sealed class SupportingResourceCmdletTests : ExtensionCmdletTestBase
{
    private const string Sub = EmulatorState.DefaultSubscriptionId;
    private const string Group = EmulatorState.DefaultResourceGroup;

    // As the Azure CLI names them for arc-demo / aks-demo in rg-demo of subscription ...0001.
    private const string CliRelay = "arcdemo00000000000000000000000000000001rgdemorelay";
    private const string CliArcWorkspace = "arcdemo00000000000000000000000000000001rgdemo";
    private const string CliAksWorkspace = "aksdemo00000000000000000000000000000001rgdemo";
    private const string CliAksServiceBus = "aksdemo00000000000000000000000000000001rgdem254372";

    private static readonly string RelayNamespaceId = RelayOperations.NamespaceId(Sub, Group, CliRelay);
    private static readonly string HybridConnectionId = RelayOperations.HybridConnectionId(RelayNamespaceId, "arc-demo");
    private static readonly string RuleId = RelayOperations.AuthorizationRuleId(HybridConnectionId, "azureml_rw");
    private static readonly string ServiceBusId = ServiceBusOperations.NamespaceId(Sub, Group, CliAksServiceBus);

    [Fact]
    public async Task An_Arc_cluster_whose_relay_the_CLI_made_gets_the_extension_with_no_new_Relay_resource()
    {
        var connection = ArmTestConnections.Connect(Server);
        await connection.Relay.CreateOrUpdateNamespaceAsync(RelayNamespaceId, "eastus", default);
        await connection.Relay.CreateOrUpdateHybridConnectionAsync(HybridConnectionId, default);
        await connection.Relay.CreateOrUpdateAuthorizationRuleAsync(RuleId, new[] { "Manage", "Send", "Listen" }, default);
        var cliKey = (await connection.Relay.ListKeysAsync(RuleId, default)).PrimaryConnectionString!;
        var before = State.Requests.Entries.Count;

        var host = Run(New(AzMLK8sClusterType.Arc, "training"));

        Single<AzMLK8sExtension>(host);
        var stored = Stored();
        Assert.Empty(RelayWrites(before));
        Assert.Equal(HybridConnectionId, stored.ConfigurationSettings["relayserver.hybridConnectionResourceID"]);
        Assert.Equal("arc-demo", stored.ConfigurationSettings["relayserver.hybridConnectionName"]);
        Assert.Equal(cliKey, stored.ConfigurationProtectedSettings["relayserver.relayConnectionString"]);
        Assert.Single(State.Resources.OfType(Sub, "Microsoft.Relay/namespaces"));
        Assert.DoesNotContain(cliKey, Visible(host));
    }

    [Fact]
    public void An_Arc_cluster_with_no_relay_gets_one_under_the_CLIs_name_with_the_CLIs_tag()
    {
        var host = Run(New(AzMLK8sClusterType.Arc, "training"));

        Single<AzMLK8sExtension>(host);
        var relay = State.Resources.Get(RelayNamespaceId);
        Assert.NotNull(relay);
        Assert.Equal("Azure Arc-enabled ML", (string?)relay!["tags"]?["created_by"]);
        Assert.NotNull(State.Resources.Get(RuleId));
        Assert.Equal(HybridConnectionId, Stored().ConfigurationSettings["relayserver.hybridConnectionResourceID"]);
        Assert.Single(State.Resources.OfType(Sub, "Microsoft.Relay/namespaces"));

        // The hybrid connection and its rule answer 200 as the Relay spec says; the namespace 201.
        Assert.Contains(State.Requests.Entries, e => e.Method == "PUT" && e.Path.EndsWith("/hybridConnections/arc-demo", StringComparison.Ordinal) && e.Status == 200);
        Assert.Contains(State.Requests.Entries, e => e.Method == "PUT" && e.Path.EndsWith("/authorizationRules/azureml_rw", StringComparison.Ordinal) && e.Status == 200);
        Assert.Contains(State.Requests.Entries, e => e.Method == "PUT" && e.Path.EndsWith("/namespaces/" + CliRelay, StringComparison.Ordinal) && e.Status == 201);
    }

    [Fact]
    public async Task A_relay_made_under_the_old_module_name_is_reused_not_doubled()
    {
        var legacy = RelayOperations.NamespaceId(Sub, Group, "arc-demo-00000000-0000-0000-0000-000000000001-rg-d");
        var connection = ArmTestConnections.Connect(Server);
        await connection.Relay.CreateOrUpdateNamespaceAsync(legacy, "eastus", default);
        var before = State.Requests.Entries.Count;

        Single<AzMLK8sExtension>(Run(New(AzMLK8sClusterType.Arc, "training")));

        Assert.Null(State.Resources.Get(RelayNamespaceId));
        Assert.Single(State.Resources.OfType(Sub, "Microsoft.Relay/namespaces"));
        Assert.StartsWith(legacy + "/hybridConnections/arc-demo", Stored().ConfigurationSettings["relayserver.hybridConnectionResourceID"], StringComparison.Ordinal);
        Assert.DoesNotContain(RelayWrites(before), e => e.Path.TrimEnd('/').EndsWith("/namespaces/arc-demo-00000000-0000-0000-0000-000000000001-rg-d", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Log_Analytics_workspace_the_CLI_made_is_reused()
    {
        var connection = ArmTestConnections.Connect(Server);
        var id = $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.OperationalInsights/workspaces/{CliArcWorkspace}";
        var cliWorkspace = await connection.LogAnalytics.CreateOrUpdateWorkspaceAsync(id, "eastus", default);
        var before = State.Requests.Entries.Count;
        var cmdlet = New(AzMLK8sClusterType.Arc, "training");
        cmdlet.ConfigurationSetting = Table(("logAnalyticsWS", true));

        Single<AzMLK8sExtension>(Run(cmdlet));

        Assert.DoesNotContain(State.Requests.Entries.Skip(before), e => e.Method == "PUT" && e.Path.Contains("OperationalInsights", StringComparison.Ordinal));
        Assert.Equal(cliWorkspace.Properties.CustomerId, Stored().ConfigurationSettings["azure_log_analytics.customer_id"]);
        Assert.Single(State.Resources.OfType(Sub, "Microsoft.OperationalInsights/workspaces"));
    }

    [Fact]
    public void A_Log_Analytics_workspace_is_created_under_the_CLIs_name()
    {
        var cmdlet = New(AzMLK8sClusterType.Aks, "training");
        cmdlet.ConfigurationSetting = Table(("logAnalyticsWS", true));

        Single<AzMLK8sExtension>(Run(cmdlet));

        var workspace = State.Resources.Get($"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.OperationalInsights/workspaces/{CliAksWorkspace}");
        Assert.NotNull(workspace);
        Assert.Equal("Azure Arc-enabled ML", (string?)workspace!["tags"]?["created_by"]);
    }

    [Fact]
    public void Service_Bus_is_created_as_the_CLI_does_with_its_connection_string_protected()
    {
        var cmdlet = New(AzMLK8sClusterType.Aks, "training");
        cmdlet.ConfigurationSetting = Table(("servicebus.enabled", "true"));

        var host = Run(cmdlet);

        var extension = Single<AzMLK8sExtension>(host);
        var stored = Stored();
        var ns = State.Resources.Get(ServiceBusId);
        Assert.NotNull(ns);
        Assert.Equal("Standard", (string?)ns!["sku"]?["name"]);
        Assert.Equal("Azure Arc-enabled ML", (string?)ns["tags"]?["created_by"]);
        foreach (var (topic, subscription) in AzureCliResourceNames.ServiceBusTopics)
        {
            var topicResource = State.Resources.Get($"{ServiceBusId}/topics/{topic}");
            var subscriptionResource = State.Resources.Get($"{ServiceBusId}/topics/{topic}/subscriptions/{subscription}");
            Assert.Equal(5120, (int?)topicResource?["properties"]?["maxSizeInMegabytes"]);
            Assert.Equal("P60D", (string?)topicResource?["properties"]?["defaultMessageTimeToLive"]);
            Assert.Equal(1, (int?)subscriptionResource?["properties"]?["maxDeliveryCount"]);
            Assert.Equal("P14D", (string?)subscriptionResource?["properties"]?["defaultMessageTimeToLive"]);
            Assert.Equal("PT30S", (string?)subscriptionResource?["properties"]?["lockDuration"]);
            Assert.Equal(subscription, stored.ConfigurationSettings[$"servicebus.topicSubMapping.{topic}"]);
        }

        Assert.Equal(ServiceBusId, stored.ConfigurationSettings["servicebus.resourceID"]);
        var connectionString = stored.ConfigurationProtectedSettings["servicebus.connectionString"];
        Assert.StartsWith($"Endpoint=sb://{CliAksServiceBus}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;", connectionString, StringComparison.Ordinal);
        Assert.DoesNotContain("serviceBusConnectionString", stored.ConfigurationProtectedSettings.Keys);
        Assert.Contains("servicebus.connectionString", extension.ProtectedSettingKeys);
        Assert.DoesNotContain(connectionString, Visible(host));

        // Status codes as in the Service Bus spec: the namespace 201, topics and subscriptions 200.
        Assert.Contains(State.Requests.Entries, e => e.Method == "PUT" && e.Path.EndsWith("/namespaces/" + CliAksServiceBus, StringComparison.Ordinal) && e.Status == 201);
        Assert.All(State.Requests.Entries.Where(e => e.Method == "PUT" && e.Path.Contains("/topics/", StringComparison.Ordinal)), e => Assert.Equal(200, e.Status));
    }

    [Fact]
    public void A_Service_Bus_namespace_already_there_is_reused()
    {
        var first = New(AzMLK8sClusterType.Aks, "training");
        first.ConfigurationSetting = Table(("servicebus.enabled", "true"));
        Run(first);
        var key = Stored().ConfigurationProtectedSettings["servicebus.connectionString"];
        Run(new RemoveAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId }.WithSwitch("Force"), h => h.ShouldProcessAnswer = (_, _) => true);
        Assert.DoesNotContain(State.Extensions.Values, e => e.Name == "azureml");
        var before = State.Requests.Entries.Count;

        var again = New(AzMLK8sClusterType.Aks, "training");
        again.ConfigurationSetting = Table(("servicebus.enabled", "true"));
        Single<AzMLK8sExtension>(Run(again));

        Assert.DoesNotContain(State.Requests.Entries.Skip(before), e => e.Method == "PUT" && e.Path.Contains("Microsoft.ServiceBus", StringComparison.Ordinal));
        Assert.Equal(key, Stored().ConfigurationProtectedSettings["servicebus.connectionString"]);
        Assert.Single(State.Resources.OfType(Sub, "Microsoft.ServiceBus/namespaces"));
    }

    [Fact]
    public void An_update_that_sends_protected_settings_sends_the_Service_Bus_connection_string_again()
    {
        var create = New(AzMLK8sClusterType.Aks, "inference-lb-https", Pem("old"));
        create.ConfigurationSetting = Table(("servicebus.enabled", "true"));
        Run(create);
        var key = Stored().ConfigurationProtectedSettings["servicebus.connectionString"];
        var pem = Pem("new");

        var host = Run(new UpdateAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.AksId, SslCertificatePath = pem.Certificate, SslKeyPath = pem.Key });

        Assert.Empty(host.Errors);
        Assert.Equal(key, Stored().ConfigurationProtectedSettings["servicebus.connectionString"]);
        Assert.DoesNotContain(key, Visible(host));
    }

    [Fact]
    public async Task An_update_reads_the_relay_the_extensions_settings_point_at_whatever_its_name()
    {
        // An extension made by another tool whose hybrid connection lives in a namespace of its own name.
        var connection = ArmTestConnections.Connect(Server);
        var ns = RelayOperations.NamespaceId(Sub, Group, "team-relay-01");
        var hc = RelayOperations.HybridConnectionId(ns, "arc-demo");
        var rule = RelayOperations.AuthorizationRuleId(hc, "azureml_rw");
        await connection.Relay.CreateOrUpdateNamespaceAsync(ns, "eastus", default);
        await connection.Relay.CreateOrUpdateHybridConnectionAsync(hc, default);
        await connection.Relay.CreateOrUpdateAuthorizationRuleAsync(rule, new[] { "Manage", "Send", "Listen" }, default);
        var key = (await connection.Relay.ListKeysAsync(rule, default)).PrimaryConnectionString!;
        var create = New(AzMLK8sClusterType.Arc, "inference-lb-https", Pem("old"));
        create.ConfigurationSetting = Table(("relayserver.hybridConnectionResourceID", hc));
        create.ConfigurationProtectedSetting = Table(("relayServerConnectionString", ArmTestConnections.Secure(key)));
        Run(create);
        var pem = Pem("new");

        var host = Run(new UpdateAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.ArcId, SslCertificatePath = pem.Certificate, SslKeyPath = pem.Key });

        Assert.Empty(host.Errors);
        Assert.Equal(key, Stored().ConfigurationProtectedSettings["relayserver.relayConnectionString"]);
        Assert.Null(State.Resources.Get(RelayNamespaceId));
    }

    [Fact]
    public async Task A_create_that_names_a_hybrid_connection_uses_it_and_makes_no_relay()
    {
        var connection = ArmTestConnections.Connect(Server);
        var ns = RelayOperations.NamespaceId(Sub, Group, "private-link-relay");
        var hc = RelayOperations.HybridConnectionId(ns, "arc-demo");
        var rule = RelayOperations.AuthorizationRuleId(hc, "azureml_rw");
        await connection.Relay.CreateOrUpdateNamespaceAsync(ns, "eastus", default);
        await connection.Relay.CreateOrUpdateHybridConnectionAsync(hc, default);
        await connection.Relay.CreateOrUpdateAuthorizationRuleAsync(rule, new[] { "Manage", "Send", "Listen" }, default);
        var key = (await connection.Relay.ListKeysAsync(rule, default)).PrimaryConnectionString!;
        var before = State.Requests.Entries.Count;
        var create = New(AzMLK8sClusterType.Arc, "training");
        create.ConfigurationSetting = Table(("relayserver.hybridConnectionResourceID", hc));

        Single<AzMLK8sExtension>(Run(create));

        Assert.Empty(RelayWrites(before));
        Assert.Equal(hc, Stored().ConfigurationSettings["relayserver.hybridConnectionResourceID"]);
        Assert.Equal(key, Stored().ConfigurationProtectedSettings["relayserver.relayConnectionString"]);
    }

    private IEnumerable<LoggedRequest> RelayWrites(int since) =>
        State.Requests.Entries.Skip(since).Where(e => e.Method is "PUT" or "PATCH" or "DELETE" && e.Path.Contains("Microsoft.Relay", StringComparison.Ordinal));
}
