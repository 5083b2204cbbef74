using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Operations.Extensions;
using AzMLK8s.Engine.Settings;
using AzMLK8s.Model.Clusters;

namespace AzMLK8s.Engine.Operations.Roles;

/// <summary>
/// The Azure resources the rules of <see cref="WorkspaceIdentityRoleRequirements"/> grant on besides the cluster,
/// found the same way for the grant, the prerequisite check and Connect-AzMLK8sCompute's pre-check: the one Azure
/// Relay namespace this cluster's extension uses (an Arc cluster's; the one its hybrid connection setting points at,
/// else the one under the Azure CLI's name for the cluster), and the extension's Service Bus namespace when it has
/// servicebus.enabled. Never every namespace of the resource group: those may be other clusters'.
/// </summary>
public static class WorkspaceIdentityRoleTargets
{
    /// <summary>The rules' input for this cluster, and why a resource could not be named (one line each).</summary>
    public static async Task<(WorkspaceIdentityRoleContext Context, IReadOnlyList<string> Unresolved)> ResolveAsync(
        ArmConnection connection,
        ClusterReference cluster,
        ExtensionResource? extension,
        bool usesTrustedAccess,
        CancellationToken cancellationToken)
    {
        var settings = extension?.Properties.ConfigurationSettings ?? new Dictionary<string, string>();
        string Setting(string key) => settings.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase)).Value ?? string.Empty;
        var resolver = new SupportingResourceResolver(connection, cluster, location: string.Empty, Setting(SettingsCatalog.ClusterName));
        var unresolved = new List<string>();

        var relays = new List<string>();
        var relayOff = SettingValues.IsFalse(Setting(SettingsCatalog.RelayServerEnabled));
        if (cluster.Type == AzMLK8sClusterType.Arc && !relayOff)
        {
            var relay = await resolver.FindRelayNamespaceAsync(settings, cancellationToken).ConfigureAwait(false);
            if (relay is null)
            {
                unresolved.Add(
                    $"Azure Relay Owner: the Azure Relay namespace of '{cluster.Name}' was not found (looked for '{Name(resolver.RelayNamespaceCandidates()[0])}', " +
                    "the name the Azure CLI and New-AzMLK8sExtension give it). Install the AzureML extension first (New-AzMLK8sExtension creates the relay), then run this again.");
            }
            else
            {
                relays.Add(relay);
            }
        }

        var buses = new List<string>();
        if (SettingValues.IsTrue(Setting(SettingsCatalog.ServiceBusEnabled)))
        {
            if (Setting("servicebus.resourceID") is { Length: > 0 } id)
            {
                buses.Add(id);
            }
            else if (await FindServiceBusAsync(connection, resolver, cancellationToken).ConfigureAwait(false) is { } found)
            {
                buses.Add(found);
            }
            else
            {
                unresolved.Add(
                    $"Azure Service Bus Data Owner: the extension has servicebus.enabled but no servicebus.resourceID, and no Service Bus namespace '{Name(resolver.ServiceBusNamespaceCandidates()[0])}' exists.");
            }
        }

        var context = new WorkspaceIdentityRoleContext(cluster.ResourceId, cluster.Type)
        {
            UsesTrustedAccess = usesTrustedAccess,
            RelayNamespaceIds = relays,
            ServiceBusNamespaceIds = buses,
        };
        return (context, unresolved);
    }

    /// <summary>The cluster's AzureML extension (the first, when there are several), or null.</summary>
    public static async Task<ExtensionResource?> FindExtensionAsync(ArmConnection connection, ClusterReference cluster, CancellationToken cancellationToken)
    {
        var extensions = await connection.Extensions.ListAsync(cluster.ResourceId, cancellationToken).ConfigureAwait(false);
        return extensions.FirstOrDefault(ExtensionMapper.IsAzureML);
    }

    private static async Task<string?> FindServiceBusAsync(ArmConnection connection, SupportingResourceResolver resolver, CancellationToken cancellationToken)
    {
        foreach (var candidate in resolver.ServiceBusNamespaceCandidates())
        {
            if (await connection.ServiceBus.GetAsync(candidate, cancellationToken).ConfigureAwait(false) is not null)
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Name(string id) => id[(id.LastIndexOf('/') + 1)..];
}
