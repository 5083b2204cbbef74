using System.Globalization;
using System.Text.Json.Nodes;
using AzMLK8s.Emulator.Kubernetes;

namespace AzMLK8s.Emulator.State;

/// <summary>
/// An emulated cluster's API objects, keyed by (apiVersion, kind, namespace, name), with the resource types its API
/// serves and the credentials it accepts. Every write gives the object a new metadata.resourceVersion.
/// </summary>
public sealed class KubernetesCluster
{
    private readonly object _gate = new();
    private readonly Dictionary<(string ApiVersion, string Kind, string Namespace, string Name), JsonObject> _objects = new();
    private readonly List<EmulatedResourceType> _resourceTypes = new(EmulatedResourceType.BuiltIn);
    private long _resourceVersion = 1000;

    public KubernetesCluster(int nodeCount)
    {
        for (var i = 0; i < nodeCount; i++)
        {
            AddNode($"node-{i}", new Dictionary<string, string>());
        }

        foreach (var ns in new[] { "default", "kube-system" })
        {
            EnsureNamespace(ns);
        }
    }

    /// <summary>The tokens and client certificates this cluster's API server accepts.</summary>
    public ClusterAccess Access { get; } = new();

    /// <summary>What listClusterUserCredential puts in the kubeconfig's user (when the cluster is not AAD-enabled).</summary>
    public KubeconfigCredentialKind UserCredentialKind { get; set; } = KubeconfigCredentialKind.Token;

    /// <summary>Microsoft Entra ID integration: the user kubeconfig uses kubelogin, and Entra ID tokens for the AKS server application are accepted.</summary>
    public bool AadEnabled
    {
        get => Access.AcceptsAzureAdTokens;
        set => Access.AcceptsAzureAdTokens = value;
    }

    /// <summary>Added before every Kubernetes API answer (for timeout and cancellation tests).</summary>
    public TimeSpan ResponseDelay { get; set; }

    public string Platform { get; set; } = "linux/amd64";

    public IReadOnlyList<EmulatedResourceType> ResourceTypes
    {
        get
        {
            lock (_gate)
            {
                return _resourceTypes.ToArray();
            }
        }
    }

    public int NodeCount => List("v1", "Node", null).Count;

    /// <summary>Serves another kind (a custom resource, or an OpenShift API) from now on.</summary>
    public void RegisterResourceType(EmulatedResourceType type)
    {
        lock (_gate)
        {
            if (!_resourceTypes.Any(t => t.ApiVersion == type.ApiVersion && t.Kind == type.Kind))
            {
                _resourceTypes.Add(type);
            }
        }
    }

    public EmulatedResourceType? FindResourceType(string group, string version, string plural)
    {
        lock (_gate)
        {
            return _resourceTypes.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);
        }
    }

    public bool NamespaceExists(string name) => Get("v1", "Namespace", string.Empty, name) is not null;

    public void EnsureNamespace(string name)
    {
        if (!NamespaceExists(name))
        {
            Upsert("v1", "Namespace", string.Empty, name, new JsonObject { ["status"] = new JsonObject { ["phase"] = "Active" } });
        }
    }

    /// <summary>Stores a copy of <paramref name="body"/> with apiVersion, kind, metadata name/namespace and a new resourceVersion.</summary>
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
        else
        {
            metadata.Remove("namespace");
        }

        metadata["uid"] ??= Guid.NewGuid().ToString();
        metadata["creationTimestamp"] ??= DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        lock (_gate)
        {
            metadata["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
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
            if (kind == "Namespace" && apiVersion == "v1")
            {
                foreach (var key in _objects.Keys.Where(k => k.Namespace == name).ToArray())
                {
                    _objects.Remove(key);
                }
            }

            return _objects.Remove((apiVersion, kind, ns, name));
        }
    }

    /// <summary>The cluster's current resourceVersion (for list metadata).</summary>
    public string CurrentResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion.ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    // Helpers that build typical objects, for the seed and for the extension emulation.

    /// <summary>A Ready linux node with the usual labels and resources; <paramref name="labels"/> adds or overrides labels.</summary>
    public JsonObject AddNode(string name, IReadOnlyDictionary<string, string> labels, string cpu = "4", string memoryKi = "16375244Ki", JsonArray? taints = null)
    {
        var allLabels = new JsonObject
        {
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["kubernetes.io/hostname"] = name,
            ["beta.kubernetes.io/os"] = "linux",
            ["beta.kubernetes.io/arch"] = "amd64",
        };
        foreach (var label in labels)
        {
            allLabels[label.Key] = label.Value;
        }

        var cores = int.Parse(cpu, CultureInfo.InvariantCulture);
        return Upsert("v1", "Node", string.Empty, name, new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = allLabels },
            ["spec"] = taints is null ? new JsonObject() : new JsonObject { ["taints"] = taints },
            ["status"] = new JsonObject
            {
                ["capacity"] = new JsonObject { ["cpu"] = cpu, ["memory"] = memoryKi, ["pods"] = "110", ["ephemeral-storage"] = "129886128Ki" },
                ["allocatable"] = new JsonObject
                {
                    ["cpu"] = $"{(cores * 1000) - 140}m",
                    ["memory"] = memoryKi,
                    ["pods"] = "110",
                    ["ephemeral-storage"] = "119703055367",
                },
                ["conditions"] = new JsonArray(
                    Condition("MemoryPressure", "False", "KubeletHasSufficientMemory"),
                    Condition("DiskPressure", "False", "KubeletHasNoDiskPressure"),
                    Condition("PIDPressure", "False", "KubeletHasSufficientPID"),
                    Condition("Ready", "True", "KubeletReady")),
                ["nodeInfo"] = new JsonObject
                {
                    ["kubeletVersion"] = "v1.30.4",
                    ["operatingSystem"] = "linux",
                    ["architecture"] = "amd64",
                    ["containerRuntimeVersion"] = "containerd://1.7.20",
                    ["osImage"] = "Ubuntu 22.04.4 LTS",
                },
            },
        });
    }

    /// <summary>Removes every node (the seed replaces the generic ones with distribution-typical ones).</summary>
    public void RemoveNodes()
    {
        foreach (var node in List("v1", "Node", null))
        {
            Delete("v1", "Node", string.Empty, node["metadata"]!["name"]!.GetValue<string>());
        }
    }

    /// <summary>A ready Deployment and its Running pods.</summary>
    public JsonObject AddDeployment(string ns, string name, int replicas, IReadOnlyDictionary<string, string>? labels = null) =>
        AddReplicated("Deployment", ns, name, replicas, labels);

    /// <summary>A ready StatefulSet and its Running pods ({name}-0, {name}-1...).</summary>
    public JsonObject AddStatefulSet(string ns, string name, int replicas, IReadOnlyDictionary<string, string>? labels = null) =>
        AddReplicated("StatefulSet", ns, name, replicas, labels);

    /// <summary>A ready DaemonSet with one Running pod per node.</summary>
    public JsonObject AddDaemonSet(string ns, string name, IReadOnlyDictionary<string, string>? labels = null)
    {
        EnsureNamespace(ns);
        var podLabels = PodLabels(name, labels);
        var nodes = List("v1", "Node", null).Select(n => n["metadata"]!["name"]!.GetValue<string>()).ToArray();
        for (var i = 0; i < nodes.Length; i++)
        {
            AddPod(ns, $"{name}-{PodSuffix(name, i)}", podLabels, nodes[i]);
        }

        return Upsert("apps/v1", "DaemonSet", ns, name, new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = Labels(podLabels) },
            ["spec"] = new JsonObject { ["selector"] = new JsonObject { ["matchLabels"] = Labels(podLabels) } },
            ["status"] = new JsonObject
            {
                ["desiredNumberScheduled"] = nodes.Length,
                ["currentNumberScheduled"] = nodes.Length,
                ["numberReady"] = nodes.Length,
                ["numberAvailable"] = nodes.Length,
                ["updatedNumberScheduled"] = nodes.Length,
            },
        });
    }

    public JsonObject AddConfigMap(string ns, string name, IReadOnlyDictionary<string, string> data, IReadOnlyDictionary<string, string>? labels = null)
    {
        EnsureNamespace(ns);
        return Upsert("v1", "ConfigMap", ns, name, new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = Labels(labels ?? new Dictionary<string, string>()) },
            ["data"] = Labels(data),
        });
    }

    /// <summary>A Secret; its data is stored base64-encoded as the API does, and only returned to full GETs.</summary>
    public JsonObject AddSecret(string ns, string name, IReadOnlyDictionary<string, string> data, string type = "Opaque")
    {
        EnsureNamespace(ns);
        return Upsert("v1", "Secret", ns, name, new JsonObject
        {
            ["type"] = type,
            ["data"] = new JsonObject(data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(d.Value))))),
        });
    }

    public JsonObject AddServiceAccount(string ns, string name)
    {
        EnsureNamespace(ns);
        return Upsert("v1", "ServiceAccount", ns, name, new JsonObject());
    }

    private JsonObject AddReplicated(string kind, string ns, string name, int replicas, IReadOnlyDictionary<string, string>? labels)
    {
        EnsureNamespace(ns);
        var podLabels = PodLabels(name, labels);
        var nodes = List("v1", "Node", null).Select(n => n["metadata"]!["name"]!.GetValue<string>()).DefaultIfEmpty("node-0").ToArray();
        for (var i = 0; i < replicas; i++)
        {
            var podName = kind == "StatefulSet"
                ? $"{name}-{i}"
                : $"{name}-{PodSuffix(name, 99)}-{PodSuffix(name, i)}";
            AddPod(ns, podName, podLabels, nodes[i % nodes.Length]);
        }

        return Upsert("apps/v1", kind, ns, name, new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = Labels(podLabels) },
            ["spec"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["selector"] = new JsonObject { ["matchLabels"] = Labels(podLabels) },
            },
            ["status"] = new JsonObject
            {
                ["replicas"] = replicas,
                ["readyReplicas"] = replicas,
                ["availableReplicas"] = replicas,
                ["updatedReplicas"] = replicas,
            },
        });
    }

    private void AddPod(string ns, string name, IReadOnlyDictionary<string, string> labels, string nodeName) =>
        Upsert("v1", "Pod", ns, name, new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = Labels(labels) },
            ["spec"] = new JsonObject { ["nodeName"] = nodeName },
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["conditions"] = new JsonArray(Condition("Ready", "True", null), Condition("ContainersReady", "True", null)),
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = labels.TryGetValue("app", out var app) ? app : name,
                    ["ready"] = true,
                    ["restartCount"] = 0,
                    ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2026-01-01T00:00:00Z" } },
                }),
            },
        });

    private static Dictionary<string, string> PodLabels(string name, IReadOnlyDictionary<string, string>? labels)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal) { ["app"] = name };
        foreach (var label in labels ?? new Dictionary<string, string>())
        {
            result[label.Key] = label.Value;
        }

        return result;
    }

    private static JsonObject Labels(IReadOnlyDictionary<string, string> labels) =>
        new(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value))));

    private static JsonObject Condition(string type, string status, string? reason)
    {
        var condition = new JsonObject { ["type"] = type, ["status"] = status, ["lastTransitionTime"] = "2026-01-01T00:00:00Z" };
        if (reason is not null)
        {
            condition["reason"] = reason;
        }

        return condition;
    }

    // Stable, pod-name-like suffixes (kubelet-style 5 lowercase alphanumerics).
    private static string PodSuffix(string seed, int index)
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var hash = unchecked((seed.Aggregate(17u, (h, c) => (h * 31) + c) + (uint)index) * 2654435761u);
        var chars = new char[5];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[(int)(hash % (uint)alphabet.Length)];
            hash /= (uint)alphabet.Length;
            hash ^= unchecked((uint)(index + i) * 40503u);
        }

        return new string(chars);
    }
}

public enum KubeconfigCredentialKind
{
    /// <summary>A bearer token in users[].user.token.</summary>
    Token,

    /// <summary>client-certificate-data and client-key-data issued by the emulator.</summary>
    ClientCertificate,
}
