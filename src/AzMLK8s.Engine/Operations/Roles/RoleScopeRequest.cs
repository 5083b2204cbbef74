using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Resources;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Model;

namespace AzMLK8s.Engine.Operations.Roles;

/// <summary>
/// Where a role is granted: a resource id, or a container registry or storage account (optionally one blob container)
/// by name, in the compute's resource group unless another is given.
/// </summary>
public sealed record RoleScopeRequest
{
    public const string RegistryType = "Microsoft.ContainerRegistry/registries";
    public const string StorageType = "Microsoft.Storage/storageAccounts";

    public string? Scope { get; init; }

    public string? ContainerRegistry { get; init; }

    public string? StorageAccount { get; init; }

    public string? Container { get; init; }

    /// <summary>The registry's or storage account's resource group; null means the compute's.</summary>
    public string? ResourceGroupName { get; init; }

    /// <summary>The cmdlet parameters as a request, checked (see <see cref="Validate"/>).</summary>
    public static RoleScopeRequest Checked(string? scope, string? containerRegistry, string? storageAccount, string? container, string? resourceGroupName)
    {
        var request = new RoleScopeRequest
        {
            Scope = scope,
            ContainerRegistry = containerRegistry,
            StorageAccount = storageAccount,
            Container = container,
            ResourceGroupName = resourceGroupName,
        };
        request.Validate();
        return request;
    }

    /// <summary>Checks the combination before anything is sent: exactly one target, a container only with a storage account.</summary>
    public void Validate()
    {
        var given = new[] { Scope, ContainerRegistry, StorageAccount }.Count(v => !string.IsNullOrWhiteSpace(v));
        if (given != 1)
        {
            throw new ModuleErrorException(new ModuleError(
                given == 0 ? "RoleScopeMissing" : "RoleScopeAmbiguous",
                ErrorKind.InvalidArgument,
                given == 0 ? "No scope was given for the role." : "More than one scope was given for the role; give exactly one.")
            {
                RecommendedAction = "Give exactly one of -Scope <resource id>, -ContainerRegistry <name> or -StorageAccount <name> [-Container <name>].",
            });
        }

        if (!string.IsNullOrWhiteSpace(Container) && string.IsNullOrWhiteSpace(StorageAccount))
        {
            throw new ModuleErrorException(new ModuleError("RoleScopeContainerWithoutStorageAccount", ErrorKind.InvalidArgument, "-Container names a blob container and needs -StorageAccount.")
            {
                RecommendedAction = "Add -StorageAccount <name>, or drop -Container.",
                TargetObject = Container,
            });
        }

        if (Scope is not null && !IsScope(Scope))
        {
            throw new ModuleErrorException(new ModuleError("InvalidRoleScope", ErrorKind.InvalidArgument, $"-Scope '{Scope}' is not an Azure scope.")
            {
                RecommendedAction = "Give a resource id (/subscriptions/<id>/resourceGroups/<group>/providers/<type>/<name>), a resource group or a subscription id path.",
                TargetObject = Scope,
            });
        }
    }

    /// <summary>The scope's id; a registry or storage account given by name must exist (RoleScopeNotFound otherwise).</summary>
    public async Task<string> ResolveAsync(ArmConnection connection, string subscriptionId, string defaultResourceGroup, CancellationToken cancellationToken)
    {
        Validate();
        if (Scope is not null)
        {
            return RoleAssignments.NormalizeScope(Scope);
        }

        var group = ResourceGroupName ?? defaultResourceGroup;
        var (type, name, apiVersion, label) = ContainerRegistry is not null
            ? (RegistryType, ContainerRegistry, ResourceLookupOperations.ContainerRegistryApiVersion, "container registry")
            : (StorageType, StorageAccount!, ResourceLookupOperations.StorageApiVersion, "storage account");
        var id = ResourceLookupOperations.ResourceId(subscriptionId, group, type, name);
        if (await ResourceLookupOperations.For(connection).GetAsync(id, apiVersion, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new ModuleErrorException(new ModuleError("RoleScopeNotFound", ErrorKind.ObjectNotFound, $"There is no {label} '{name}' in resource group '{group}'.")
            {
                RecommendedAction = $"Check the name, or give its resource group with -TargetResourceGroupName (it defaults to the compute's, '{defaultResourceGroup}'), or its id with -Scope.",
                TargetObject = id,
            });
        }

        return string.IsNullOrWhiteSpace(Container) ? id : $"{id}/blobServices/default/containers/{Container}";
    }

    private static bool IsScope(string scope)
    {
        var trimmed = scope.Trim();
        return ArmResourceId.TryParse(trimmed) is not null
            || System.Text.RegularExpressions.Regex.IsMatch(trimmed, "^/subscriptions/[^/]+(/resourceGroups/[^/]+)?/?$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
            || trimmed.StartsWith("/providers/Microsoft.Management/managementGroups/", StringComparison.OrdinalIgnoreCase);
    }
}
