using AzMLK8s.Engine.Azure.Wire;

namespace AzMLK8s.Engine.Azure.Resources;

/// <summary>Microsoft.KubernetesConfiguration/extensions on an AKS or Arc cluster.</summary>
public sealed class ExtensionOperations : ResourceOperations
{
    internal ExtensionOperations(ArmConnection connection)
        : base(connection)
    {
    }

    public static string ExtensionId(string clusterResourceId, string extensionName) =>
        $"{clusterResourceId.TrimEnd('/')}/providers/Microsoft.KubernetesConfiguration/extensions/{extensionName}";

    public Task<ExtensionResource?> GetAsync(string clusterResourceId, string extensionName, CancellationToken cancellationToken)
    {
        var id = ExtensionId(clusterResourceId, extensionName);
        return GetOrNullAsync<ExtensionResource>(ArmRequest.Get(id, ArmApiVersions.Extensions).Describe($"Get extension '{extensionName}'", id), cancellationToken);
    }

    public Task<IReadOnlyList<ExtensionResource>> ListAsync(string clusterResourceId, CancellationToken cancellationToken)
    {
        var path = $"{clusterResourceId.TrimEnd('/')}/providers/Microsoft.KubernetesConfiguration/extensions";
        return ListAsync<ExtensionResource>(ArmRequest.Get(path, ArmApiVersions.Extensions).Describe("List extensions", clusterResourceId), cancellationToken);
    }

    /// <summary>Waits until an operation already running on the extension (seen in <paramref name="provisioningState"/>) has ended.</summary>
    public Task<ExtensionResource> WaitForProvisioningAsync(string clusterResourceId, string extensionName, string provisioningState, CancellationToken cancellationToken)
    {
        var id = ExtensionId(clusterResourceId, extensionName);
        var get = ArmRequest.Get(id, ArmApiVersions.Extensions).Describe($"Install extension '{extensionName}'", id);
        return WaitForProvisioningAsync<ExtensionResource>(get, $"Waiting for extension '{extensionName}' ({provisioningState})", cancellationToken);
    }

    /// <summary>PUT: creates the extension or replaces it, and waits until it has Succeeded (or throws its failure).</summary>
    public Task<ExtensionResource> CreateOrReplaceAsync(string clusterResourceId, string extensionName, ExtensionResource extension, CancellationToken cancellationToken)
    {
        var id = ExtensionId(clusterResourceId, extensionName);
        var request = ArmRequest.Put(id, ArmApiVersions.Extensions, extension).Describe($"Create extension '{extensionName}'", id);
        return SendAndWaitAsync<ExtensionResource>(request, $"Installing extension '{extensionName}'", cancellationToken);
    }

    /// <summary>PATCH: merges public settings; a protected map, when given, replaces the stored one whole.</summary>
    public Task<ExtensionResource> UpdateAsync(string clusterResourceId, string extensionName, ExtensionPatch patch, CancellationToken cancellationToken)
    {
        var id = ExtensionId(clusterResourceId, extensionName);
        var request = ArmRequest.Patch(id, ArmApiVersions.Extensions, patch).Describe($"Update extension '{extensionName}'", id);
        return SendAndWaitAsync<ExtensionResource>(request, $"Updating extension '{extensionName}'", cancellationToken);
    }

    /// <summary>
    /// Deletes and waits. <paramref name="force"/> removes the Azure resource at once without cleaning up the cluster.
    /// Returns false when there was nothing to delete (204).
    /// </summary>
    public Task<bool> DeleteAsync(string clusterResourceId, string extensionName, bool force, CancellationToken cancellationToken)
    {
        var id = ExtensionId(clusterResourceId, extensionName);
        var request = ArmRequest.Delete(id, ArmApiVersions.Extensions).Describe($"Delete extension '{extensionName}'", id);
        if (force)
        {
            request = request.WithQuery("forceDelete", "true");
        }

        return DeleteAndWaitAsync(request, $"Removing extension '{extensionName}'", cancellationToken);
    }
}
