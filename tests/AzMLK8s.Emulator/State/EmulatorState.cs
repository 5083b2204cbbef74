using System.Collections.Concurrent;
using AzMLK8s.Emulator.Hosting;

namespace AzMLK8s.Emulator.State;

/// <summary>Everything the emulator knows. ARM and Kubernetes routes read and change it under <see cref="Gate"/>.</summary>
public sealed class EmulatorState
{
    public const string DefaultSubscriptionId = "00000000-0000-0000-0000-000000000001";
    public const string DefaultResourceGroup = "rg-demo";
    public const string DefaultLocation = "eastus";
    public const string DefaultTenantId = "00000000-0000-0000-0000-0000000000aa";

    private readonly ConcurrentDictionary<string, EmulatedCluster> _clusters = new(StringComparer.OrdinalIgnoreCase);

    public EmulatorState(EmulatorOptions? options = null)
    {
        Options = options ?? new EmulatorOptions();
        Throttle = new SubscriptionThrottle(Options.WriteBudget, Options.ReadBudget, Options.ThrottlingWindow);
    }

    /// <summary>Serializes changes that touch more than one resource.</summary>
    public object Gate { get; } = new();

    public Uri BaseAddress { get; set; } = new("https://127.0.0.1/");

    /// <summary>Behaviour switches (LRO durations, protected settings, replication delay); tests may change them between calls.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>The emulator's clock; tests may replace it.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    public IEnumerable<EmulatedCluster> Clusters => _clusters.Values;

    /// <summary>Extensions by id (case-insensitive).</summary>
    public Dictionary<string, EmulatedExtension> Extensions { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ArmResourceStore Resources { get; } = new();

    public LongRunningOperations Operations { get; } = new();

    public List<EmulatedRoleAssignment> RoleAssignments { get; } = new();

    /// <summary>The built-in roles, and any custom role a test adds.</summary>
    public List<EmulatedRoleDefinition> RoleDefinitions { get; } = new(BuiltInRoles.All);

    public EmulatedRoleDefinition? FindRoleDefinition(string guid) =>
        RoleDefinitions.FirstOrDefault(r => string.Equals(r.Guid, guid, StringComparison.OrdinalIgnoreCase));

    public PrincipalDirectory Directory { get; } = new();

    public Registrations Registrations { get; } = new();

    public FaultInjector Faults { get; } = new();

    public RequestLog Requests { get; } = new();

    public SubscriptionThrottle Throttle { get; }

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

    /// <summary>
    /// Back to the world of a new emulator: no cluster, resource, extension, operation, role assignment, custom role,
    /// principal, registration or fault, then <paramref name="seed"/>. Options and the request log stay.
    /// </summary>
    public void Reset(Action<EmulatorState> seed)
    {
        lock (Gate)
        {
            _clusters.Clear();
            Extensions.Clear();
            Resources.Clear();
            Operations.Clear();
            RoleAssignments.Clear();
            RoleDefinitions.Clear();
            RoleDefinitions.AddRange(BuiltInRoles.All);
            Directory.Clear();
            Registrations.Clear();
            Faults.Clear();
            Throttle.Reset();
            seed(this);
        }
    }

    /// <summary>Finishes due operations. Call under <see cref="Gate"/>.</summary>
    public void Advance() => Operations.Advance(Clock());

    /// <summary>Finishes every running operation now, safely next to requests in flight (for infinite durations).</summary>
    public void CompleteOperations()
    {
        lock (Gate)
        {
            Operations.CompleteAll();
        }
    }
}
