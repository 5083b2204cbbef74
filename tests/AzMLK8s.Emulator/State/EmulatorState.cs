using System.Collections.Concurrent;

namespace AzMLK8s.Emulator.State;

/// <summary>Everything the emulator knows. ARM and Kubernetes routes read and change it under <see cref="Gate"/>.</summary>
public sealed class EmulatorState
{
    public const string DefaultSubscriptionId = "00000000-0000-0000-0000-000000000001";
    public const string DefaultResourceGroup = "rg-demo";
    public const string DefaultLocation = "eastus";

    private readonly ConcurrentDictionary<string, EmulatedCluster> _clusters = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Serializes changes that touch more than one resource.</summary>
    public object Gate { get; } = new();

    public Uri BaseAddress { get; set; } = new("https://127.0.0.1/");

    public IEnumerable<EmulatedCluster> Clusters => _clusters.Values;

    public EmulatedCluster AddCluster(EmulatedCluster cluster)
    {
        _clusters[cluster.ResourceId] = cluster;
        return cluster;
    }

    public EmulatedCluster? FindCluster(string resourceId) =>
        _clusters.TryGetValue(resourceId.TrimEnd('/'), out var cluster) ? cluster : null;

    public EmulatedCluster? FindCluster(string subscriptionId, string resourceGroup, string name) =>
        _clusters.Values.FirstOrDefault(c =>
            string.Equals(c.SubscriptionId, subscriptionId, StringComparison.OrdinalIgnoreCase)
            && string.Equals(c.ResourceGroup, resourceGroup, StringComparison.OrdinalIgnoreCase)
            && string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}
