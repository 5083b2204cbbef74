using System.Text.Json.Nodes;

namespace AzMLK8s.Emulator.State;

/// <summary>
/// ARM resources the emulator keeps as JSON (workspaces, computes, identities, registry, storage, Relay,
/// Log Analytics), keyed by id without regard to case, plus each resource's secret keys apart from its body.
/// </summary>
public sealed class ArmResourceStore
{
    private readonly Dictionary<string, JsonObject> _resources = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, JsonObject> _keys = new(StringComparer.OrdinalIgnoreCase);

    public JsonObject Put(string id, JsonObject resource)
    {
        var copy = (JsonObject)resource.DeepClone();
        _resources[Normalize(id)] = copy;
        return (JsonObject)copy.DeepClone();
    }

    public JsonObject? Get(string id) => _resources.TryGetValue(Normalize(id), out var found) ? (JsonObject)found.DeepClone() : null;

    public bool Exists(string id) => _resources.ContainsKey(Normalize(id));

    public void Clear()
    {
        _resources.Clear();
        _keys.Clear();
    }

    public bool Remove(string id)
    {
        _keys.Remove(Normalize(id));
        return _resources.Remove(Normalize(id));
    }

    /// <summary>Direct children of <paramref name="parentId"/> of one type, e.g. a workspace's computes.</summary>
    public IReadOnlyList<JsonObject> Children(string parentId, string childType)
    {
        var prefix = Normalize(parentId) + "/" + childType + "/";
        return _resources
            .Where(r => r.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && r.Key.IndexOf('/', prefix.Length) < 0)
            .OrderBy(r => r.Key, StringComparer.OrdinalIgnoreCase)
            .Select(r => (JsonObject)r.Value.DeepClone())
            .ToArray();
    }

    /// <summary>Every top-level resource of one type ("Microsoft.MachineLearningServices/workspaces") in a subscription.</summary>
    /// <summary>Every resource kept here (copies), for the generic resource lists.</summary>
    public IReadOnlyList<JsonObject> All() => _resources.Values.Select(r => (JsonObject)r.DeepClone()).ToArray();

    public IReadOnlyList<JsonObject> OfType(string subscriptionId, string resourceType)
    {
        var parts = resourceType.Split('/', 2);
        return _resources
            .Where(r => r.Key.StartsWith($"/subscriptions/{subscriptionId}/resourceGroups/", StringComparison.OrdinalIgnoreCase)
                && r.Key.Split('/') is { Length: 9 } segments
                && segments[6].Equals(parts[0], StringComparison.OrdinalIgnoreCase)
                && segments[7].Equals(parts[1], StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => r.Key, StringComparer.OrdinalIgnoreCase)
            .Select(r => (JsonObject)r.Value.DeepClone())
            .ToArray();
    }

    /// <summary>The resource's secret keys (listKeys / sharedKeys), made on first use.</summary>
    public JsonObject KeysFor(string id, Func<JsonObject> create)
    {
        if (!_keys.TryGetValue(Normalize(id), out var keys))
        {
            keys = create();
            _keys[Normalize(id)] = keys;
        }

        return (JsonObject)keys.DeepClone();
    }

    private static string Normalize(string id) => id.TrimEnd('/');
}
