using System.Text.Json.Serialization;

namespace AzMLK8s.Engine.Azure.Wire;

/// <summary>What every ARM resource body carries (the common-types "Resource"): id, name and type, read-only.</summary>
public abstract class ArmResource
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }
}

/// <summary>A resource that lives in a region (the common-types "TrackedResource").</summary>
public abstract class TrackedArmResource : ArmResource
{
    [JsonPropertyName("location")]
    public string? Location { get; set; }
}
