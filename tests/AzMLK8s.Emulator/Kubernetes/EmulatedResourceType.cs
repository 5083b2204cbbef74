namespace AzMLK8s.Emulator.Kubernetes;

/// <summary>A kind the emulated API server serves: its group/version, plural resource name and scope.</summary>
public sealed record EmulatedResourceType(string Group, string Version, string Kind, string Plural, bool Namespaced)
{
    public static readonly EmulatedResourceType SecurityContextConstraints =
        new("security.openshift.io", "v1", "SecurityContextConstraints", "securitycontextconstraints", false);

    /// <summary>What every cluster serves.</summary>
    public static readonly IReadOnlyList<EmulatedResourceType> BuiltIn = new EmulatedResourceType[]
    {
        new(string.Empty, "v1", "Namespace", "namespaces", false),
        new(string.Empty, "v1", "Node", "nodes", false),
        new(string.Empty, "v1", "Pod", "pods", true),
        new(string.Empty, "v1", "ConfigMap", "configmaps", true),
        new(string.Empty, "v1", "Secret", "secrets", true),
        new(string.Empty, "v1", "ServiceAccount", "serviceaccounts", true),
        new(string.Empty, "v1", "Service", "services", true),
        new("apps", "v1", "Deployment", "deployments", true),
        new("apps", "v1", "DaemonSet", "daemonsets", true),
        new("apps", "v1", "StatefulSet", "statefulsets", true),
        new("apps", "v1", "ReplicaSet", "replicasets", true),
    };

    /// <summary>"v1" for the core group, "{group}/{version}" otherwise (the key objects are stored under).</summary>
    public string ApiVersion => string.IsNullOrEmpty(Group) ? Version : $"{Group}/{Version}";
}
