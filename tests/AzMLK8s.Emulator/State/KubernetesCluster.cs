using System.Text.Json.Nodes;

namespace AzMLK8s.Emulator.State;

/// <summary>An emulated cluster's API objects, keyed by (apiVersion, kind, namespace, name).</summary>
public sealed class KubernetesCluster
{
    private readonly object _gate = new();
    private readonly Dictionary<(string ApiVersion, string Kind, string Namespace, string Name), JsonObject> _objects = new();

    public KubernetesCluster(int nodeCount)
    {
        for (var i = 0; i < nodeCount; i++)
        {
            Upsert("v1", "Node", string.Empty, $"node-{i}", new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["kubernetes.io/os"] = "linux" } },
                ["spec"] = new JsonObject(),
                ["status"] = new JsonObject
                {
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
                },
            });
        }

        foreach (var ns in new[] { "default", "kube-system" })
        {
            EnsureNamespace(ns);
        }
    }

    public int NodeCount => List("v1", "Node", null).Count;

    public bool NamespaceExists(string name) => Get("v1", "Namespace", string.Empty, name) is not null;

    public void EnsureNamespace(string name)
    {
        if (!NamespaceExists(name))
        {
            Upsert("v1", "Namespace", string.Empty, name, new JsonObject { ["status"] = new JsonObject { ["phase"] = "Active" } });
        }
    }

    /// <summary>Stores a copy of <paramref name="body"/> with apiVersion, kind and metadata name/namespace filled in.</summary>
    public JsonObject Upsert(string apiVersion, string kind, string ns, string name, JsonObject body)
    {
        var copy = (JsonObject)body.DeepClone();
        copy["apiVersion"] = apiVersion;
        copy["kind"] = kind;
        var metadata = copy["metadata"] as JsonObject ?? new JsonObject();
        copy["metadata"] = metadata;
        metadata["name"] = name;
        if (!string.IsNullOrEmpty(ns))
        {
            metadata["namespace"] = ns;
        }

        metadata["uid"] ??= Guid.NewGuid().ToString();
        metadata["creationTimestamp"] ??= DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        lock (_gate)
        {
            _objects[(apiVersion, kind, ns, name)] = copy;
        }

        return (JsonObject)copy.DeepClone();
    }

    public JsonObject? Get(string apiVersion, string kind, string ns, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue((apiVersion, kind, ns, name), out var found) ? (JsonObject)found.DeepClone() : null;
        }
    }

    /// <summary>All objects of a kind; <paramref name="ns"/> null means every namespace.</summary>
    public IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? ns)
    {
        lock (_gate)
        {
            return _objects
                .Where(o => o.Key.ApiVersion == apiVersion && o.Key.Kind == kind && (ns is null || o.Key.Namespace == ns))
                .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal)
                .ThenBy(o => o.Key.Name, StringComparer.Ordinal)
                .Select(o => (JsonObject)o.Value.DeepClone())
                .ToArray();
        }
    }

    public bool Delete(string apiVersion, string kind, string ns, string name)
    {
        lock (_gate)
        {
            return _objects.Remove((apiVersion, kind, ns, name));
        }
    }
}
