using System.Text.Json.Serialization;

namespace AzMLK8s.Engine.Azure.Wire;

/// <summary>Microsoft.MachineLearningServices/workspaces, the fields this module reads.</summary>
public sealed class WorkspaceResource : TrackedArmResource
{
    [JsonPropertyName("identity")]
    public ArmIdentity? Identity { get; set; }

    [JsonPropertyName("sku")]
    public ArmSku? Sku { get; set; }

    [JsonPropertyName("properties")]
    public WorkspaceProperties Properties { get; set; } = new();
}

public sealed class WorkspaceProperties
{
    [JsonPropertyName("workspaceId")]
    public string? WorkspaceId { get; set; }

    [JsonPropertyName("friendlyName")]
    public string? FriendlyName { get; set; }

    [JsonPropertyName("provisioningState")]
    public string? ProvisioningState { get; set; }

    [JsonPropertyName("storageAccount")]
    public string? StorageAccount { get; set; }

    [JsonPropertyName("containerRegistry")]
    public string? ContainerRegistry { get; set; }

    [JsonPropertyName("keyVault")]
    public string? KeyVault { get; set; }

    [JsonPropertyName("applicationInsights")]
    public string? ApplicationInsights { get; set; }

    /// <summary>For user-assigned workspaces: the identity the workspace acts as.</summary>
    [JsonPropertyName("primaryUserAssignedIdentity")]
    public string? PrimaryUserAssignedIdentity { get; set; }
}
