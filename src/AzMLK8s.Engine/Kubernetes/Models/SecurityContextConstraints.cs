using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace AzMLK8s.Engine.Kubernetes.Models;

/// <summary>
/// An OpenShift SecurityContextConstraints (security.openshift.io/v1): not a Kubernetes kind, so the library has no
/// model for it; this one holds the fields the module reads, for the library's generic client.
/// </summary>
public sealed class SecurityContextConstraints : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "security.openshift.io";
    public const string Version = "v1";
    public const string Plural = "securitycontextconstraints";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = $"{Group}/{Version}";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "SecurityContextConstraints";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>Users and service accounts ("system:serviceaccount:{namespace}:{name}") allowed to use it.</summary>
    [JsonPropertyName("users")]
    public IList<string>? Users { get; set; }

    [JsonPropertyName("groups")]
    public IList<string>? Groups { get; set; }

    [JsonPropertyName("allowPrivilegedContainer")]
    public bool AllowPrivilegedContainer { get; set; }

    /// <summary>runAsUser.type: RunAsAny, MustRunAsRange, MustRunAsNonRoot...</summary>
    [JsonPropertyName("runAsUser")]
    public StrategyOptions? RunAsUser { get; set; }

    [JsonPropertyName("priority")]
    public int? Priority { get; set; }

    /// <summary>The user name OpenShift gives a service account.</summary>
    public static string ServiceAccountUser(string ns, string serviceAccount) => $"system:serviceaccount:{ns}:{serviceAccount}";

    public sealed class StrategyOptions
    {
        [JsonPropertyName("type")]
        public string? Type { get; set; }
    }
}
