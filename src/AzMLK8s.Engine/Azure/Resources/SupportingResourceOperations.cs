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
    public Task<RelayResource> CreateOrUpdateNamespaceAsync(string namespaceId, string location, CancellationToken cancellationToken)
    {
        var body = new RelayResource { Location = location, Sku = new ArmSku { Name = "Standard", Tier = "Standard" } };
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

    public Task<LogAnalyticsWorkspaceResource> CreateOrUpdateWorkspaceAsync(string workspaceResourceId, string location, CancellationToken cancellationToken)
    {
        var body = new LogAnalyticsWorkspaceResource { Location = location, Properties = new LogAnalyticsWorkspaceProperties { Sku = new ArmSku { Name = "PerGB2018" } } };
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
