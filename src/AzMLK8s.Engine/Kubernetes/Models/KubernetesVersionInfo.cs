using System.Text.Json;

namespace AzMLK8s.Engine.Kubernetes.Models;

/// <summary>The API server's /version.</summary>
public sealed record KubernetesVersionInfo(string Major, string Minor, string GitVersion, string? Platform)
{
    internal static KubernetesVersionInfo FromJson(JsonElement item) => new(
        item.String("major") ?? string.Empty,
        item.String("minor") ?? string.Empty,
        item.String("gitVersion") ?? string.Empty,
        item.String("platform"));
}
