namespace AzMLK8s.Emulator.Arm;

/// <summary>
/// The api-versions the emulated providers serve, by resource type: like real ARM, the stable versions each
/// provider's REST spec publishes (Azure/azure-rest-api-specs; older ones too, since other clients pin them: the
/// Azure CLI's AzureML logic reads managedClusters with 2022-11-01, connectedClusters with 2021-10-01 and Relay
/// with 2017-04-01), so a client's pinned version is checked against a realistic list, not against itself.
/// Types not listed here are not checked.
/// </summary>
public static class ArmApiVersionTable
{
    private static readonly string[] MachineLearning = { "2023-04-01", "2023-10-01", "2024-04-01", "2024-10-01", "2025-09-01", "2025-12-01" };
    private static readonly string[] Extensions = { "2021-09-01", "2022-03-01", "2022-07-01", "2022-11-01", "2023-05-01", "2024-11-01", "2025-03-01" };
    private static readonly string[] Authorization = { "2015-07-01", "2018-01-01-preview", "2020-04-01-preview", "2022-04-01" };
    private static readonly string[] Relay = { "2016-07-01", "2017-04-01", "2021-11-01" };
    private static readonly string[] OperationalInsights = { "2015-03-20", "2020-08-01", "2020-10-01", "2021-06-01", "2022-10-01", "2023-09-01" };
    private static readonly string[] ServiceBus = { "2014-09-01", "2015-08-01", "2017-04-01", "2021-11-01", "2024-01-01" };

    // aks/stable: every version the spec's readme lists since 2017, and the later ones checked individually.
    private static readonly string[] ManagedClusters =
    {
        "2017-08-31", "2018-03-31", "2019-02-01", "2019-04-01", "2019-06-01", "2019-08-01", "2019-10-01", "2019-11-01",
        "2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01", "2020-06-01", "2020-07-01", "2020-09-01", "2020-11-01", "2020-12-01",
        "2021-02-01", "2021-03-01", "2021-05-01", "2021-07-01", "2021-08-01", "2021-09-01", "2021-10-01",
        "2022-01-01", "2022-02-01", "2022-03-01", "2022-04-01", "2022-06-01", "2022-07-01", "2022-09-01", "2022-11-01",
        "2023-01-01", "2023-02-01", "2023-03-01", "2023-04-01", "2023-05-01", "2023-06-01", "2023-07-01", "2023-08-01",
        "2023-09-01", "2023-10-01", "2023-11-01", "2024-01-01", "2024-05-01", "2024-09-01", "2025-01-01", "2025-10-01",
    };

    private static readonly Dictionary<string, string[]> Versions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.KubernetesConfiguration/extensions"] = Extensions,
        ["Microsoft.KubernetesConfiguration/extensions/operations"] = Extensions,
        ["Microsoft.MachineLearningServices/workspaces"] = MachineLearning,
        ["Microsoft.MachineLearningServices/workspaces/computes"] = MachineLearning,
        ["Microsoft.MachineLearningServices/locations/computeOperationsStatus"] = MachineLearning,
        ["Microsoft.Authorization/roleAssignments"] = Authorization,
        ["Microsoft.Authorization/roleDefinitions"] = Authorization,
        ["Microsoft.ContainerService/managedClusters"] = ManagedClusters,
        ["Microsoft.Kubernetes/connectedClusters"] = new[] { "2021-03-01", "2021-10-01", "2024-01-01", "2026-03-01", "2026-05-01" },
        ["Microsoft.ManagedIdentity/userAssignedIdentities"] = new[] { "2018-11-30", "2023-01-31", "2024-11-30" },
        ["Microsoft.Relay/namespaces"] = Relay,
        ["Microsoft.Relay/namespaces/hybridConnections"] = Relay,
        ["Microsoft.Relay/namespaces/hybridConnections/authorizationRules"] = Relay,
        ["Microsoft.Relay/namespaces/authorizationRules"] = Relay,
        ["Microsoft.OperationalInsights/workspaces"] = OperationalInsights,
        ["Microsoft.ServiceBus/namespaces"] = ServiceBus,
        ["Microsoft.ServiceBus/namespaces/topics"] = ServiceBus,
        ["Microsoft.ServiceBus/namespaces/topics/subscriptions"] = ServiceBus,
        ["Microsoft.ServiceBus/namespaces/authorizationRules"] = ServiceBus,
        ["Microsoft.ContainerRegistry/registries"] = new[] { "2023-07-01", "2025-04-01" },
        ["Microsoft.Storage/storageAccounts"] = new[] { "2023-05-01", "2024-01-01" },
        ["Microsoft.Features/features"] = new[] { "2015-12-01", "2021-07-01" },
        ["Microsoft.Resources/providers"] = new[] { "2021-04-01", "2022-09-01" },
    };

    /// <summary>Segments that name an action (POST), not a child resource type.</summary>
    private static readonly HashSet<string> Actions = new(StringComparer.OrdinalIgnoreCase)
    {
        "listClusterUserCredential", "listClusterAdminCredential", "listClusterMonitoringUserCredential",
        "listKeys", "sharedKeys", "register", "unregister",
    };

    public static IReadOnlyList<string>? SupportedVersions(string resourceType) => Versions.GetValueOrDefault(resourceType);

    /// <summary>
    /// The resource type a path addresses: "{namespace}/{type}[/{childType}...]" after the last /providers/,
    /// with actions and collection paths resolved; "Microsoft.Resources/providers" for provider paths.
    /// </summary>
    public static string? ResourceTypeOf(string path)
    {
        if (path.Contains("/providers/Microsoft.Features/", StringComparison.OrdinalIgnoreCase))
        {
            return "Microsoft.Features/features";
        }

        var marker = path.LastIndexOf("/providers/", StringComparison.OrdinalIgnoreCase);
        if (marker < 0)
        {
            return null;
        }

        var segments = path[(marker + "/providers/".Length)..].Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (segments.Count == 0)
        {
            return null;
        }

        if (segments.Count > 1 && Actions.Contains(segments[^1]))
        {
            segments.RemoveAt(segments.Count - 1);
        }

        if (segments.Count == 1)
        {
            // "/subscriptions/{id}/providers/{namespace}" (and its register action).
            return "Microsoft.Resources/providers";
        }

        var types = new List<string> { segments[0] };
        for (var i = 1; i < segments.Count; i += 2)
        {
            types.Add(segments[i]);
        }

        return string.Join('/', types);
    }
}
