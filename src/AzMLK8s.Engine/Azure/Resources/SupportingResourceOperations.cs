using AzMLK8s.Engine.Azure.Wire;

namespace AzMLK8s.Engine.Azure.Resources;

/// <summary>Microsoft.ManagedIdentity/userAssignedIdentities (read only).</summary>
public sealed class IdentityOperations : ResourceOperations
{
    internal IdentityOperations(ArmConnection connection)
        : base(connection)
    {
    }

    public Task<UserAssignedIdentityResource?> GetUserAssignedAsync(string identityResourceId, CancellationToken cancellationToken) =>
        GetOrNullAsync<UserAssignedIdentityResource>(
            ArmRequest.Get(identityResourceId, ArmApiVersions.UserAssignedIdentities).Describe("Get managed identity", identityResourceId),
            cancellationToken);
}

/// <summary>Microsoft.Relay: the namespace, hybrid connection and authorization rule an Arc AzureML extension uses.</summary>
public sealed class RelayOperations : ResourceOperations
{
    internal RelayOperations(ArmConnection connection)
        : base(connection)
    {
    }

    public static string NamespaceId(string subscriptionId, string resourceGroup, string namespaceName) =>
        $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Relay/namespaces/{namespaceName}";

    public static string HybridConnectionId(string namespaceId, string hybridConnectionName) => $"{namespaceId.TrimEnd('/')}/hybridConnections/{hybridConnectionName}";

    public static string AuthorizationRuleId(string hybridConnectionId, string ruleName) => $"{hybridConnectionId.TrimEnd('/')}/authorizationRules/{ruleName}";

    public Task<RelayResource?> GetAsync(string relayResourceId, CancellationToken cancellationToken) =>
        GetOrNullAsync<RelayResource>(ArmRequest.Get(relayResourceId, ArmApiVersions.Relay).Describe("Get Relay resource", relayResourceId), cancellationToken);

    /// <summary>PUT a Standard namespace and wait until it is ready.</summary>
    public Task<RelayResource> CreateOrUpdateNamespaceAsync(string namespaceId, string location, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? tags = null)
    {
        var body = new RelayResource
        {
            Location = location,
            Sku = new ArmSku { Name = "Standard", Tier = "Standard" },
            Tags = tags?.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
        };
        return SendAndWaitAsync<RelayResource>(
            ArmRequest.Put(namespaceId, ArmApiVersions.Relay, body).Describe("Create Relay namespace", namespaceId),
            "Creating Relay namespace",
            cancellationToken);
    }

    public Task<RelayResource> CreateOrUpdateHybridConnectionAsync(string hybridConnectionId, CancellationToken cancellationToken)
    {
        var body = new RelayResource { Properties = new RelayProperties { RequiresClientAuthorization = true } };
        return SendAsync<RelayResource>(ArmRequest.Put(hybridConnectionId, ArmApiVersions.Relay, body).Describe("Create Relay hybrid connection", hybridConnectionId), cancellationToken);
    }

    public Task<RelayResource> CreateOrUpdateAuthorizationRuleAsync(string ruleId, IReadOnlyList<string> rights, CancellationToken cancellationToken)
    {
        var body = new RelayResource { Properties = new RelayProperties { Rights = rights.ToList() } };
        return SendAsync<RelayResource>(ArmRequest.Put(ruleId, ArmApiVersions.Relay, body).Describe("Create Relay authorization rule", ruleId), cancellationToken);
    }

    /// <summary>POST listKeys on an authorization rule. The result is secret.</summary>
    public Task<RelayAccessKeys> ListKeysAsync(string ruleId, CancellationToken cancellationToken) =>
        SendAsync<RelayAccessKeys>(ArmRequest.Post($"{ruleId.TrimEnd('/')}/listKeys", ArmApiVersions.Relay).Describe("List Relay keys", ruleId), cancellationToken);
}

/// <summary>Microsoft.OperationalInsights/workspaces and their shared keys.</summary>
public sealed class LogAnalyticsOperations : ResourceOperations
{
    internal LogAnalyticsOperations(ArmConnection connection)
        : base(connection)
    {
    }

    public Task<LogAnalyticsWorkspaceResource?> GetWorkspaceAsync(string workspaceResourceId, CancellationToken cancellationToken) =>
        GetOrNullAsync<LogAnalyticsWorkspaceResource>(
            ArmRequest.Get(workspaceResourceId, ArmApiVersions.OperationalInsights).Describe("Get Log Analytics workspace", workspaceResourceId),
            cancellationToken);

    /// <summary>The workspaces of a resource group (Workspaces_ListByResourceGroup).</summary>
    public Task<IReadOnlyList<LogAnalyticsWorkspaceResource>> ListByResourceGroupAsync(string subscriptionId, string resourceGroup, CancellationToken cancellationToken)
    {
        var path = $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.OperationalInsights/workspaces";
        return ListAsync<LogAnalyticsWorkspaceResource>(ArmRequest.Get(path, ArmApiVersions.OperationalInsights).Describe("List Log Analytics workspaces", path), cancellationToken);
    }

    public Task<LogAnalyticsWorkspaceResource> CreateOrUpdateWorkspaceAsync(string workspaceResourceId, string location, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? tags = null)
    {
        var body = new LogAnalyticsWorkspaceResource
        {
            Location = location,
            Tags = tags?.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
            Properties = new LogAnalyticsWorkspaceProperties { Sku = new ArmSku { Name = "PerGB2018" } },
        };
        return SendAndWaitAsync<LogAnalyticsWorkspaceResource>(
            ArmRequest.Put(workspaceResourceId, ArmApiVersions.OperationalInsights, body).Describe("Create Log Analytics workspace", workspaceResourceId),
            "Creating Log Analytics workspace",
            cancellationToken);
    }

    /// <summary>POST sharedKeys. The result is secret.</summary>
    public Task<LogAnalyticsSharedKeys> GetSharedKeysAsync(string workspaceResourceId, CancellationToken cancellationToken) =>
        SendAsync<LogAnalyticsSharedKeys>(
            ArmRequest.Post($"{workspaceResourceId.TrimEnd('/')}/sharedKeys", ArmApiVersions.OperationalInsights).Describe("Get Log Analytics keys", workspaceResourceId),
            cancellationToken);
}

/// <summary>
/// Microsoft.ServiceBus (spec stable/2021-11-01): the namespace, topics, topic subscriptions and the namespace's
/// authorization rules an AzureML extension with servicebus.enabled uses.
/// </summary>
public sealed class ServiceBusOperations : ResourceOperations
{
    internal ServiceBusOperations(ArmConnection connection)
        : base(connection)
    {
    }

    public static string NamespaceId(string subscriptionId, string resourceGroup, string namespaceName) =>
        $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.ServiceBus/namespaces/{namespaceName}";

    public static string TopicId(string namespaceId, string topicName) => $"{namespaceId.TrimEnd('/')}/topics/{topicName}";

    public static string SubscriptionId(string topicId, string subscriptionName) => $"{topicId.TrimEnd('/')}/subscriptions/{subscriptionName}";

    public Task<ServiceBusResource?> GetAsync(string resourceId, CancellationToken cancellationToken) =>
        GetOrNullAsync<ServiceBusResource>(ArmRequest.Get(resourceId, ArmApiVersions.ServiceBus).Describe("Get Service Bus resource", resourceId), cancellationToken);

    /// <summary>PUT a Standard namespace (Namespaces_CreateOrUpdate, long-running) and wait until it is ready.</summary>
    public Task<ServiceBusResource> CreateOrUpdateNamespaceAsync(string namespaceId, string location, IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        var body = new ServiceBusResource
        {
            Location = location,
            Sku = new ArmSku { Name = "Standard", Tier = "Standard" },
            Tags = tags?.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
        };
        return SendAndWaitAsync<ServiceBusResource>(
            ArmRequest.Put(namespaceId, ArmApiVersions.ServiceBus, body).Describe("Create Service Bus namespace", namespaceId),
            "Creating Service Bus namespace",
            cancellationToken);
    }

    /// <summary>PUT a topic (Topics_CreateOrUpdate, 200).</summary>
    public Task<ServiceBusResource> CreateOrUpdateTopicAsync(string topicId, int maxSizeInMegabytes, string defaultMessageTimeToLive, CancellationToken cancellationToken)
    {
        var body = new ServiceBusResource { Properties = new ServiceBusProperties { MaxSizeInMegabytes = maxSizeInMegabytes, DefaultMessageTimeToLive = defaultMessageTimeToLive } };
        return SendAsync<ServiceBusResource>(ArmRequest.Put(topicId, ArmApiVersions.ServiceBus, body).Describe("Create Service Bus topic", topicId), cancellationToken);
    }

    /// <summary>PUT a topic subscription (Subscriptions_CreateOrUpdate, 200).</summary>
    public Task<ServiceBusResource> CreateOrUpdateSubscriptionAsync(string subscriptionId, int maxDeliveryCount, string defaultMessageTimeToLive, string lockDuration, CancellationToken cancellationToken)
    {
        var body = new ServiceBusResource
        {
            Properties = new ServiceBusProperties { MaxDeliveryCount = maxDeliveryCount, DefaultMessageTimeToLive = defaultMessageTimeToLive, LockDuration = lockDuration },
        };
        return SendAsync<ServiceBusResource>(ArmRequest.Put(subscriptionId, ArmApiVersions.ServiceBus, body).Describe("Create Service Bus subscription", subscriptionId), cancellationToken);
    }

    /// <summary>The namespace's authorization rules (Namespaces_ListAuthorizationRules).</summary>
    public Task<IReadOnlyList<ServiceBusResource>> ListAuthorizationRulesAsync(string namespaceId, CancellationToken cancellationToken)
    {
        var path = $"{namespaceId.TrimEnd('/')}/authorizationRules";
        return ListAsync<ServiceBusResource>(ArmRequest.Get(path, ArmApiVersions.ServiceBus).Describe("List Service Bus authorization rules", namespaceId), cancellationToken);
    }

    /// <summary>POST listKeys on a namespace authorization rule (Namespaces_ListKeys). The result is secret.</summary>
    public Task<ServiceBusAccessKeys> ListKeysAsync(string ruleId, CancellationToken cancellationToken) =>
        SendAsync<ServiceBusAccessKeys>(ArmRequest.Post($"{ruleId.TrimEnd('/')}/listKeys", ArmApiVersions.ServiceBus).Describe("List Service Bus keys", ruleId), cancellationToken);
}
