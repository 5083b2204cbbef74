using System.Collections;
using System.Diagnostics;

namespace AzMLK8s.Engine.Settings;

/// <summary>
/// The configurationProtectedSettings to send. Values are reachable only through the dictionary interface (for the
/// request body); ToString and the debugger show key names only.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class ProtectedSettingsMap : IReadOnlyDictionary<string, string>
{
    private readonly IReadOnlyDictionary<string, string> _values;

    public ProtectedSettingsMap(IEnumerable<KeyValuePair<string, string>> values)
    {
        _values = new SortedDictionary<string, string>(values.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    public static ProtectedSettingsMap Empty { get; } = new(Array.Empty<KeyValuePair<string, string>>());

    public int Count => _values.Count;

    public IEnumerable<string> Keys => _values.Keys;

    IEnumerable<string> IReadOnlyDictionary<string, string>.Values => _values.Values;

    public string this[string key] => _values[key];

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value) => _values.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{{ {string.Join(", ", _values.Keys.Select(k => k + " = ***"))} }}";
}
