using k8s;
using k8s.Models;

namespace AzMLK8s.Engine.Kubernetes.Models;

/// <summary>
/// An OpenShift SecurityContextConstraints (security.openshift.io/v1): not a Kubernetes kind, so the library has no
/// model for it. The fields the module reads (camelCase JSON, as the library's custom objects API reads it).
/// </summary>
public sealed class SecurityContextConstraints : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "security.openshift.io/v1";

    public string Kind { get; set; } = "SecurityContextConstraints";

    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>Users and service accounts ("system:serviceaccount:{namespace}:{name}") allowed to use it.</summary>
    public IList<string>? Users { get; set; }

    /// <summary>The user name OpenShift gives a service account.</summary>
    public static string ServiceAccountUser(string ns, string serviceAccount) => $"system:serviceaccount:{ns}:{serviceAccount}";
}
