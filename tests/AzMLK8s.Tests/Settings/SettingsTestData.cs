using System.Collections;
using System.Security;
using AzMLK8s.Engine.Settings;
using AzMLK8s.Model;

namespace AzMLK8s.Tests.Settings;

/// <summary>Builders for the settings tests: PowerShell-like hashtables, clusters, and error assertions.</summary>
internal static class SettingsTestData
{
    public const string AksId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.ContainerService/managedClusters/aks1";
    public const string ArcId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg1/providers/Microsoft.Kubernetes/connectedClusters/arc1";

    public static ClusterFacts Aks(int? nodes = 3) => new(AksId, ClusterKind.Aks, "aks1", "eastus") { NodeCount = nodes };

    public static ClusterFacts Arc(int? nodes = 3, string? distribution = null) =>
        new(ArcId, ClusterKind.Arc, "arc1", "westeurope") { NodeCount = nodes, Distribution = distribution };

    /// <summary>A hashtable as PowerShell builds it from @{ ... }: case-insensitive keys, object values.</summary>
    public static Hashtable Table(params (string Key, object? Value)[] entries)
    {
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in entries)
        {
            table[key] = value;
        }

        return table;
    }

    /// <summary>A case-sensitive dictionary, for inputs that can carry two spellings of a key.</summary>
    public static IDictionary CaseSensitive(params (string Key, object? Value)[] entries)
    {
        var dictionary = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            dictionary[key] = value;
        }

        return dictionary;
    }

    public static SecureString Secure(string value)
    {
        var secure = new SecureString();
        foreach (var c in value)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    public static ExtensionSettingsPlan Create(
        IDictionary? settings, IDictionary? protectedSettings = null, ClusterFacts? cluster = null, ExtensionSettingsOptions? options = null) =>
        new ExtensionSettingsPlanner().PlanCreate(
            new ExtensionCreateRequest { ConfigurationSettings = settings, ConfigurationProtectedSettings = protectedSettings },
            cluster ?? Aks(),
            options);

    public static ExtensionSettingsPlan Update(
        ExistingExtension current, IDictionary? settings, IDictionary? protectedSettings = null, ExtensionSettingsOptions? options = null,
        IReadOnlyDictionary<string, string>? resolvedProtected = null) =>
        new ExtensionSettingsPlanner().PlanUpdate(
            new ExtensionUpdateRequest { ConfigurationSettings = settings, ConfigurationProtectedSettings = protectedSettings, ResolvedProtectedSettings = resolvedProtected },
            current,
            options);

    public static ModuleError Fails(string expectedErrorId, Action action)
    {
        var exception = Assert.Throws<ModuleErrorException>(action);
        Assert.Equal(expectedErrorId, exception.Error.ErrorId);
        Assert.False(string.IsNullOrWhiteSpace(exception.Error.RecommendedAction));
        return exception.Error;
    }

    public static ExistingExtension Existing(ClusterKind kind, params (string Key, string Value)[] settings) =>
        new(kind, settings.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    /// <summary>What CreatePlan produced for a training-only AKS extension, as GET would return it.</summary>
    public static ExistingExtension TrainingOnAks(params (string Key, string Value)[] extra)
    {
        var plan = Create(Table(("enableTraining", true)));
        var settings = new Dictionary<string, string>(plan.ConfigurationSettings, StringComparer.Ordinal);
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return new ExistingExtension(ClusterKind.Aks, settings) { ProtectedSettingKeys = Array.Empty<string>() };
    }
}
