using System.Text;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Resources;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Settings;
using AzMLK8s.Model;

namespace AzMLK8s.Engine.Operations.Extensions;

/// <summary>What the resolver found or created: public settings and secrets for the settings engine.</summary>
public sealed record ResolvedSupportingResources(IReadOnlyDictionary<string, string> Settings, IReadOnlyDictionary<string, string> ProtectedSettings)
{
    public static ResolvedSupportingResources None { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>());
}

/// <summary>
/// Finds or creates the Azure resources some settings depend on, in the cluster's resource group and named the way
/// the Azure CLI names them (so extensions made by either tool find the same resources): the Azure Relay namespace,
/// hybrid connection (the cluster's name) and authorization rule azureml_rw for Arc clusters, and the Log Analytics
/// workspace for logAnalyticsWS=true. The secrets they yield go only into the protected settings.
/// </summary>
public sealed class SupportingResourceResolver
{
    public const string RelayRuleName = "azureml_rw";
    private const string HybridConnectionIdKey = "relayserver.hybridConnectionResourceID";
    private const string HybridConnectionNameKey = "relayserver.hybridConnectionName";

    private readonly ArmConnection _connection;
    private readonly ClusterReference _cluster;
    private readonly string _location;

    public SupportingResourceResolver(ArmConnection connection, ClusterReference cluster, string location)
    {
        _connection = connection;
        _cluster = cluster;
        _location = location;
    }

    /// <summary>Relay namespace name: "{cluster}-{subscription}-{group}-relay", cut to the service's 6-50 characters.</summary>
    public string RelayNamespaceName => ValidName($"{_cluster.Name}-{_cluster.SubscriptionId}-{_cluster.ResourceGroupName}-relay", 50);

    /// <summary>Log Analytics workspace name: "{cluster}-{subscription}-{group}", cut to 4-63 characters.</summary>
    public string LogAnalyticsWorkspaceName => ValidName($"{_cluster.Name}-{_cluster.SubscriptionId}-{_cluster.ResourceGroupName}", 63);

    public string LogAnalyticsWorkspaceId =>
        $"/subscriptions/{_cluster.SubscriptionId}/resourceGroups/{_cluster.ResourceGroupName}/providers/Microsoft.OperationalInsights/workspaces/{LogAnalyticsWorkspaceName}";

    /// <summary>Creates what is missing of <paramref name="pending"/> and returns the settings they give.</summary>
    public async Task<ResolvedSupportingResources> FindOrCreateAsync(SupportingResources pending, CancellationToken cancellationToken)
    {
        if (pending.HasFlag(SupportingResources.ServiceBus))
        {
            throw ExtensionErrors.Create(
                ExtensionErrors.ServiceBusNotSupported,
                ErrorKind.NotImplemented,
                "servicebus.enabled=true needs a Service Bus namespace, which AzMLK8s does not create.",
                "Give its connection string as a protected setting: -ConfigurationProtectedSetting @{ serviceBusConnectionString = $secure }, or leave servicebus.enabled off (the default).",
                SettingsCatalog.ServiceBusEnabled);
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        if (pending.HasFlag(SupportingResources.Relay))
        {
            await AddRelayAsync(settings, secrets, create: true, existingHybridConnectionId: null, cancellationToken).ConfigureAwait(false);
        }

        if (pending.HasFlag(SupportingResources.LogAnalytics))
        {
            await AddLogAnalyticsAsync(settings, secrets, create: true, cancellationToken).ConfigureAwait(false);
        }

        return new ResolvedSupportingResources(settings, secrets);
    }

    /// <summary>
    /// Re-reads the secrets an installed extension holds in Azure-managed resources, so an update that sends protected
    /// settings can send them again. Nothing is created; a resource that is gone is an error with the way out.
    /// </summary>
    public async Task<ResolvedSupportingResources> RereadAsync(IReadOnlyCollection<string> keys, IReadOnlyDictionary<string, string> currentSettings, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        if (keys.Contains(SettingsCatalog.RelayConnectionString))
        {
            await AddRelayAsync(settings, secrets, create: false, currentSettings.GetValueOrDefault(HybridConnectionIdKey), cancellationToken).ConfigureAwait(false);
        }

        if (keys.Contains(SettingsCatalog.LogAnalyticsConnectionString))
        {
            await AddLogAnalyticsAsync(settings, secrets, create: false, cancellationToken).ConfigureAwait(false);
        }

        // Re-read values are kept, not changed: only the secrets go back to the planner.
        return new ResolvedSupportingResources(new Dictionary<string, string>(), secrets);
    }

    private async Task AddRelayAsync(Dictionary<string, string> settings, Dictionary<string, string> secrets, bool create, string? existingHybridConnectionId, CancellationToken cancellationToken)
    {
        var namespaceId = RelayOperations.NamespaceId(_cluster.SubscriptionId, _cluster.ResourceGroupName, RelayNamespaceName);
        var hybridConnectionId = existingHybridConnectionId ?? RelayOperations.HybridConnectionId(namespaceId, _cluster.Name);
        var ruleId = RelayOperations.AuthorizationRuleId(hybridConnectionId, RelayRuleName);
        if (create)
        {
            if (await _connection.Relay.GetAsync(namespaceId, cancellationToken).ConfigureAwait(false) is null)
            {
                _connection.Host.WriteVerbose($"Creating Azure Relay namespace '{RelayNamespaceName}' in resource group '{_cluster.ResourceGroupName}'.");
                await _connection.Relay.CreateOrUpdateNamespaceAsync(namespaceId, _location, cancellationToken).ConfigureAwait(false);
            }

            if (await _connection.Relay.GetAsync(hybridConnectionId, cancellationToken).ConfigureAwait(false) is null)
            {
                await _connection.Relay.CreateOrUpdateHybridConnectionAsync(hybridConnectionId, cancellationToken).ConfigureAwait(false);
            }

            if (await _connection.Relay.GetAsync(ruleId, cancellationToken).ConfigureAwait(false) is null)
            {
                await _connection.Relay.CreateOrUpdateAuthorizationRuleAsync(ruleId, new[] { "Manage", "Send", "Listen" }, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (await _connection.Relay.GetAsync(ruleId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw ExtensionErrors.Create(
                ExtensionErrors.RelayKeysUnavailable,
                ErrorKind.ObjectNotFound,
                $"The extension's Azure Relay authorization rule '{ruleId}' was not found, so its connection string cannot be sent again with this update.",
                "Give the connection string yourself: -ConfigurationProtectedSetting @{ relayServerConnectionString = $secure }, or remove and create the extension again.",
                ruleId);
        }

        var keys = await _connection.Relay.ListKeysAsync(ruleId, cancellationToken).ConfigureAwait(false);
        var connectionString = keys.PrimaryConnectionString ?? throw ExtensionErrors.Create(
            ExtensionErrors.RelayKeysUnavailable,
            ErrorKind.InvalidResult,
            $"Azure returned no connection string for the Azure Relay rule '{ruleId}'.",
            "Check that your account may list the rule's keys (Microsoft.Relay/namespaces/hybridConnections/authorizationRules/listKeys/action), or give relayServerConnectionString.",
            ruleId);
        settings[HybridConnectionIdKey] = hybridConnectionId;
        settings[HybridConnectionNameKey] = ArmResourceId.TryParse(hybridConnectionId)?.Name ?? _cluster.Name;
        secrets[SettingsCatalog.RelayServerConnectionString] = connectionString;
    }

    private async Task AddLogAnalyticsAsync(Dictionary<string, string> settings, Dictionary<string, string> secrets, bool create, CancellationToken cancellationToken)
    {
        var id = LogAnalyticsWorkspaceId;
        var workspace = await _connection.LogAnalytics.GetWorkspaceAsync(id, cancellationToken).ConfigureAwait(false);
        if (workspace is null && create)
        {
            _connection.Host.WriteVerbose($"Creating Log Analytics workspace '{LogAnalyticsWorkspaceName}' in resource group '{_cluster.ResourceGroupName}'.");
            workspace = await _connection.LogAnalytics.CreateOrUpdateWorkspaceAsync(id, _location, cancellationToken).ConfigureAwait(false);
        }

        if (workspace is null)
        {
            throw ExtensionErrors.Create(
                ExtensionErrors.LogAnalyticsKeysUnavailable,
                ErrorKind.ObjectNotFound,
                $"The extension's Log Analytics workspace '{id}' was not found, so its key cannot be sent again with this update.",
                "Give the workspace key yourself: -ConfigurationProtectedSetting @{ 'azure_log_analytics.connection_string' = $secure }.",
                id);
        }

        var keys = await _connection.LogAnalytics.GetSharedKeysAsync(id, cancellationToken).ConfigureAwait(false);
        var key = keys.PrimarySharedKey ?? throw ExtensionErrors.Create(
            ExtensionErrors.LogAnalyticsKeysUnavailable,
            ErrorKind.InvalidResult,
            $"Azure returned no shared key for the Log Analytics workspace '{id}'.",
            "Check that your account may read the workspace's shared keys, or give azure_log_analytics.connection_string.",
            id);
        if (workspace.Properties.CustomerId is { } customerId)
        {
            settings[SettingsCatalog.LogAnalyticsCustomerId] = customerId;
        }

        secrets[SettingsCatalog.LogAnalyticsConnectionString] = key;
    }

    // Letters, digits and '-' only, starting with a letter and not ending with '-'; the Azure CLI's rule.
    private static string ValidName(string raw, int maxLength)
    {
        var builder = new StringBuilder();
        foreach (var c in raw)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '-')
            {
                builder.Append(c);
            }
        }

        var name = builder.ToString();
        name = name.Length > maxLength ? name[..maxLength] : name;
        return name.TrimEnd('-');
    }
}
