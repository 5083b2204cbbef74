using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AzMLK8s.Engine.Azure.Wire;

/// <summary>Microsoft.MachineLearningServices/workspaces/computes with computeType Kubernetes.</summary>
public sealed class ComputeResource : TrackedArmResource
{
    [JsonPropertyName("identity")]
    public ArmIdentity? Identity { get; set; }

    [JsonPropertyName("properties")]
    public ComputeProperties Properties { get; set; } = new();
}

public sealed class ComputeProperties
{
    [JsonPropertyName("computeType")]
    public string? ComputeType { get; set; }

    [JsonPropertyName("computeLocation")]
    public string? ComputeLocation { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    /// <summary>The cluster's ARM id.</summary>
    [JsonPropertyName("resourceId")]
    public string? ResourceId { get; set; }

    [JsonPropertyName("provisioningState")]
    public string? ProvisioningState { get; set; }

    [JsonPropertyName("isAttachedCompute")]
    public bool? IsAttachedCompute { get; set; }

    [JsonPropertyName("provisioningErrors")]
    public List<ArmErrorResponse>? ProvisioningErrors { get; set; }

    [JsonPropertyName("createdOn")]
    public DateTimeOffset? CreatedOn { get; set; }

    [JsonPropertyName("modifiedOn")]
    public DateTimeOffset? ModifiedOn { get; set; }

    [JsonPropertyName("properties")]
    public KubernetesComputeProperties? Properties { get; set; }
}

public sealed class KubernetesComputeProperties
{
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("defaultInstanceType")]
    public string? DefaultInstanceType { get; set; }

    /// <summary>Instance type name -> { nodeSelector, resources { requests, limits } }, kept as JSON.</summary>
    [JsonPropertyName("instanceTypes")]
    public JsonObject? InstanceTypes { get; set; }

    [JsonPropertyName("extensionPrincipalId")]
    public string? ExtensionPrincipalId { get; set; }

    [JsonPropertyName("extensionInstanceReleaseTrain")]
    public string? ExtensionInstanceReleaseTrain { get; set; }

    [JsonPropertyName("vcName")]
    public string? VcName { get; set; }
}
