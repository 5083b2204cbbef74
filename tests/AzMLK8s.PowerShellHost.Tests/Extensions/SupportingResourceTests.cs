using System.Management.Automation;
using System.Text.Json.Nodes;
using AzMLK8s.Emulator.State;
using AzMLK8s.PowerShellHost.Tests.Infrastructure;

namespace AzMLK8s.PowerShellHost.Tests.Extensions;

/// <summary>
/// The Relay, Service Bus and Log Analytics resources New/Update-AzMLK8sExtension find, reuse or create, run as a user
/// types the commands: under the Azure CLI's names (written out here as the CLI derives them), starting from resources
/// the CLI made (put in the emulator's state, as if made elsewhere) and from none.
/// </summary>
public sealed class SupportingResourceTests : ExtensionSessionTest
{
    private const string Sub = EmulatorState.DefaultSubscriptionId;
    private const string Group = EmulatorState.DefaultResourceGroup;
    private const string CreatedBy = "Azure Arc-enabled ML";
    private const string ExtensionType = "AzMLK8s.Model.Extensions.AzMLK8sExtension";

    // As the Azure CLI names them for arc-demo / aks-demo in rg-demo of subscription ...0001.
    private const string CliRelay = "arcdemo00000000000000000000000000000001rgdemorelay";
    private const string CliArcWorkspace = "arcdemo00000000000000000000000000000001rgdemo";
    private const string CliAksWorkspace = "aksdemo00000000000000000000000000000001rgdemo";
    private const string CliAksServiceBus = "aksdemo00000000000000000000000000000001rgdem254372";

    // The name AzMLK8s 0.1 gave the relay of arc-demo.
    private const string LegacyRelay = "arc-demo-00000000-0000-0000-0000-000000000001-rg-d";

    private static readonly string ResourceGroupScope = $"/subscriptions/{Sub}/resourceGroups/{Group}";
    private static readonly string RelayNamespaceId = RelayId(CliRelay);
    private static readonly string HybridConnectionId = $"{RelayNamespaceId}/hybridConnections/arc-demo";
    private static readonly string RuleId = $"{HybridConnectionId}/authorizationRules/azureml_rw";
    private static readonly string ServiceBusId = $"{ResourceGroupScope}/providers/Microsoft.ServiceBus/namespaces/{CliAksServiceBus}";

    private static readonly (string Topic, string Subscription)[] ServiceBusTopics =
    {
        ("computestate-updatedby-computeprovider", "compute-scheduler-computestate"),
        ("jobstate-updatedby-computeprovider", "compute-scheduler-jobstate"),
    };

    [Fact]
    public void An_Arc_cluster_whose_relay_the_CLI_made_gets_the_extension_with_no_new_Relay_resource()
    {
        var cliKey = SeedRelay(CliRelay);
        var before = State.Requests.Entries.Count;

        var result = Session.Run("New-AzMLK8sExtension -ClusterResourceId $arc -EnableTraining", ("arc", ArcId));

        SingleExtension(result);
        var stored = TheExtension();
        Assert.Empty(RelayWrites(before));
        Assert.Equal(HybridConnectionId, stored.ConfigurationSettings["relayserver.hybridConnectionResourceID"]);
        Assert.Equal("arc-demo", stored.ConfigurationSettings["relayserver.hybridConnectionName"]);
        Assert.Equal(cliKey, stored.ConfigurationProtectedSettings["relayserver.relayConnectionString"]);
        Assert.Single(OfType("Microsoft.Relay/namespaces"));
        Assert.DoesNotContain(cliKey, Visible(result));
    }

    [Fact]
    public void An_Arc_cluster_with_no_relay_gets_one_under_the_CLIs_name_with_the_CLIs_tag()
    {
        var result = Session.Run("New-AzMLK8sExtension -ClusterResourceId $arc -EnableTraining", ("arc", ArcId));

        SingleExtension(result);
        var relay = Resource(RelayNamespaceId);
        Assert.NotNull(relay);
        Assert.Equal(CreatedBy, (string?)relay!["tags"]?["created_by"]);
        Assert.NotNull(Resource(RuleId));
        Assert.Equal(HybridConnectionId, TheExtension().ConfigurationSettings["relayserver.hybridConnectionResourceID"]);
        Assert.Single(OfType("Microsoft.Relay/namespaces"));

        // The hybrid connection and its rule answer 200 as the Relay spec says; the namespace 201.
        Assert.Contains(State.Requests.Entries, e => e.Method == "PUT" && e.Path.EndsWith("/hybridConnections/arc-demo", StringComparison.Ordinal) && e.Status == 200);
        Assert.Contains(State.Requests.Entries, e => e.Method == "PUT" && e.Path.EndsWith("/authorizationRules/azureml_rw", StringComparison.Ordinal) && e.Status == 200);
        Assert.Contains(State.Requests.Entries, e => e.Method == "PUT" && e.Path.EndsWith("/namespaces/" + CliRelay, StringComparison.Ordinal) && e.Status == 201);
    }

    [Fact]
    public void A_relay_made_under_the_old_module_name_is_reused_not_doubled()
    {
        var legacy = RelayId(LegacyRelay);
        SeedRelayNamespace(legacy);
        var before = State.Requests.Entries.Count;

        SingleExtension(Session.Run("New-AzMLK8sExtension -ClusterResourceId $arc -EnableTraining", ("arc", ArcId)));

        Assert.Null(Resource(RelayNamespaceId));
        Assert.Single(OfType("Microsoft.Relay/namespaces"));
        Assert.StartsWith(legacy + "/hybridConnections/arc-demo", TheExtension().ConfigurationSettings["relayserver.hybridConnectionResourceID"], StringComparison.Ordinal);
        Assert.DoesNotContain(RelayWrites(before), e => e.Path.TrimEnd('/').EndsWith("/namespaces/" + LegacyRelay, StringComparison.Ordinal));
    }

    [Fact]
    public void A_Log_Analytics_workspace_the_CLI_made_is_reused()
    {
        var id = $"{ResourceGroupScope}/providers/Microsoft.OperationalInsights/workspaces/{CliArcWorkspace}";
        var customerId = Guid.NewGuid().ToString();
        Seed(id, "Microsoft.OperationalInsights/workspaces", new JsonObject
        {
            ["provisioningState"] = "Succeeded",
            ["customerId"] = customerId,
            ["sku"] = new JsonObject { ["name"] = "PerGB2018" },
        },
        r => r["location"] = "eastus");
        var before = State.Requests.Entries.Count;

        SingleExtension(Session.Run("New-AzMLK8sExtension -ClusterResourceId $arc -EnableTraining -ConfigurationSetting @{ logAnalyticsWS = $true }", ("arc", ArcId)));

        Assert.DoesNotContain(State.Requests.Entries.Skip(before), e => e.Method == "PUT" && e.Path.Contains("OperationalInsights", StringComparison.Ordinal));
        Assert.Equal(customerId, TheExtension().ConfigurationSettings["azure_log_analytics.customer_id"]);
        Assert.Single(OfType("Microsoft.OperationalInsights/workspaces"));
    }

    [Fact]
    public void A_Log_Analytics_workspace_is_created_under_the_CLIs_name()
    {
        SingleExtension(Session.Run("New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining -ConfigurationSetting @{ logAnalyticsWS = $true }", ("aks", AksId)));

        var workspace = Resource($"{ResourceGroupScope}/providers/Microsoft.OperationalInsights/workspaces/{CliAksWorkspace}");
        Assert.NotNull(workspace);
        Assert.Equal(CreatedBy, (string?)workspace!["tags"]?["created_by"]);
    }

    [Fact]
    public void Service_Bus_is_created_as_the_CLI_does_with_its_connection_string_protected()
    {
        var result = Session.Run("New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining -ConfigurationSetting @{ 'servicebus.enabled' = 'true' }", ("aks", AksId));

        var extension = SingleExtension(result);
        var stored = TheExtension();
        var ns = Resource(ServiceBusId);
        Assert.NotNull(ns);
        Assert.Equal("Standard", (string?)ns!["sku"]?["name"]);
        Assert.Equal(CreatedBy, (string?)ns["tags"]?["created_by"]);
        foreach (var (topic, subscription) in ServiceBusTopics)
        {
            var topicResource = Resource($"{ServiceBusId}/topics/{topic}");
            var subscriptionResource = Resource($"{ServiceBusId}/topics/{topic}/subscriptions/{subscription}");
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
        Assert.Contains("servicebus.connectionString", (IEnumerable<string>)Property(extension, "ProtectedSettingKeys")!);
        Assert.DoesNotContain(connectionString, Visible(result));

        // Status codes as in the Service Bus spec: the namespace 201, topics and subscriptions 200.
        Assert.Contains(State.Requests.Entries, e => e.Method == "PUT" && e.Path.EndsWith("/namespaces/" + CliAksServiceBus, StringComparison.Ordinal) && e.Status == 201);
        Assert.All(State.Requests.Entries.Where(e => e.Method == "PUT" && e.Path.Contains("/topics/", StringComparison.Ordinal)), e => Assert.Equal(200, e.Status));
    }

    [Fact]
    public void A_Service_Bus_namespace_already_there_is_reused()
    {
        Session.Run("New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining -ConfigurationSetting @{ 'servicebus.enabled' = 'true' }", ("aks", AksId)).ThrowIfFailed();
        var key = TheExtension().ConfigurationProtectedSettings["servicebus.connectionString"];

        // Remove asks at its High impact; the user answers Yes.
        Session.Host.Answers.Enqueue("Yes");
        Session.Run("Remove-AzMLK8sExtension -ClusterResourceId $aks -Force", ("aks", AksId)).ThrowIfFailed();
        lock (State.Gate)
        {
            Assert.DoesNotContain(State.Extensions.Values, e => e.Name == "azureml");
        }

        var before = State.Requests.Entries.Count;

        SingleExtension(Session.Run("New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining -ConfigurationSetting @{ 'servicebus.enabled' = 'true' }", ("aks", AksId)));

        Assert.DoesNotContain(State.Requests.Entries.Skip(before), e => e.Method == "PUT" && e.Path.Contains("Microsoft.ServiceBus", StringComparison.Ordinal));
        Assert.Equal(key, TheExtension().ConfigurationProtectedSettings["servicebus.connectionString"]);
        Assert.Single(OfType("Microsoft.ServiceBus/namespaces"));
    }

    [Fact]
    public void An_update_that_sends_protected_settings_sends_the_Service_Bus_connection_string_again()
    {
        Session.Run(
            $"New-AzMLK8sExtension -ClusterResourceId $aks {Https(Pem("old"))} -ConfigurationSetting @{{ 'servicebus.enabled' = 'true' }}",
            ("aks", AksId)).ThrowIfFailed();
        var key = TheExtension().ConfigurationProtectedSettings["servicebus.connectionString"];
        var pem = Pem("new");

        // A new TLS certificate restarts the inference router: the user is asked and answers Yes.
        Session.Host.Answers.Enqueue("Yes");
        var result = Session.Run(
            $"Update-AzMLK8sExtension -ClusterResourceId $aks -SslCertificatePath '{pem.Certificate}' -SslKeyPath '{pem.Key}'",
            ("aks", AksId));

        Assert.Empty(result.Errors);
        Assert.Null(result.Terminated);
        Assert.Equal(key, TheExtension().ConfigurationProtectedSettings["servicebus.connectionString"]);
        Assert.DoesNotContain(key, Visible(result));
    }

    [Fact]
    public void An_update_reads_the_relay_the_extensions_settings_point_at_whatever_its_name()
    {
        // An extension made by another tool whose hybrid connection lives in a namespace of its own name.
        var key = SeedRelay("team-relay-01");
        var hc = $"{RelayId("team-relay-01")}/hybridConnections/arc-demo";
        Session.Run(
            $"New-AzMLK8sExtension -ClusterResourceId $arc {Https(Pem("old"))} -ConfigurationSetting @{{ 'relayserver.hybridConnectionResourceID' = $hc }} " +
            "-ConfigurationProtectedSetting @{ relayServerConnectionString = (ConvertTo-SecureString $key -AsPlainText -Force) }",
            ("arc", ArcId),
            ("hc", hc),
            ("key", key)).ThrowIfFailed();
        var pem = Pem("new");

        // A new TLS certificate restarts the inference router: the user is asked and answers Yes.
        Session.Host.Answers.Enqueue("Yes");
        var result = Session.Run(
            $"Update-AzMLK8sExtension -ClusterResourceId $arc -SslCertificatePath '{pem.Certificate}' -SslKeyPath '{pem.Key}'",
            ("arc", ArcId));

        Assert.Empty(result.Errors);
        Assert.Null(result.Terminated);
        Assert.Equal(key, TheExtension().ConfigurationProtectedSettings["relayserver.relayConnectionString"]);
        Assert.Null(Resource(RelayNamespaceId));
    }

    [Fact]
    public void A_create_that_names_a_hybrid_connection_uses_it_and_makes_no_relay()
    {
        var key = SeedRelay("private-link-relay");
        var hc = $"{RelayId("private-link-relay")}/hybridConnections/arc-demo";
        var before = State.Requests.Entries.Count;

        SingleExtension(Session.Run(
            "New-AzMLK8sExtension -ClusterResourceId $arc -EnableTraining -ConfigurationSetting @{ 'relayserver.hybridConnectionResourceID' = $hc }",
            ("arc", ArcId),
            ("hc", hc)));

        Assert.Empty(RelayWrites(before));
        Assert.Equal(hc, TheExtension().ConfigurationSettings["relayserver.hybridConnectionResourceID"]);
        Assert.Equal(key, TheExtension().ConfigurationProtectedSettings["relayserver.relayConnectionString"]);
    }

    private static string RelayId(string namespaceName) => $"{ResourceGroupScope}/providers/Microsoft.Relay/namespaces/{namespaceName}";

    /// <summary>No error, and exactly one output object: the module's extension.</summary>
    private static PSObject SingleExtension(ScriptResult result)
    {
        result.ThrowIfFailed();
        var extension = Assert.Single(result.Output);
        Assert.Equal(ExtensionType, extension.TypeNames[0]);
        return extension;
    }

    /// <summary>The one azureml extension the emulator holds, on any cluster.</summary>
    private EmulatedExtension TheExtension()
    {
        lock (State.Gate)
        {
            return State.Extensions.Values.Single(e => e.Name == "azureml");
        }
    }

    private JsonObject? Resource(string id)
    {
        lock (State.Gate)
        {
            return State.Resources.Get(id);
        }
    }

    private IReadOnlyList<JsonObject> OfType(string type)
    {
        lock (State.Gate)
        {
            return State.Resources.OfType(Sub, type);
        }
    }

    private IEnumerable<LoggedRequest> RelayWrites(int since) =>
        State.Requests.Entries.Skip(since).Where(e => e.Method is "PUT" or "PATCH" or "DELETE" && e.Path.Contains("Microsoft.Relay", StringComparison.Ordinal));

    /// <summary>Puts a resource in the emulator's ARM store, as if another tool had created it.</summary>
    private void Seed(string id, string type, JsonObject properties, Action<JsonObject>? more = null)
    {
        var resource = new JsonObject
        {
            ["id"] = id,
            ["name"] = id[(id.LastIndexOf('/') + 1)..],
            ["type"] = type,
            ["properties"] = properties,
        };
        more?.Invoke(resource);
        lock (State.Gate)
        {
            State.Resources.Put(id, resource);
        }
    }

    /// <summary>A Standard Relay namespace in eastus, as the module's Relay client or the CLI makes it (no tag).</summary>
    private void SeedRelayNamespace(string id) =>
        Seed(
            id,
            "Microsoft.Relay/namespaces",
            new JsonObject { ["provisioningState"] = "Succeeded", ["serviceBusEndpoint"] = $"https://{id[(id.LastIndexOf('/') + 1)..]}.servicebus.windows.net:443/" },
            r =>
            {
                r["location"] = "eastus";
                r["sku"] = new JsonObject { ["name"] = "Standard", ["tier"] = "Standard" };
            });

    /// <summary>
    /// A relay namespace with the hybrid connection arc-demo and its rule azureml_rw (Manage, Send, Listen), as the CLI
    /// makes them, and the rule's keys; returns the primary connection string listKeys gives.
    /// </summary>
    private string SeedRelay(string namespaceName)
    {
        var ns = RelayId(namespaceName);
        var hc = $"{ns}/hybridConnections/arc-demo";
        var rule = $"{hc}/authorizationRules/azureml_rw";
        SeedRelayNamespace(ns);
        Seed(hc, "Microsoft.Relay/namespaces/hybridConnections", new JsonObject { ["provisioningState"] = "Succeeded", ["requiresClientAuthorization"] = true });
        Seed(rule, "Microsoft.Relay/namespaces/hybridConnections/authorizationRules", new JsonObject
        {
            ["provisioningState"] = "Succeeded",
            ["rights"] = new JsonArray("Manage", "Send", "Listen"),
        });
        var primary = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var secondary = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        lock (State.Gate)
        {
            return State.Resources.KeysFor(rule, () => new JsonObject
            {
                ["keyName"] = "azureml_rw",
                ["primaryKey"] = primary,
                ["secondaryKey"] = secondary,
                ["primaryConnectionString"] = $"Endpoint=sb://{namespaceName}.servicebus.windows.net/;SharedAccessKeyName=azureml_rw;SharedAccessKey={primary};EntityPath=arc-demo",
                ["secondaryConnectionString"] = $"Endpoint=sb://{namespaceName}.servicebus.windows.net/;SharedAccessKeyName=azureml_rw;SharedAccessKey={secondary};EntityPath=arc-demo",
            })["primaryConnectionString"]!.GetValue<string>();
        }
    }
}
