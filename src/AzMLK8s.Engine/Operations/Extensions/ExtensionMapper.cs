using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Settings;
using AzMLK8s.Model;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Extensions;

namespace AzMLK8s.Engine.Operations.Extensions;

/// <summary>Reads the ARM resources of a cluster and its extension into the settings engine's and the pipeline's types.</summary>
public static class ExtensionMapper
{
    /// <summary>ClusterFacts from the cluster's ARM resource: AKS agent pool node counts, Arc totalNodeCount and distribution.</summary>
    public static ClusterFacts ToClusterFacts(ClusterReference cluster, ClusterResource resource)
    {
        var kind = cluster.Type == AzMLK8sClusterType.Aks ? ClusterKind.Aks : ClusterKind.Arc;
        int? nodes = kind == ClusterKind.Aks
            ? resource.Properties.AgentPoolProfiles is { Count: > 0 } pools && pools.All(p => p.Count is not null) ? pools.Sum(p => p.Count!.Value) : null
            : resource.Properties.TotalNodeCount;
        return new ClusterFacts(resource.Id ?? cluster.ResourceId, kind, resource.Name ?? cluster.Name, resource.Location ?? string.Empty)
        {
            NodeCount = nodes,
            Distribution = kind == ClusterKind.Arc ? resource.Properties.Distribution : null,
        };
    }

    /// <summary>Whether an extension resource is the AzureML extension (the type matches case-insensitively, as ARM does).</summary>
    public static bool IsAzureML(ExtensionResource extension) =>
        string.Equals(extension.Properties.ExtensionType, SettingsCatalog.ExtensionType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The pipeline object. Protected settings only as key names.</summary>
    public static AzMLK8sExtension ToModel(ClusterReference cluster, ExtensionResource extension, IReadOnlyCollection<string>? knownProtectedKeys = null)
    {
        var settings = extension.Properties.ConfigurationSettings ?? new Dictionary<string, string>();
        var existing = ToExisting(cluster, extension);
        var protectedKeys = (extension.Properties.ConfigurationProtectedSettings?.Keys as IEnumerable<string>)
            ?? knownProtectedKeys
            ?? ExtensionSettingsPlanner.RetainedProtectedKeys(existing);
        var statuses = (extension.Properties.Statuses ?? new List<ExtensionStatus>())
            .Select(s => string.Join(": ", new[] { s.Level, s.Code, s.Message }.Where(p => !string.IsNullOrEmpty(p))))
            .ToArray();
        var name = extension.Name ?? ArmResourceId.TryParse(extension.Id)?.Name ?? "azureml";
        return new AzMLK8sExtension
        {
            Name = name,
            ResourceId = extension.Id ?? Azure.Resources.ExtensionOperations.ExtensionId(cluster.ResourceId, name),
            ClusterResourceId = cluster.ResourceId,
            ClusterName = cluster.Name,
            ClusterType = cluster.Type,
            ResourceGroupName = cluster.ResourceGroupName,
            SubscriptionId = cluster.SubscriptionId,
            ExtensionType = extension.Properties.ExtensionType ?? SettingsCatalog.ExtensionType,
            ProvisioningState = extension.Properties.ProvisioningState,
            Version = extension.Properties.CurrentVersion ?? extension.Properties.Version,
            ReleaseTrain = extension.Properties.ReleaseTrain,
            AutoUpgradeMinorVersion = extension.Properties.AutoUpgradeMinorVersion ?? true,
            ReleaseNamespace = extension.Properties.Scope?.Cluster?.ReleaseNamespace,
            TrainingEnabled = SettingValues.IsTrue(settings.GetValueOrDefault(SettingsCatalog.EnableTraining)),
            InferenceEnabled = SettingValues.IsTrue(settings.GetValueOrDefault(SettingsCatalog.EnableInference)),
            ConfigurationSettings = new SortedDictionary<string, string>(settings, StringComparer.Ordinal),
            ProtectedSettingKeys = protectedKeys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
            IdentityPrincipalId = extension.Identity?.PrincipalId,
            Statuses = statuses,
            ErrorCode = extension.Properties.ErrorInfo?.Code,
            ErrorMessage = extension.Properties.ErrorInfo?.Message,
        };
    }

    /// <summary>What the update planner needs of the installed extension.</summary>
    public static ExistingExtension ToExisting(ClusterReference cluster, ExtensionResource extension) =>
        new(cluster.Type == AzMLK8sClusterType.Aks ? ClusterKind.Aks : ClusterKind.Arc,
            new Dictionary<string, string>(extension.Properties.ConfigurationSettings ?? new Dictionary<string, string>(), StringComparer.Ordinal))
        {
            ProtectedSettingKeys = extension.Properties.ConfigurationProtectedSettings?.Keys.ToArray(),
            Version = extension.Properties.AutoUpgradeMinorVersion == false ? extension.Properties.Version ?? extension.Properties.CurrentVersion : null,
            AutoUpgradeMinorVersion = extension.Properties.AutoUpgradeMinorVersion,
            ReleaseTrain = extension.Properties.ReleaseTrain,
        };

    internal static ModuleErrorException NotAzureMLError(ExtensionResource extension) => ExtensionErrors.Create(
        ExtensionErrors.NotAzureML,
        ErrorKind.InvalidArgument,
        $"Extension '{extension.Name}' is a {extension.Properties.ExtensionType} extension, not {SettingsCatalog.ExtensionType}; AzMLK8s manages only the Azure Machine Learning extension.",
        "Give the name of the AzureML extension (Get-AzMLK8sExtension -ClusterResourceId <id> lists them), or choose another -Name.",
        extension.Id);
}
