namespace AzMLK8s.Engine.Kubernetes.Transport;

/// <summary>Where a kind of object lives in the API: group, version, plural resource name, namespaced or not.</summary>
internal sealed record KubernetesResourceType(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    public static readonly KubernetesResourceType Namespaces = new(string.Empty, "v1", "namespaces", "Namespace", false);
    public static readonly KubernetesResourceType Nodes = new(string.Empty, "v1", "nodes", "Node", false);
    public static readonly KubernetesResourceType Pods = new(string.Empty, "v1", "pods", "Pod", true);
    public static readonly KubernetesResourceType ConfigMaps = new(string.Empty, "v1", "configmaps", "ConfigMap", true);
    public static readonly KubernetesResourceType Secrets = new(string.Empty, "v1", "secrets", "Secret", true);
    public static readonly KubernetesResourceType Deployments = new("apps", "v1", "deployments", "Deployment", true);
    public static readonly KubernetesResourceType DaemonSets = new("apps", "v1", "daemonsets", "DaemonSet", true);
    public static readonly KubernetesResourceType StatefulSets = new("apps", "v1", "statefulsets", "StatefulSet", true);
    public static readonly KubernetesResourceType SecurityContextConstraints =
        new("security.openshift.io", "v1", "securitycontextconstraints", "SecurityContextConstraints", false);

    /// <summary>"api/v1" for the core group, "apis/{group}/{version}" otherwise.</summary>
    public static string GroupVersionPath(string group, string version) =>
        string.IsNullOrEmpty(group) ? $"api/{version}" : $"apis/{group}/{version}";

    public string ApiVersion => string.IsNullOrEmpty(Group) ? Version : $"{Group}/{Version}";

    /// <summary>The collection: namespaced kinds with a null namespace list across all namespaces.</summary>
    public string CollectionPath(string? ns) =>
        Namespaced && ns is not null
            ? $"{GroupVersionPath(Group, Version)}/namespaces/{Uri.EscapeDataString(ns)}/{Plural}"
            : $"{GroupVersionPath(Group, Version)}/{Plural}";

    public string ItemPath(string? ns, string name) => $"{CollectionPath(ns)}/{Uri.EscapeDataString(name)}";

    /// <summary>"configmap 'team-a/x'" for messages.</summary>
    public string Describe(string? ns, string name) =>
        Namespaced && ns is not null ? $"{Kind} '{ns}/{name}'" : $"{Kind} '{name}'";
}
