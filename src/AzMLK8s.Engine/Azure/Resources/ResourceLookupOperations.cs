using AzMLK8s.Engine.Azure.Wire;

namespace AzMLK8s.Engine.Azure.Resources;

/// <summary>
/// Plain reads of resources the role and prerequisite cmdlets only need to find: a registry or storage account to
/// grant on, the Relay and Service Bus namespaces in a cluster's resource group.
/// </summary>
public sealed class ResourceLookupOperations : ResourceOperations
{
    /// <summary>Microsoft.ContainerRegistry/registries, spec stable/2023-07-01.</summary>
    public const string ContainerRegistryApiVersion = "2023-07-01";

    /// <summary>Microsoft.Storage/storageAccounts, spec stable/2023-05-01.</summary>
    public const string StorageApiVersion = "2023-05-01";

    /// <summary>Microsoft.ServiceBus/namespaces, spec stable/2021-11-01.</summary>
    public const string ServiceBusApiVersion = ArmApiVersions.ServiceBus;

    internal ResourceLookupOperations(ArmConnection connection)
        : base(connection)
    {
    }

    public static ResourceLookupOperations For(ArmConnection connection) => new(connection);

    public static string ResourceId(string subscriptionId, string resourceGroup, string resourceType, string name) =>
        $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/{resourceType}/{name}";

    /// <summary>GET a resource; null when it does not exist.</summary>
    public Task<GenericArmResource?> GetAsync(string resourceId, string apiVersion, CancellationToken cancellationToken) =>
        GetOrNullAsync<GenericArmResource>(ArmRequest.Get(resourceId, apiVersion).Describe("Get resource", resourceId), cancellationToken);

    /// <summary>The resources of one type (e.g. Microsoft.Relay/namespaces) in a resource group ({type}_ListByResourceGroup).</summary>
    public Task<IReadOnlyList<GenericArmResource>> ListByResourceGroupAsync(string subscriptionId, string resourceGroup, string resourceType, string apiVersion, CancellationToken cancellationToken)
    {
        var path = $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/{resourceType}";
        return ListAsync<GenericArmResource>(ArmRequest.Get(path, apiVersion).Describe($"List {resourceType}", path), cancellationToken);
    }
}
