namespace AzMLK8s.Engine.Operations.Roles;

/// <summary>An Azure built-in role: its display name and its definition GUID (the same in every cloud).</summary>
public sealed record BuiltInRole(string Name, string Id)
{
    public static readonly BuiltInRole AcrPull = new("AcrPull", "7f951dda-4ed3-4680-a7ca-43fe172d538d");
    public static readonly BuiltInRole StorageBlobDataReader = new("Storage Blob Data Reader", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1");
    public static readonly BuiltInRole StorageBlobDataContributor = new("Storage Blob Data Contributor", "ba92f5b4-2d11-453d-a403-e96b0029c9fe");
    public static readonly BuiltInRole Reader = new("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7");
    public static readonly BuiltInRole AzureRelayOwner = new("Azure Relay Owner", "2787bf04-f1f5-4bfe-8383-c8a24483ee38");
    public static readonly BuiltInRole AzureServiceBusDataOwner = new("Azure Service Bus Data Owner", "090c5cfd-751d-490a-894a-3ce6f1109419");
    public static readonly BuiltInRole KubernetesExtensionContributor = new("Kubernetes Extension Contributor", "85cb6faf-e071-4c9b-8136-154b5a04f717");
    public static readonly BuiltInRole AksClusterAdmin = new("Azure Kubernetes Service Cluster Admin Role", "0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8");
    public static readonly BuiltInRole AksContributor = new("Azure Kubernetes Service Contributor Role", "ed7f3fbd-7b88-4dd4-9017-9adb7ce333f8");

    public static IReadOnlyList<BuiltInRole> All { get; } = new[]
    {
        AcrPull, StorageBlobDataReader, StorageBlobDataContributor, Reader, AzureRelayOwner, AzureServiceBusDataOwner,
        KubernetesExtensionContributor, AksClusterAdmin, AksContributor,
    };

    /// <summary>
    /// Finds a built-in role by display name, by its name without spaces ("StorageBlobDataReader", the form
    /// PowerShell users tab-complete) or by GUID; null for any other role (look those up in Azure).
    /// </summary>
    public static BuiltInRole? Find(string nameOrId)
    {
        var compact = nameOrId.Replace(" ", string.Empty, StringComparison.Ordinal);
        return All.FirstOrDefault(r =>
            string.Equals(r.Id, nameOrId, StringComparison.OrdinalIgnoreCase)
            || string.Equals(r.Name, nameOrId, StringComparison.OrdinalIgnoreCase)
            || string.Equals(r.Name.Replace(" ", string.Empty, StringComparison.Ordinal), compact, StringComparison.OrdinalIgnoreCase));
    }
}
