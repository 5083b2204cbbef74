using System.Text.Json;
using System.Text.Json.Nodes;

namespace AzMLK8s.Engine.Azure;

/// <summary>A successful ARM response: status, the headers the engine reads, and the JSON body.</summary>
public sealed class ArmResponse
{
    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly IReadOnlyDictionary<string, string> _headers;

    public ArmResponse(int status, string content, IReadOnlyDictionary<string, string> headers)
    {
        Status = status;
        Content = content;
        _headers = headers;
    }

    public int Status { get; }

    /// <summary>How many times the request was sent to get this answer (retries of 429, 5xx and dropped connections included).</summary>
    public int Attempts { get; init; } = 1;

    public string Content { get; }

    public string? Header(string name) => _headers.TryGetValue(name, out var value) ? value : null;

    public T? Read<T>() where T : class =>
        string.IsNullOrWhiteSpace(Content) ? null : JsonSerializer.Deserialize<T>(Content, SerializerOptions);

    public JsonNode? ReadNode() => string.IsNullOrWhiteSpace(Content) ? null : JsonNode.Parse(Content);

    /// <summary>The delay the service asked for (Retry-After in seconds or as an HTTP date), if any.</summary>
    public TimeSpan? RetryAfter
    {
        get
        {
            var value = Header("Retry-After");
            if (value is null)
            {
                return null;
            }

            if (int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(Math.Max(0, seconds));
            }

            if (!DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            {
                return null;
            }

            var untilThen = at - DateTimeOffset.UtcNow;
            return untilThen > TimeSpan.Zero ? untilThen : TimeSpan.Zero;
        }
    }
}
