namespace AzMLK8s.Engine.Azure;

/// <summary>
/// The one table of api-versions, one per resource type. Each is a stable version that the public cloud serves and
/// that Azure China and US Government also serve. Checked: the REST specs (Azure/azure-rest-api-specs) for
/// existence and stability. Assumed, not checked against a live provider list (no Azure access from the build
/// machines): that the sovereign clouds serve them; we picked versions at least a year old for that reason rather
/// than the newest stable (extensions 2025-03-01, ML 2025-12-01), whose sovereign roll-out is unknown.
/// </summary>
public static class ArmApiVersions
{
    /// <summary>Spec stable/2023-05-01; the version the Learn REST reference documents (checked) and az k8s-extension sends.</summary>
    public const string Extensions = "2023-05-01";

    /// <summary>Microsoft.Resources stable/2021-04-01: resource groups and the generic resource list (completion).</summary>
    public const string ResourceGroups = "2021-04-01";

    /// <summary>Spec stable/2024-10-01 (workspaces and computes share the MachineLearningServices version).</summary>
    public const string MachineLearning = "2024-10-01";

    /// <summary>Spec stable/2022-04-01 (role assignments and role definitions).</summary>
    public const string Authorization = "2022-04-01";

    /// <summary>Spec aks/stable/2024-09-01.</summary>
    public const string ManagedClusters = "2024-09-01";

    /// <summary>Spec stable/2024-01-01 (listClusterUserCredential with authenticationMethod/clientProxy).</summary>
    public const string ConnectedClusters = "2024-01-01";

    /// <summary>Spec stable/2023-01-31.</summary>
    public const string UserAssignedIdentities = "2023-01-31";

    /// <summary>Spec stable/2021-11-01 (namespaces, hybrid connections, authorization rules, listKeys).</summary>
    public const string Relay = "2021-11-01";

    /// <summary>Spec stable/2020-08-01: the newest stable file that still holds sharedKeys next to workspaces.</summary>
    public const string OperationalInsights = "2020-08-01";

    /// <summary>Spec stable/2021-11-01 (namespaces, topics, subscriptions, authorization rules, listKeys); what the Azure CLI's SDK sends.</summary>
    public const string ServiceBus = "2021-11-01";

    /// <summary>Spec stable/2021-07-01; also what Azure.ResourceManager 1.7.0 sends.</summary>
    public const string Features = "2021-07-01";

    /// <summary>Spec stable/2022-09-01; also what Azure.ResourceManager 1.7.0 sends.</summary>
    public const string Providers = "2022-09-01";

    /// <summary>Resource type (namespace/type[/child]) -> api-version.</summary>
    public static IReadOnlyDictionary<string, string> ByResourceType { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.KubernetesConfiguration/extensions"] = Extensions,
        ["Microsoft.KubernetesConfiguration/extensions/operations"] = Extensions,
        ["Microsoft.MachineLearningServices/workspaces"] = MachineLearning,
        ["Microsoft.MachineLearningServices/workspaces/computes"] = MachineLearning,
        ["Microsoft.Authorization/roleAssignments"] = Authorization,
        ["Microsoft.Authorization/roleDefinitions"] = Authorization,
        ["Microsoft.ContainerService/managedClusters"] = ManagedClusters,
        ["Microsoft.Kubernetes/connectedClusters"] = ConnectedClusters,
        ["Microsoft.ManagedIdentity/userAssignedIdentities"] = UserAssignedIdentities,
        ["Microsoft.Relay/namespaces"] = Relay,
        ["Microsoft.Relay/namespaces/hybridConnections"] = Relay,
        ["Microsoft.Relay/namespaces/hybridConnections/authorizationRules"] = Relay,
        ["Microsoft.Relay/namespaces/authorizationRules"] = Relay,
        ["Microsoft.OperationalInsights/workspaces"] = OperationalInsights,
        ["Microsoft.ServiceBus/namespaces"] = ServiceBus,
        ["Microsoft.ServiceBus/namespaces/topics"] = ServiceBus,
        ["Microsoft.ServiceBus/namespaces/topics/subscriptions"] = ServiceBus,
        ["Microsoft.ServiceBus/namespaces/authorizationRules"] = ServiceBus,
        ["Microsoft.Features/features"] = Features,
        ["Microsoft.Resources/providers"] = Providers,
    };
}
