using AzMLK8s.Model;

namespace AzMLK8s.Engine.Operations.Computes;

/// <summary>The errors of the compute cmdlets: stable ErrorIds, each with the next step.</summary>
public static class ComputeErrors
{
    public const string InvalidComputeName = "InvalidComputeName";
    public const string InvalidNamespaceName = "InvalidKubernetesNamespaceName";
    public const string InvalidWorkspaceName = "InvalidWorkspaceName";
    public const string IdentityMismatch = "ComputeIdentityMismatch";
    public const string TooManyUserAssignedIdentities = "TooManyUserAssignedIdentities";
    public const string InvalidUserAssignedIdentityId = "InvalidUserAssignedIdentityId";
    public const string InvalidInstanceType = "InvalidInstanceType";
    public const string InvalidDefaultInstanceType = "InvalidDefaultInstanceType";
    public const string WorkspaceNotFound = "WorkspaceNotFound";
    public const string ClusterNotFound = "ClusterNotFound";
    public const string ExtensionNotFound = "AzureMLExtensionNotFound";
    public const string ExtensionNotReady = "AzureMLExtensionNotReady";
    public const string NamespaceNotFound = "KubernetesNamespaceNotFound";
    public const string WorkspaceIdentityRoleMissing = "WorkspaceIdentityRoleMissing";
    public const string DefinitionChanged = "ComputeDefinitionChanged";
    public const string ComputeNotFound = "ComputeNotFound";
    public const string NotKubernetesCompute = "NotAKubernetesCompute";
    public const string ProvisioningFailed = "ComputeProvisioningFailed";

    internal static ModuleErrorException Invalid(string errorId, string message, string action, object? target) =>
        new(new ModuleError(errorId, ErrorKind.InvalidArgument, message) { RecommendedAction = action, TargetObject = target });

    internal static ModuleErrorException NotFound(string errorId, string message, string action, object? target) =>
        new(new ModuleError(errorId, ErrorKind.ObjectNotFound, message) { RecommendedAction = action, TargetObject = target });

    internal static ModuleErrorException NotReady(string errorId, string message, string action, object? target) =>
        new(new ModuleError(errorId, ErrorKind.ResourceUnavailable, message) { RecommendedAction = action, TargetObject = target });
}
