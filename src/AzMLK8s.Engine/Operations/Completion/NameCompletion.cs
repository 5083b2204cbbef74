using System.Collections.Concurrent;
using System.Text.Json;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Engine.Operations.Completion;

/// <summary>What tab completion completes from the signed-in subscription.</summary>
public enum CompletedName
{
    ResourceGroup,
    Cluster,
    Workspace,
    Compute,
}

/// <summary>What the command line already says, which narrows the list (resource group, workspace, cluster type).</summary>
public sealed record CompletionScope(string? ResourceGroupName, string? WorkspaceName, AzMLK8sClusterType? ClusterType);

/// <summary>
/// Live names for tab completion: one ARM list call with a short time limit and no retry, cached per PowerShell
/// session for a few minutes. Any failure (not signed in, no network, no permission) gives no names, never an error:
/// completion must not get in the way of typing.
/// </summary>
public static class NameCompletion
{
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);

    private const string CacheKey = "AzMLK8s.CompletionCache";

    private static readonly ArmConnectionOptions Options = ArmConnectionOptions.Default with
    {
        MaxRetries = 0,
        NetworkTimeout = TimeLimit,
    };

    public static async Task<IReadOnlyList<string>> NamesAsync(ICmdletHost host, CompletedName kind, CompletionScope scope, CancellationToken cancellationToken)
    {
        try
        {
            var connection = ArmConnection.FromContext(null, host, Options);
            var request = ListRequest(connection.SubscriptionId, kind, scope);
            if (request is null)
            {
                return Array.Empty<string>();
            }

            var cache = Cache(host);
            var key = $"{connection.Endpoint}|{request.Path}|{string.Join("&", request.Query.Select(q => $"{q.Key}={q.Value}"))}";
            if (cache.TryGetValue(key, out var cached) && DateTimeOffset.UtcNow - cached.At < CacheLifetime)
            {
                return cached.Names;
            }

            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeLimit);
            var response = await connection.SendAsync(request, limit.Token).ConfigureAwait(false);
            var names = Names(response.Content, kind);
            cache[key] = (DateTimeOffset.UtcNow, names);
            return names;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Array.Empty<string>();
        }
    }

    private static ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<string> Names)> Cache(ICmdletHost host)
    {
        lock (host.Session)
        {
            if (host.Session.TryGetValue(CacheKey, out var existing) && existing is ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<string> Names)> cache)
            {
                return cache;
            }

            cache = new ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<string> Names)>(StringComparer.OrdinalIgnoreCase);
            host.Session[CacheKey] = cache;
            return cache;
        }
    }

    private static ArmRequest? ListRequest(string subscriptionId, CompletedName kind, CompletionScope scope)
    {
        var subscription = $"/subscriptions/{subscriptionId}";
        var group = string.IsNullOrWhiteSpace(scope.ResourceGroupName) ? null : $"{subscription}/resourceGroups/{scope.ResourceGroupName}";
        switch (kind)
        {
            case CompletedName.ResourceGroup:
                return ArmRequest.Get($"{subscription}/resourcegroups", ArmApiVersions.ResourceGroups).Describe("List resource groups", subscription);
            case CompletedName.Cluster:
                var types = scope.ClusterType switch
                {
                    AzMLK8sClusterType.Aks => new[] { "Microsoft.ContainerService/managedClusters" },
                    AzMLK8sClusterType.Arc => new[] { "Microsoft.Kubernetes/connectedClusters" },
                    _ => new[] { "Microsoft.ContainerService/managedClusters", "Microsoft.Kubernetes/connectedClusters" },
                };
                var filter = string.Join(" or ", types.Select(t => $"resourceType eq '{t}'"));
                return ArmRequest.Get($"{group ?? subscription}/resources", ArmApiVersions.ResourceGroups)
                    .WithQuery("$filter", filter)
                    .Describe("List clusters", group ?? subscription);
            case CompletedName.Workspace:
                return ArmRequest.Get($"{group ?? subscription}/providers/Microsoft.MachineLearningServices/workspaces", ArmApiVersions.MachineLearning)
                    .Describe("List workspaces", group ?? subscription);
            case CompletedName.Compute when group is not null && !string.IsNullOrWhiteSpace(scope.WorkspaceName):
                var workspace = $"{group}/providers/Microsoft.MachineLearningServices/workspaces/{scope.WorkspaceName}";
                return ArmRequest.Get($"{workspace}/computes", ArmApiVersions.MachineLearning).Describe("List computes", workspace);
            default:
                return null;
        }
    }

    private static IReadOnlyList<string> Names(string content, CompletedName kind)
    {
        using var document = JsonDocument.Parse(content);
        if (!document.RootElement.TryGetProperty("value", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return Array.Empty<string>();
        }

        var names = new List<string>();
        foreach (var item in items.EnumerateArray())
        {
            if (kind == CompletedName.Compute && !IsKubernetesCompute(item))
            {
                continue;
            }

            if (item.TryGetProperty("name", out var name) && name.GetString() is { Length: > 0 } text)
            {
                names.Add(text);
            }
        }

        return names.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    private static bool IsKubernetesCompute(JsonElement compute) =>
        compute.TryGetProperty("properties", out var properties)
        && properties.TryGetProperty("computeType", out var type)
        && string.Equals(type.GetString(), "Kubernetes", StringComparison.OrdinalIgnoreCase);
}
