using AzMLK8s.Engine.Azure;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Prerequisites;

namespace AzMLK8s.Engine.Operations.Prerequisites;

/// <summary>
/// Registers the resource providers and the AKS-ExtensionManager feature, waiting until each is Registered. After
/// the feature turns Registered, Microsoft.ContainerService is registered again so the feature takes effect.
/// Anything already Registered is left alone (no request beyond the read).
/// </summary>
public sealed class PrerequisiteRegistrar
{
    private readonly ArmConnection _connection;
    private readonly Func<string, string, bool> _shouldProcess;

    /// <param name="shouldProcess">(target, action) -> whether to go ahead; the cmdlet's ShouldProcess.</param>
    public PrerequisiteRegistrar(ArmConnection connection, Func<string, string, bool> shouldProcess)
    {
        _connection = connection;
        _shouldProcess = shouldProcess;
    }

    public async Task<IReadOnlyList<AzMLK8sPrerequisiteCheck>> RegisterAsync(AzMLK8sClusterType? clusterType, CancellationToken cancellationToken)
    {
        var results = new List<AzMLK8sPrerequisiteCheck>();
        foreach (var provider in ResourceProviderRequirements.ProvidersFor(clusterType))
        {
            results.Add(await RegisterProviderAsync(provider, cancellationToken).ConfigureAwait(false));
        }

        if (ResourceProviderRequirements.NeedsExtensionManagerFeature(clusterType))
        {
            results.Add(await RegisterExtensionManagerFeatureAsync(cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private async Task<AzMLK8sPrerequisiteCheck> RegisterProviderAsync(string provider, CancellationToken cancellationToken)
    {
        var state = await _connection.Registrations.GetProviderStateAsync(provider, cancellationToken).ConfigureAwait(false);
        if (ResourceProviderRequirements.IsRegistered(state))
        {
            return Check(PrerequisiteCheckNames.Provider(provider), PrerequisiteStatus.Pass, $"{provider} is already registered.");
        }

        if (!_shouldProcess(Subscription, $"Register resource provider {provider} (now {state ?? "unknown"}) and wait until it is Registered"))
        {
            return Check(PrerequisiteCheckNames.Provider(provider), PrerequisiteStatus.Skipped, $"{provider} is {state ?? "unknown"}; not registered {PrerequisiteDetails.NotConfirmed}.");
        }

        await _connection.Registrations.RegisterProviderAndWaitAsync(provider, cancellationToken).ConfigureAwait(false);
        return Check(PrerequisiteCheckNames.Provider(provider), PrerequisiteStatus.Pass, $"{provider} registered (was {state ?? "unknown"}).");
    }

    private async Task<AzMLK8sPrerequisiteCheck> RegisterExtensionManagerFeatureAsync(CancellationToken cancellationToken)
    {
        const string provider = ResourceProviderRequirements.ContainerService;
        const string feature = ResourceProviderRequirements.ExtensionManagerFeature;
        var name = PrerequisiteCheckNames.Feature(provider, feature);
        var state = await _connection.Registrations.GetFeatureStateAsync(provider, feature, cancellationToken).ConfigureAwait(false);
        if (ResourceProviderRequirements.IsRegistered(state))
        {
            return Check(name, PrerequisiteStatus.Pass, $"Feature {provider}/{feature} is already registered.");
        }

        if (!_shouldProcess(Subscription, $"Register feature {provider}/{feature} (now {state ?? "unknown"}), wait until it is Registered, then register {provider} again"))
        {
            return Check(name, PrerequisiteStatus.Skipped, $"Feature {provider}/{feature} is {state ?? "unknown"}; not registered {PrerequisiteDetails.NotConfirmed}.");
        }

        await _connection.Registrations.RegisterFeatureAndWaitAsync(provider, feature, cancellationToken).ConfigureAwait(false);

        // A feature flag reaches the resource provider only when the provider is registered again.
        await _connection.Registrations.RegisterProviderAndWaitAsync(provider, cancellationToken).ConfigureAwait(false);
        return Check(name, PrerequisiteStatus.Pass, $"Feature {provider}/{feature} registered (was {state ?? "unknown"}) and {provider} registered again to pick it up.");
    }

    private string Subscription => $"/subscriptions/{_connection.SubscriptionId}";

    private AzMLK8sPrerequisiteCheck Check(string name, PrerequisiteStatus status, string detail) =>
        new() { Name = name, Status = status, Target = Subscription, Detail = detail };
}

/// <summary>Wording shared by the details of checks that change something.</summary>
internal static class PrerequisiteDetails
{
    /// <summary>Why a change was skipped: ShouldProcess said no.</summary>
    public const string NotConfirmed = "(-WhatIf, or answered No)";
}

/// <summary>The stable names of the prerequisite checks.</summary>
public static class PrerequisiteCheckNames
{
    public const string ClusterExists = "Cluster.Exists";
    public const string SchedulableNodes = "Cluster.SchedulableNodes";
    public const string NvidiaDevicePlugin = "Cluster.NvidiaDevicePlugin";
    public const string PrometheusOperator = "Cluster.PrometheusOperator";
    public const string Volcano = "Cluster.Volcano";
    public const string LegacyAzureMlFe = "Cluster.LegacyAzureMlFe";
    public const string ComputeNamespace = "Cluster.ComputeNamespace";
    public const string OpenShift = "Cluster.OpenShiftSccGrants";
    public const string WorkspaceIdentity = "Workspace.Identity";

    public static string Provider(string provider) => $"Provider.{provider}";

    public static string Feature(string provider, string feature) => $"Feature.{provider}/{feature}";

    public static string WorkspaceRole(string roleName) => $"Workspace.Role.{roleName.Replace(" ", string.Empty, StringComparison.Ordinal)}";
}
