using System.Globalization;
using System.Text.Json;

namespace AzMLK8s.Engine.Kubernetes.Models;

/// <summary>Null-tolerant reads of Kubernetes JSON: missing fields and nulls give null or an empty collection.</summary>
internal static class JsonElementReader
{
    private static readonly IReadOnlyDictionary<string, string> EmptyMap = new Dictionary<string, string>(StringComparer.Ordinal);

    public static JsonElement? Path(this JsonElement element, params string[] names)
    {
        var current = element;
        foreach (var name in names)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.Null ? null : current;
    }

    public static string? String(this JsonElement element, params string[] names) =>
        element.Path(names) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static int Int(this JsonElement element, params string[] names) =>
        element.Path(names) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number) ? number : 0;

    public static int? NullableInt(this JsonElement element, params string[] names) =>
        element.Path(names) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt32(out var number) ? number : null;

    public static bool Bool(this JsonElement element, params string[] names) =>
        element.Path(names) is { ValueKind: JsonValueKind.True };

    public static DateTimeOffset? Time(this JsonElement element, params string[] names) =>
        element.String(names) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    /// <summary>A map of strings (labels, annotations, allocatable, ConfigMap data).</summary>
    public static IReadOnlyDictionary<string, string> StringMap(this JsonElement element, params string[] names)
    {
        if (element.Path(names) is not { ValueKind: JsonValueKind.Object } map)
        {
            return EmptyMap;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in map.EnumerateObject())
        {
            result[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }

        return result;
    }

    public static IReadOnlyList<JsonElement> Array(this JsonElement element, params string[] names) =>
        element.Path(names) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().ToArray() : System.Array.Empty<JsonElement>();

    public static IReadOnlyList<string> StringArray(this JsonElement element, params string[] names) =>
        element.Array(names).Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray();
}
