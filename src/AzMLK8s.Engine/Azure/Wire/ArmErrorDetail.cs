using System.Text.Json.Serialization;

namespace AzMLK8s.Engine.Azure.Wire;

/// <summary>The ARM error envelope (common-types v2/v3 ErrorResponse): { "error": ErrorDetail }.</summary>
public sealed class ArmErrorResponse
{
    [JsonPropertyName("error")]
    public ArmErrorDetail? Error { get; set; }
}

/// <summary>ErrorDetail: also the shape of an extension's errorInfo and an operation status's error.</summary>
public sealed class ArmErrorDetail
{
    [JsonPropertyName("code")]
    public string? Code { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("target")]
    public string? Target { get; set; }

    [JsonPropertyName("details")]
    public List<ArmErrorDetail>? Details { get; set; }
}
