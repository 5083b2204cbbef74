using System.Text.Json.Nodes;

namespace AzMLK8s.Emulator.State;

/// <summary>A Microsoft.KubernetesConfiguration/extensions resource on an emulated cluster.</summary>
public sealed class EmulatedExtension
{
    public EmulatedExtension(EmulatedCluster cluster, string name)
    {
        Cluster = cluster;
        Name = name;
    }

    public EmulatedCluster Cluster { get; }

    public string Name { get; }

    public string Id => $"{Cluster.ResourceId}/providers/Microsoft.KubernetesConfiguration/extensions/{Name}";

    public string ExtensionType { get; set; } = string.Empty;

    public bool AutoUpgradeMinorVersion { get; set; } = true;

    public string ReleaseTrain { get; set; } = "Stable";

    public string? Version { get; set; }

    public string ReleaseNamespace { get; set; } = "azureml";

    public Dictionary<string, string> ConfigurationSettings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Stored, never returned with values.</summary>
    public Dictionary<string, string> ConfigurationProtectedSettings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Creating, Updating, Deleting, Succeeded, Failed.</summary>
    public string ProvisioningState { get; set; } = "Creating";

    public string? CurrentVersion { get; set; }

    public JsonObject? ErrorInfo { get; set; }

    public JsonArray Statuses { get; set; } = new();

    /// <summary>The identity block as sent (Arc extensions get a system-assigned principal).</summary>
    public JsonObject? Identity { get; set; }

    public bool IsAzureML => string.Equals(ExtensionType, AzureMLChart.ExtensionType, StringComparison.OrdinalIgnoreCase);

    public bool SettingIsTrue(string key) =>
        ConfigurationSettings.TryGetValue(key, out var value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
}
