using System.Text.Json.Serialization;

namespace AzMLK8s.Engine.Kubernetes.Transport;

/// <summary>The Kubernetes meta/v1 Status body that the API server returns with an error.</summary>
internal sealed class KubernetesStatus
{
    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("reason")]
    public string? Reason { get; set; }

    [JsonPropertyName("code")]
    public int Code { get; set; }

    [JsonPropertyName("details")]
    public KubernetesStatusDetails? Details { get; set; }
}

internal sealed class KubernetesStatusDetails
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("group")]
    public string? Group { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }
}
