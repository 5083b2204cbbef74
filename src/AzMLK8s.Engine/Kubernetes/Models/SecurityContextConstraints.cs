using System.Text.Json;

namespace AzMLK8s.Engine.Kubernetes.Models;

/// <summary>An OpenShift SecurityContextConstraints (security.openshift.io/v1).</summary>
public sealed class SecurityContextConstraints : KubernetesResource
{
    private SecurityContextConstraints(KubernetesObjectMetadata metadata)
        : base(metadata)
    {
    }

    /// <summary>Users and service accounts ("system:serviceaccount:{namespace}:{name}") allowed to use it.</summary>
    public required IReadOnlyList<string> Users { get; init; }

    public required IReadOnlyList<string> Groups { get; init; }

    public bool AllowPrivilegedContainer { get; init; }

    /// <summary>runAsUser.type: RunAsAny, MustRunAsRange, MustRunAsNonRoot...</summary>
    public string? RunAsUserStrategy { get; init; }

    public int? Priority { get; init; }

    /// <summary>The user name OpenShift gives a service account.</summary>
    public static string ServiceAccountUser(string ns, string serviceAccount) => $"system:serviceaccount:{ns}:{serviceAccount}";

    internal static SecurityContextConstraints FromJson(JsonElement item) => new(KubernetesObjectMetadata.FromJson(item))
    {
        Users = item.StringArray("users"),
        Groups = item.StringArray("groups"),
        AllowPrivilegedContainer = item.Bool("allowPrivilegedContainer"),
        RunAsUserStrategy = item.String("runAsUser", "type"),
        Priority = item.NullableInt("priority"),
    };
}
