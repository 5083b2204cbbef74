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
/// Finds, reuses or creates the Azure resources some settings depend on, in the cluster's resource group, under the
/// names the Azure CLI's AzureML logic gives them (<see cref="AzureCliResourceNames"/>), so a cluster set up by
/// either tool keeps one set of them: the Azure Relay namespace, hybrid connection (the cluster's name) and
/// authorization rule azureml_rw (Arc clusters); the Service Bus namespace with its two topics and subscriptions
/// (servicebus.enabled=true); the Log Analytics workspace (logAnalyticsWS=true). What the extension's settings
/// already point at is used first, then the CLI's name (for the names as given and as ARM spells them), then the
/// name AzMLK8s 0.1 used; only when none exists is one created, under the CLI's name and with the CLI's tag. The
/// secrets they yield go only into the protected settings.
/// </summary>
public sealed class SupportingResourceResolver
{
    public const string RelayRuleName = AzureCliResourceNames.RelayAuthorizationRule;
    private const string HybridConnectionIdKey = "relayserver.hybridConnectionResourceID";
    private const string HybridConnectionNameKey = "relayserver.hybridConnectionName";
    private const string ServiceBusIdKey = "servicebus.resourceID";
    private const string TopicMappingPrefix = "servicebus.topicSubMapping.";

    private static readonly IReadOnlyDictionary<string, string> Tags =
        new Dictionary<string, string> { [AzureCliResourceNames.CreatedByTagName] = AzureCliResourceNames.CreatedByTagValue };

    private readonly ArmConnection _connection;
    private readonly ClusterReference _cluster;
    private readonly string _location;
    private readonly ClusterReference? _canonical;

    /// <param name="connection">The ARM connection.</param>
    /// <param name="cluster">The cluster as the caller named it (the CLI uses the names as typed).</param>
    /// <param name="location">Where new resources go: the cluster's region.</param>
    /// <param name="canonicalClusterId">The cluster's id as ARM returned it, whose names may differ in case.</param>
    public SupportingResourceResolver(ArmConnection connection, ClusterReference cluster, string location, string? canonicalClusterId = null)
    {
        _connection = connection;
        _cluster = cluster;
        _location = location;
        _canonical = TryParse(canonicalClusterId);
    }

    /// <summary>The Relay namespace name the Azure CLI derives for this cluster.</summary>
    public string RelayNamespaceName => AzureCliResourceNames.RelayNamespace(_cluster.Name, _cluster.SubscriptionId, _cluster.ResourceGroupName);

    /// <summary>The Service Bus namespace name the Azure CLI derives for this cluster.</summary>
    public string ServiceBusNamespaceName => AzureCliResourceNames.ServiceBusNamespace(_cluster.Name, _cluster.SubscriptionId, _cluster.ResourceGroupName);

    /// <summary>The Log Analytics workspace name the Azure CLI derives for this cluster.</summary>
    public string LogAnalyticsWorkspaceName => AzureCliResourceNames.LogAnalyticsWorkspace(_cluster.Name, _cluster.SubscriptionId, _cluster.ResourceGroupName);

    public string LogAnalyticsWorkspaceId => WorkspaceId(LogAnalyticsWorkspaceName);

    /// <summary>Finds or creates what is missing of <paramref name="pending"/> and returns the settings they give.</summary>
    /// <param name="pending">What the settings ask for.</param>
    /// <param name="currentSettings">The public settings that may point at the resources: the installed extension's on an update, the requested ones on create.</param>
    /// <param name="cancellationToken">Stops the calls.</param>
    public async Task<ResolvedSupportingResources> FindOrCreateAsync(SupportingResources pending, IReadOnlyDictionary<string, string>? currentSettings, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        currentSettings ??= new Dictionary<string, string>();
        if (pending.HasFlag(SupportingResources.Relay))
        {
            await AddRelayAsync(settings, secrets, create: true, currentSettings, cancellationToken).ConfigureAwait(false);
        }

        if (pending.HasFlag(SupportingResources.ServiceBus))
        {
            await AddServiceBusAsync(settings, secrets, create: true, currentSettings, cancellationToken).ConfigureAwait(false);
        }

        if (pending.HasFlag(SupportingResources.LogAnalytics))
        {
            await AddLogAnalyticsAsync(settings, secrets, create: true, currentSettings, cancellationToken).ConfigureAwait(false);
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
            await AddRelayAsync(settings, secrets, create: false, currentSettings, cancellationToken).ConfigureAwait(false);
        }

        if (keys.Contains(SettingsCatalog.ServiceBusConnectionString))
        {
            await AddServiceBusAsync(settings, secrets, create: false, currentSettings, cancellationToken).ConfigureAwait(false);
        }

        if (keys.Contains(SettingsCatalog.LogAnalyticsConnectionString))
        {
            await AddLogAnalyticsAsync(settings, secrets, create: false, currentSettings, cancellationToken).ConfigureAwait(false);
        }

        // Re-read values are kept, not changed: only the secrets go back to the planner.
        return new ResolvedSupportingResources(new Dictionary<string, string>(), secrets);
    }

    /// <summary>
    /// The Relay namespace this cluster's extension uses: the one its settings' hybrid connection is in, else the
    /// first that exists under the names of <see cref="RelayNamespaceCandidates"/>; null when there is none.
    /// </summary>
    public async Task<string?> FindRelayNamespaceAsync(IReadOnlyDictionary<string, string>? currentSettings, CancellationToken cancellationToken)
    {
        if (NamespaceOfHybridConnection(currentSettings?.GetValueOrDefault(HybridConnectionIdKey)) is { } fromSettings)
        {
            return fromSettings;
        }

        foreach (var candidate in RelayNamespaceCandidates())
        {
            if (await _connection.Relay.GetAsync(candidate, cancellationToken).ConfigureAwait(false) is not null)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The Relay namespace ids looked for, in order: the Azure CLI's name for the cluster as given, for the cluster as
    /// ARM spells it, then AzMLK8s 0.1's name. The first is the one created when none exists.
    /// </summary>
    public IReadOnlyList<string> RelayNamespaceCandidates() => Distinct(
        Sources().Select(c => RelayOperations.NamespaceId(_cluster.SubscriptionId, _cluster.ResourceGroupName, AzureCliResourceNames.RelayNamespace(c.Name, c.SubscriptionId, c.ResourceGroupName)))
            .Append(RelayOperations.NamespaceId(_cluster.SubscriptionId, _cluster.ResourceGroupName, AzureCliResourceNames.LegacyModuleName(
                $"{_cluster.Name}-{_cluster.SubscriptionId}-{_cluster.ResourceGroupName}-relay", AzureCliResourceNames.NamespaceMaxLength))));

    /// <summary>The Service Bus namespace ids looked for: the Azure CLI's name for the cluster as given, then as ARM spells it.</summary>
    public IReadOnlyList<string> ServiceBusNamespaceCandidates() => Distinct(
        Sources().Select(c => ServiceBusOperations.NamespaceId(_cluster.SubscriptionId, _cluster.ResourceGroupName, AzureCliResourceNames.ServiceBusNamespace(c.Name, c.SubscriptionId, c.ResourceGroupName))));

    /// <summary>The Log Analytics workspace ids looked for: the Azure CLI's names, then AzMLK8s 0.1's.</summary>
    public IReadOnlyList<string> LogAnalyticsWorkspaceCandidates() => Distinct(
        Sources().Select(c => WorkspaceId(AzureCliResourceNames.LogAnalyticsWorkspace(c.Name, c.SubscriptionId, c.ResourceGroupName)))
            .Append(WorkspaceId(AzureCliResourceNames.LegacyModuleName(
                $"{_cluster.Name}-{_cluster.SubscriptionId}-{_cluster.ResourceGroupName}", AzureCliResourceNames.WorkspaceMaxLength))));

    private async Task AddRelayAsync(Dictionary<string, string> settings, Dictionary<string, string> secrets, bool create, IReadOnlyDictionary<string, string> current, CancellationToken cancellationToken)
    {
        var hybridConnectionId = current.GetValueOrDefault(HybridConnectionIdKey) is { Length: > 0 } pointed && NamespaceOfHybridConnection(pointed) is not null ? pointed : null;
        string namespaceId;
        bool? namespaceExists = null;
        if (hybridConnectionId is not null)
        {
            namespaceId = NamespaceOfHybridConnection(hybridConnectionId)!;
        }
        else
        {
            var found = await FindFirstAsync(RelayNamespaceCandidates(), id => _connection.Relay.GetAsync(id, cancellationToken)).ConfigureAwait(false);
            namespaceExists = found is not null;
            namespaceId = found ?? RelayNamespaceCandidates()[0];
            hybridConnectionId = RelayOperations.HybridConnectionId(namespaceId, AzureCliResourceNames.HybridConnection(_cluster.Name));
        }

        var ruleId = RelayOperations.AuthorizationRuleId(hybridConnectionId, RelayRuleName);
        if (create)
        {
            namespaceExists ??= await _connection.Relay.GetAsync(namespaceId, cancellationToken).ConfigureAwait(false) is not null;
            if (namespaceExists == false)
            {
                _connection.Host.WriteVerbose($"Creating Azure Relay namespace '{NameOf(namespaceId)}' in resource group '{_cluster.ResourceGroupName}' (the name the Azure CLI gives it).");
                await _connection.Relay.CreateOrUpdateNamespaceAsync(namespaceId, _location, cancellationToken, Tags).ConfigureAwait(false);
            }
            else
            {
                _connection.Host.WriteVerbose($"Using the existing Azure Relay namespace '{NameOf(namespaceId)}'.");
            }

            // In a namespace just made there is nothing to look for.
            var fresh = namespaceExists == false;
            if (fresh || await _connection.Relay.GetAsync(hybridConnectionId, cancellationToken).ConfigureAwait(false) is null)
            {
                await _connection.Relay.CreateOrUpdateHybridConnectionAsync(hybridConnectionId, cancellationToken).ConfigureAwait(false);
            }

            if (fresh || await _connection.Relay.GetAsync(ruleId, cancellationToken).ConfigureAwait(false) is null)
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
        settings[HybridConnectionNameKey] = NameOf(hybridConnectionId);
        secrets[SettingsCatalog.RelayServerConnectionString] = connectionString;
    }

    private async Task AddServiceBusAsync(Dictionary<string, string> settings, Dictionary<string, string> secrets, bool create, IReadOnlyDictionary<string, string> current, CancellationToken cancellationToken)
    {
        var candidates = ServiceBusNamespaceCandidates();
        if (current.GetValueOrDefault(ServiceBusIdKey) is { Length: > 0 } pointed && ArmResourceId.TryParse(pointed) is not null)
        {
            candidates = Distinct(candidates.Prepend(pointed));
        }

        var namespaceId = await FindFirstAsync(candidates, id => _connection.ServiceBus.GetAsync(id, cancellationToken)).ConfigureAwait(false);
        if (namespaceId is null && !create)
        {
            throw ExtensionErrors.Create(
                ExtensionErrors.ServiceBusKeysUnavailable,
                ErrorKind.ObjectNotFound,
                $"The extension's Service Bus namespace was not found (looked for {string.Join(", ", candidates.Select(c => $"'{NameOf(c)}'"))}), so its connection string cannot be sent again with this update.",
                "Give the connection string yourself: -ConfigurationProtectedSetting @{ serviceBusConnectionString = $secure }, or remove and create the extension again.",
                candidates[0]);
        }

        var fresh = namespaceId is null;
        if (namespaceId is null)
        {
            namespaceId = ServiceBusNamespaceCandidates()[0];
            _connection.Host.WriteVerbose($"Creating Service Bus namespace '{NameOf(namespaceId)}' (Standard) in resource group '{_cluster.ResourceGroupName}' (the name the Azure CLI gives it).");
            await _connection.ServiceBus.CreateOrUpdateNamespaceAsync(namespaceId, _location, Tags, cancellationToken).ConfigureAwait(false);
        }
        else if (create)
        {
            _connection.Host.WriteVerbose($"Using the existing Service Bus namespace '{NameOf(namespaceId)}'.");
        }

        if (create)
        {
            foreach (var (topic, subscription) in AzureCliResourceNames.ServiceBusTopics)
            {
                // The CLI's values: topics of 5 GB keeping messages 60 days; subscriptions delivering once, 14 days, 30 s lock.
                var topicId = ServiceBusOperations.TopicId(namespaceId, topic);
                if (fresh || await _connection.ServiceBus.GetAsync(topicId, cancellationToken).ConfigureAwait(false) is null)
                {
                    await _connection.ServiceBus.CreateOrUpdateTopicAsync(topicId, 5120, "P60D", cancellationToken).ConfigureAwait(false);
                }

                var subscriptionId = ServiceBusOperations.SubscriptionId(topicId, subscription);
                if (fresh || await _connection.ServiceBus.GetAsync(subscriptionId, cancellationToken).ConfigureAwait(false) is null)
                {
                    await _connection.ServiceBus.CreateOrUpdateSubscriptionAsync(subscriptionId, 1, "P14D", "PT30S", cancellationToken).ConfigureAwait(false);
                }
            }
        }

        // The CLI takes the first of the namespace's rules (a new namespace has RootManageSharedAccessKey).
        var rule = (await _connection.ServiceBus.ListAuthorizationRulesAsync(namespaceId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Id is not null || r.Name is not null);
        var ruleId = rule is null ? null : rule.Id ?? $"{namespaceId}/authorizationRules/{rule.Name}";
        var connectionString = ruleId is null ? null : (await _connection.ServiceBus.ListKeysAsync(ruleId, cancellationToken).ConfigureAwait(false)).PrimaryConnectionString;
        if (connectionString is null)
        {
            throw ExtensionErrors.Create(
                ExtensionErrors.ServiceBusKeysUnavailable,
                ErrorKind.InvalidResult,
                $"The Service Bus namespace '{NameOf(namespaceId)}' has no authorization rule whose connection string Azure returned.",
                "Check that your account may list the namespace's keys (Microsoft.ServiceBus/namespaces/authorizationRules/listKeys/action), or give serviceBusConnectionString.",
                namespaceId);
        }

        settings[ServiceBusIdKey] = namespaceId;
        foreach (var (topic, subscription) in AzureCliResourceNames.ServiceBusTopics)
        {
            settings[TopicMappingPrefix + topic] = subscription;
        }

        secrets[SettingsCatalog.ServiceBusConnectionStringInput] = connectionString;
    }

    private async Task AddLogAnalyticsAsync(Dictionary<string, string> settings, Dictionary<string, string> secrets, bool create, IReadOnlyDictionary<string, string> current, CancellationToken cancellationToken)
    {
        string? id = null;
        Azure.Wire.LogAnalyticsWorkspaceResource? workspace = null;

        // The workspace the extension already sends logs to, by its customer id.
        if (current.GetValueOrDefault(SettingsCatalog.LogAnalyticsCustomerId) is { Length: > 0 } customerId)
        {
            var all = await _connection.LogAnalytics.ListByResourceGroupAsync(_cluster.SubscriptionId, _cluster.ResourceGroupName, cancellationToken).ConfigureAwait(false);
            workspace = all.FirstOrDefault(w => string.Equals(w.Properties.CustomerId, customerId, StringComparison.OrdinalIgnoreCase) && w.Id is not null);
            id = workspace?.Id;
        }

        if (workspace is null)
        {
            foreach (var candidate in LogAnalyticsWorkspaceCandidates())
            {
                workspace = await _connection.LogAnalytics.GetWorkspaceAsync(candidate, cancellationToken).ConfigureAwait(false);
                if (workspace is not null)
                {
                    id = candidate;
                    break;
                }
            }
        }

        if (workspace is null && create)
        {
            id = LogAnalyticsWorkspaceCandidates()[0];
            _connection.Host.WriteVerbose($"Creating Log Analytics workspace '{NameOf(id)}' in resource group '{_cluster.ResourceGroupName}' (the name the Azure CLI gives it).");
            workspace = await _connection.LogAnalytics.CreateOrUpdateWorkspaceAsync(id, _location, cancellationToken, Tags).ConfigureAwait(false);
        }
        else if (workspace is not null && create)
        {
            _connection.Host.WriteVerbose($"Using the existing Log Analytics workspace '{NameOf(id!)}'.");
        }

        if (workspace is null || id is null)
        {
            throw ExtensionErrors.Create(
                ExtensionErrors.LogAnalyticsKeysUnavailable,
                ErrorKind.ObjectNotFound,
                $"The extension's Log Analytics workspace '{LogAnalyticsWorkspaceId}' was not found, so its key cannot be sent again with this update.",
                "Give the workspace key yourself: -ConfigurationProtectedSetting @{ 'azure_log_analytics.connection_string' = $secure }.",
                LogAnalyticsWorkspaceId);
        }

        var keys = await _connection.LogAnalytics.GetSharedKeysAsync(id, cancellationToken).ConfigureAwait(false);
        var key = keys.PrimarySharedKey ?? throw ExtensionErrors.Create(
            ExtensionErrors.LogAnalyticsKeysUnavailable,
            ErrorKind.InvalidResult,
            $"Azure returned no shared key for the Log Analytics workspace '{id}'.",
            "Check that your account may read the workspace's shared keys, or give azure_log_analytics.connection_string.",
            id);
        if (workspace.Properties.CustomerId is { } found)
        {
            settings[SettingsCatalog.LogAnalyticsCustomerId] = found;
        }

        secrets[SettingsCatalog.LogAnalyticsConnectionString] = key;
    }

    // The cluster as given first (the CLI's names come from what the user typed), then as ARM spells it.
    private IEnumerable<ClusterReference> Sources()
    {
        yield return _cluster;
        if (_canonical is not null)
        {
            yield return _canonical;
        }
    }

    private string WorkspaceId(string name) =>
        $"/subscriptions/{_cluster.SubscriptionId}/resourceGroups/{_cluster.ResourceGroupName}/providers/Microsoft.OperationalInsights/workspaces/{name}";

    private static async Task<string?> FindFirstAsync<T>(IEnumerable<string> ids, Func<string, Task<T?>> get)
        where T : class
    {
        foreach (var id in ids)
        {
            if (await get(id).ConfigureAwait(false) is not null)
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>".../namespaces/{ns}" of ".../namespaces/{ns}/hybridConnections/{hc}"; null for anything else.</summary>
    internal static string? NamespaceOfHybridConnection(string? hybridConnectionId)
    {
        if (string.IsNullOrWhiteSpace(hybridConnectionId))
        {
            return null;
        }

        var at = hybridConnectionId.IndexOf("/hybridConnections/", StringComparison.OrdinalIgnoreCase);
        return at > 0 && hybridConnectionId.Contains("/providers/Microsoft.Relay/namespaces/", StringComparison.OrdinalIgnoreCase)
            ? hybridConnectionId[..at]
            : null;
    }

    private static IReadOnlyList<string> Distinct(IEnumerable<string> ids) => ids.Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    private static string NameOf(string id) => id.TrimEnd('/')[(id.TrimEnd('/').LastIndexOf('/') + 1)..];

    private static ClusterReference? TryParse(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        try
        {
            return ClusterReference.Parse(id);
        }
        catch (ModuleErrorException)
        {
            return null;
        }
    }
}
