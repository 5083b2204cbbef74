using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Settings;
using AzMLK8s.Model;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Extensions;

namespace AzMLK8s.Engine.Operations.Extensions;

/// <summary>
/// The AzureML extension's lifecycle on an AKS or Arc cluster: create, read, update and remove, on top of the
/// settings engine (every rule) and the ARM layer (requests, waits, errors). Each write is prepared first (rules
/// checked, cluster and extension read, nothing written) so the cmdlet can ask ShouldProcess with the exact change.
/// </summary>
public sealed class ExtensionLifecycle
{
    private readonly ArmConnection _connection;
    private readonly ExtensionSettingsPlanner _planner;

    public ExtensionLifecycle(ArmConnection connection, ExtensionSettingsPlanner? planner = null)
    {
        _connection = connection;
        _planner = planner ?? new ExtensionSettingsPlanner();
    }

    /// <summary>
    /// Runs the create rules that need nothing from Azure (keys, values, scenarios, TLS, PEM files), so bad input fails
    /// before any request. Cluster-derived settings are added later, when the cluster has been read.
    /// </summary>
    public ExtensionSettingsPlan CheckCreate(ClusterReference cluster, string name, ExtensionCreateRequest request, ExtensionSettingsOptions options)
    {
        ExtensionErrors.CheckName(name);
        return _planner.PlanCreate(request, FactsWithoutAzure(cluster), options);
    }

    /// <summary>Reads the cluster and any extension of that name, and plans the create. Sends nothing that writes.</summary>
    public async Task<PreparedCreate> PrepareCreateAsync(ClusterReference cluster, string name, ExtensionCreateRequest request, ExtensionSettingsOptions options, CancellationToken cancellationToken)
    {
        CheckCreate(cluster, name, request, options);
        var facts = await ReadClusterFactsAsync(cluster, cancellationToken).ConfigureAwait(false);
        var plan = _planner.PlanCreate(request, facts, options);
        var existing = await _connection.Extensions.GetAsync(cluster.ResourceId, name, cancellationToken).ConfigureAwait(false);
        var outcome = CreateOutcome.Create;
        if (existing is not null)
        {
            outcome = CompareWithExisting(cluster, name, plan, existing);
        }

        return new PreparedCreate(cluster, name, facts, plan, outcome) { Request = request, Options = options, Existing = existing };
    }

    /// <summary>Finds or creates the supporting resources, sends the PUT and (unless <paramref name="noWait"/>) waits for Succeeded.</summary>
    public async Task<AzMLK8sExtension> CreateAsync(PreparedCreate prepared, bool noWait, CancellationToken cancellationToken)
    {
        if (prepared.Outcome == CreateOutcome.AlreadyInstalled || (prepared.Outcome == CreateOutcome.InProgress && noWait))
        {
            return ExtensionMapper.ToModel(prepared.Cluster, prepared.Existing!);
        }

        if (prepared.Outcome == CreateOutcome.InProgress)
        {
            var state = prepared.Existing!.Properties.ProvisioningState!;
            return ExtensionMapper.ToModel(prepared.Cluster, await _connection.Extensions.WaitForProvisioningAsync(prepared.Cluster.ResourceId, prepared.Name, state, cancellationToken).ConfigureAwait(false));
        }

        var plan = prepared.Plan;
        if (plan.PendingResources != SupportingResources.None)
        {
            var resolver = new SupportingResourceResolver(_connection, prepared.Cluster, prepared.Facts.Location, prepared.Facts.ResourceId);
            // A relay hybrid connection or Service Bus the caller named in the settings is the one used.
            var resolved = await resolver.FindOrCreateAsync(plan.PendingResources, plan.ConfigurationSettings, cancellationToken).ConfigureAwait(false);
            plan = _planner.PlanCreate(
                prepared.Request with { ResolvedSettings = resolved.Settings, ResolvedProtectedSettings = resolved.ProtectedSettings },
                prepared.Facts,
                prepared.Options);
        }

        var body = CreateBody(plan);
        ExtensionResource result;
        if (noWait)
        {
            var request = ArmRequest.Put(prepared.ExtensionId, ArmApiVersions.Extensions, body).Describe($"Create extension '{prepared.Name}'", prepared.ExtensionId);
            result = (await _connection.SendAsync(request, cancellationToken).ConfigureAwait(false)).Read<ExtensionResource>() ?? new ExtensionResource();
        }
        else
        {
            result = await _connection.Extensions.CreateOrReplaceAsync(prepared.Cluster.ResourceId, prepared.Name, body, cancellationToken).ConfigureAwait(false);
        }

        return ExtensionMapper.ToModel(prepared.Cluster, Completed(result, prepared.ExtensionId, prepared.Name), plan.ConfigurationProtectedSettings?.Keys.ToArray());
    }

    /// <summary>The AzureML extension of that name; an error when it is missing or another type.</summary>
    public async Task<AzMLK8sExtension> GetAsync(ClusterReference cluster, string name, CancellationToken cancellationToken) =>
        ExtensionMapper.ToModel(cluster, await GetAzureMLResourceAsync(cluster, name, cancellationToken).ConfigureAwait(false));

    /// <summary>Every AzureML extension on the cluster (other extension types are left out).</summary>
    public async Task<IReadOnlyList<AzMLK8sExtension>> ListAsync(ClusterReference cluster, CancellationToken cancellationToken)
    {
        var all = await _connection.Extensions.ListAsync(cluster.ResourceId, cancellationToken).ConfigureAwait(false);
        return all.Where(ExtensionMapper.IsAzureML).Select(e => ExtensionMapper.ToModel(cluster, e)).ToArray();
    }

    /// <summary>
    /// Reads the installed extension and plans the update against it; when the update sends protected settings,
    /// re-reads the Azure-held secrets (relay, Log Analytics) first so none is dropped. Sends nothing that writes.
    /// </summary>
    public async Task<PreparedUpdate> PrepareUpdateAsync(
        ClusterReference cluster,
        string name,
        ExtensionUpdateRequest request,
        ExtensionSettingsOptions options,
        CancellationToken cancellationToken,
        string? releaseNamespace = null)
    {
        ExtensionErrors.CheckName(name);
        CheckUpdateInput(request, options);
        var current = await GetAzureMLResourceAsync(cluster, name, cancellationToken).ConfigureAwait(false);
        var installedNamespace = current.Properties.Scope?.Cluster?.ReleaseNamespace ?? SettingsCatalog.ReleaseNamespace;
        if (releaseNamespace is not null && !string.Equals(releaseNamespace, installedNamespace, StringComparison.Ordinal))
        {
            throw ExtensionErrors.Create(
                ExtensionErrors.ImmutableProperty,
                ErrorKind.InvalidArgument,
                $"Extension '{name}' is installed in namespace '{installedNamespace}'; its type, scope, release namespace, identity and name are fixed when it is created.",
                $"Remove it and create it again: Remove-AzMLK8sExtension -ClusterResourceId '{cluster.ResourceId}' -Name '{name}', then New-AzMLK8sExtension.",
                releaseNamespace);
        }
        if (current.Properties.ProvisioningState is "Creating" or "Updating" or "Deleting")
        {
            throw ExtensionErrors.Create(
                ExtensionErrors.OperationInProgress,
                ErrorKind.ResourceBusy,
                $"Extension '{name}' is {current.Properties.ProvisioningState}; it cannot be updated until that operation ends.",
                $"Wait for it (Test-AzMLK8sExtension -ClusterResourceId '{cluster.ResourceId}' -Name '{name}' -Wait), then run the update again.",
                current.Id);
        }

        var existing = ExtensionMapper.ToExisting(cluster, current);
        var plan = PlanOrNull(request, existing, options);
        var retained = ExtensionSettingsPlanner.RetainedProtectedKeys(existing);
        // cluster_name holds the cluster's id as the tool that created the extension wrote it: the Azure CLI builds it
        // from the names as typed, which its resource names come from too.
        var resolver = new SupportingResourceResolver(
            _connection,
            cluster,
            await LocationAsync(cluster, current, cancellationToken).ConfigureAwait(false),
            existing.ConfigurationSettings.GetValueOrDefault(SettingsCatalog.ClusterName));

        // The update sends protected settings (or turns on something that needs a secret): keep the Azure-held ones.
        var sendsProtected = plan is null || plan.ConfigurationProtectedSettings is not null || plan.PendingResources != SupportingResources.None;
        if (sendsProtected)
        {
            var given = GivenProtectedKeys(request);
            var reread = await resolver.RereadAsync(
                retained.Where(k => !given.Contains(k)).ToArray(),
                existing.ConfigurationSettings,
                cancellationToken).ConfigureAwait(false);
            request = request with { ResolvedProtectedSettings = reread.ProtectedSettings };
            plan = _planner.PlanUpdate(request, existing, options);
        }

        if (plan!.PendingResources != SupportingResources.None)
        {
            var created = await resolver.FindOrCreateAsync(plan.PendingResources, existing.ConfigurationSettings, cancellationToken).ConfigureAwait(false);
            var secrets = new Dictionary<string, string>(request.ResolvedProtectedSettings ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            foreach (var (key, value) in created.ProtectedSettings)
            {
                secrets[key] = value;
            }

            request = request with { ResolvedSettings = created.Settings, ResolvedProtectedSettings = secrets };
            plan = _planner.PlanUpdate(request, existing, options);
        }

        return new PreparedUpdate(cluster, name, plan) { Current = current };
    }

    /// <summary>Sends the PATCH and (unless <paramref name="noWait"/>) waits. An update without changes sends nothing.</summary>
    public async Task<AzMLK8sExtension> UpdateAsync(PreparedUpdate prepared, bool noWait, CancellationToken cancellationToken)
    {
        if (!prepared.Plan.HasChanges)
        {
            return ExtensionMapper.ToModel(prepared.Cluster, prepared.Current);
        }

        var patch = PatchBody(prepared.Plan);
        ExtensionResource result;
        if (noWait)
        {
            var request = ArmRequest.Patch(prepared.ExtensionId, ArmApiVersions.Extensions, patch).Describe($"Update extension '{prepared.Name}'", prepared.ExtensionId);
            result = (await _connection.SendAsync(request, cancellationToken).ConfigureAwait(false)).Read<ExtensionResource>() ?? new ExtensionResource();
        }
        else
        {
            result = await _connection.Extensions.UpdateAsync(prepared.Cluster.ResourceId, prepared.Name, patch, cancellationToken).ConfigureAwait(false);
        }

        var protectedKeys = prepared.Plan.ConfigurationProtectedSettings?.Keys.ToArray()
            ?? ExtensionSettingsPlanner.RetainedProtectedKeys(ExtensionMapper.ToExisting(prepared.Cluster, prepared.Current)).ToArray();
        return ExtensionMapper.ToModel(prepared.Cluster, Completed(result, prepared.ExtensionId, prepared.Name), protectedKeys);
    }

    /// <summary>
    /// Deletes the extension and (unless <paramref name="noWait"/>) waits until it is gone. <paramref name="force"/>
    /// removes the Azure resource without cleaning up the cluster. False when there was nothing to delete.
    /// </summary>
    /// <summary>
    /// The AzureML extension a removal would remove: null when the cluster has no extension of that name (nothing to
    /// do), an error when the cluster itself does not exist (a wrong id is not "already removed") or the extension is
    /// not AzureML's.
    /// </summary>
    public async Task<ExtensionResource?> FindForRemovalAsync(ClusterReference cluster, string name, CancellationToken cancellationToken)
    {
        ExtensionErrors.CheckName(name);
        var current = await _connection.Extensions.GetAsync(cluster.ResourceId, name, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            await ReadClusterFactsAsync(cluster, cancellationToken).ConfigureAwait(false);
            return null;
        }

        return ExtensionMapper.IsAzureML(current) ? current : throw ExtensionMapper.NotAzureMLError(current);
    }

    public async Task<bool> RemoveAsync(ClusterReference cluster, string name, bool force, bool noWait, CancellationToken cancellationToken)
    {
        if (await FindForRemovalAsync(cluster, name, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        return await DeleteAsync(cluster, name, force, noWait, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes an extension <see cref="FindForRemovalAsync"/> found; false when it was gone meanwhile.</summary>
    public async Task<bool> DeleteAsync(ClusterReference cluster, string name, bool force, bool noWait, CancellationToken cancellationToken)
    {

        if (noWait)
        {
            var id = Azure.Resources.ExtensionOperations.ExtensionId(cluster.ResourceId, name);
            var request = ArmRequest.Delete(id, ArmApiVersions.Extensions).Describe($"Delete extension '{name}'", id);
            await _connection.SendAsync(force ? request.WithQuery("forceDelete", "true") : request, cancellationToken).ConfigureAwait(false);
            return true;
        }

        return await _connection.Extensions.DeleteAsync(cluster.ResourceId, name, force, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The AzureML extension resource, or ObjectNotFound / NotAzureML with the next step.</summary>
    public async Task<ExtensionResource> GetAzureMLResourceAsync(ClusterReference cluster, string name, CancellationToken cancellationToken)
    {
        ExtensionErrors.CheckName(name);
        var extension = await _connection.Extensions.GetAsync(cluster.ResourceId, name, cancellationToken).ConfigureAwait(false)
            ?? throw ExtensionErrors.Create(
                ExtensionErrors.NotFound,
                ErrorKind.ObjectNotFound,
                $"Cluster '{cluster.Name}' has no extension named '{name}'.",
                $"List the cluster's AzureML extensions with Get-AzMLK8sExtension -ClusterResourceId '{cluster.ResourceId}', or install one with New-AzMLK8sExtension.",
                Azure.Resources.ExtensionOperations.ExtensionId(cluster.ResourceId, name));
        return ExtensionMapper.IsAzureML(extension) ? extension : throw ExtensionMapper.NotAzureMLError(extension);
    }

    /// <summary>The cluster's facts from its ARM resource; a missing cluster is an error that names it.</summary>
    public async Task<ClusterFacts> ReadClusterFactsAsync(ClusterReference cluster, CancellationToken cancellationToken)
    {
        var resource = await _connection.Clusters.GetAsync(cluster.ResourceId, cancellationToken).ConfigureAwait(false)
            ?? throw ExtensionErrors.Create(
                ExtensionErrors.ClusterNotFound,
                ErrorKind.ObjectNotFound,
                $"The {(cluster.Type == AzMLK8sClusterType.Aks ? "AKS" : "Azure Arc")} cluster '{cluster.Name}' was not found in resource group '{cluster.ResourceGroupName}' of subscription '{cluster.SubscriptionId}'.",
                "Check -ClusterName, -ResourceGroupName and -ClusterType (or the resource id), and that the context's subscription is the cluster's (Get-AzMLK8sContext).",
                cluster.ResourceId);
        return ExtensionMapper.ToClusterFacts(cluster, resource);
    }

    /// <summary>The update's key and value rules, checked before anything is read from Azure.</summary>
    public static void CheckUpdateInput(ExtensionUpdateRequest request, ExtensionSettingsOptions options)
    {
        SettingsInputReader.Read(request.ConfigurationSettings, request.ConfigurationProtectedSettings, options.AllowUnknownSetting, allowRemovals: true);
        VersionRules.ForUpdate(request.Version, request.AutoUpgradeMinorVersion);
        VersionRules.CanonicalReleaseTrain(request.ReleaseTrain);
    }

    private ExtensionSettingsPlan? PlanOrNull(ExtensionUpdateRequest request, ExistingExtension existing, ExtensionSettingsOptions options)
    {
        try
        {
            return _planner.PlanUpdate(request, existing, options);
        }
        catch (ModuleErrorException ex) when (ex.Error.ErrorId == SettingErrors.ProtectedSettingsIncomplete)
        {
            // Some of the missing secrets may be re-read from Azure; the second plan decides.
            return null;
        }
    }

    private static HashSet<string> GivenProtectedKeys(ExtensionUpdateRequest request)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in request.ConfigurationProtectedSettings?.Keys.OfType<string>() ?? Enumerable.Empty<string>())
        {
            keys.Add(SettingsCatalog.Find(key)?.WireKey ?? key);
        }

        return keys;
    }

    private async Task<string> LocationAsync(ClusterReference cluster, ExtensionResource current, CancellationToken cancellationToken)
    {
        if (current.Properties.ConfigurationSettings?.GetValueOrDefault(SettingsCatalog.Location) is { Length: > 0 } location)
        {
            return location;
        }

        return (await ReadClusterFactsAsync(cluster, cancellationToken).ConfigureAwait(false)).Location;
    }

    private static CreateOutcome CompareWithExisting(ClusterReference cluster, string name, ExtensionSettingsPlan plan, ExtensionResource existing)
    {
        if (!ExtensionMapper.IsAzureML(existing))
        {
            throw ExtensionMapper.NotAzureMLError(existing);
        }

        var differences = Differences(cluster, plan, existing);
        if (differences.Count > 0)
        {
            throw ExtensionErrors.Create(
                ExtensionErrors.AlreadyExists,
                ErrorKind.ResourceExists,
                $"Cluster '{cluster.Name}' already has the AzureML extension '{name}' with other settings ({string.Join("; ", differences.Take(5))}" +
                (differences.Count > 5 ? $"; and {differences.Count - 5} more" : string.Empty) + ").",
                $"Change it with Update-AzMLK8sExtension -ClusterResourceId '{cluster.ResourceId}' -Name '{name}' (add -WhatIf to see the changes first), " +
                "or remove it first with Remove-AzMLK8sExtension.",
                existing.Id);
        }

        return existing.Properties.ProvisioningState switch
        {
            "Succeeded" => CreateOutcome.AlreadyInstalled,
            "Creating" or "Updating" => CreateOutcome.InProgress,
            "Deleting" => throw ExtensionErrors.Create(
                ExtensionErrors.OperationInProgress,
                ErrorKind.ResourceBusy,
                $"Extension '{name}' on cluster '{cluster.Name}' is being deleted; it cannot be installed again until the delete ends.",
                $"Wait until Get-AzMLK8sExtension -ClusterResourceId '{cluster.ResourceId}' -Name '{name}' finds no extension, then run the command again.",
                existing.Id),
            _ => CreateOutcome.RetryFailed,
        };
    }

    /// <summary>Where the installed extension differs from what the create asks for (public values and key names only).</summary>
    private static IReadOnlyList<string> Differences(ClusterReference cluster, ExtensionSettingsPlan plan, ExtensionResource existing)
    {
        var current = existing.Properties.ConfigurationSettings ?? new Dictionary<string, string>();
        var differences = new List<string>();
        foreach (var (key, value) in plan.ConfigurationSettings)
        {
            var definition = SettingsCatalog.Find(key);
            if (!SettingValues.Equivalent(definition, current.GetValueOrDefault(key), value))
            {
                differences.Add($"{key}: '{current.GetValueOrDefault(key) ?? "(not set)"}' installed, '{value}' asked");
            }
        }

        foreach (var key in current.Keys.Where(k => !plan.ConfigurationSettings.ContainsKey(k)))
        {
            if (SettingsCatalog.Find(key) is not { IsGenerated: true })
            {
                differences.Add($"{key}: '{current[key]}' installed, not asked");
            }
        }

        var retained = ExtensionSettingsPlanner.RetainedProtectedKeys(ExtensionMapper.ToExisting(cluster, existing));
        foreach (var key in plan.ConfigurationProtectedSettings?.Keys ?? Enumerable.Empty<string>())
        {
            if (!retained.Contains(key, StringComparer.Ordinal))
            {
                differences.Add($"protected {key}: not installed, asked");
            }
        }

        if (plan.Version is not null && !string.Equals(plan.Version, existing.Properties.Version ?? existing.Properties.CurrentVersion, StringComparison.OrdinalIgnoreCase))
        {
            differences.Add($"version: '{existing.Properties.Version ?? existing.Properties.CurrentVersion}' installed, '{plan.Version}' asked");
        }

        if (plan.AutoUpgradeMinorVersion is { } auto && existing.Properties.AutoUpgradeMinorVersion is { } installed && auto != installed)
        {
            differences.Add($"autoUpgradeMinorVersion: {installed} installed, {auto} asked");
        }

        if (plan.ReleaseTrain is not null && existing.Properties.ReleaseTrain is { } train && !string.Equals(plan.ReleaseTrain, train, StringComparison.OrdinalIgnoreCase))
        {
            differences.Add($"releaseTrain: '{train}' installed, '{plan.ReleaseTrain}' asked");
        }

        return differences;
    }

    private static ClusterFacts FactsWithoutAzure(ClusterReference cluster) =>
        new(cluster.ResourceId, cluster.Type == AzMLK8sClusterType.Aks ? ClusterKind.Aks : ClusterKind.Arc, cluster.Name, "eastus");

    private static ExtensionResource CreateBody(ExtensionSettingsPlan plan) => new()
    {
        Identity = plan.IdentityType is null ? null : new ArmIdentity { Type = plan.IdentityType },
        Properties = new ExtensionProperties
        {
            ExtensionType = plan.ExtensionType,
            AutoUpgradeMinorVersion = plan.AutoUpgradeMinorVersion,
            ReleaseTrain = plan.ReleaseTrain,
            Version = plan.Version,
            Scope = new ExtensionScope { Cluster = new ExtensionClusterScope { ReleaseNamespace = plan.ReleaseNamespace ?? SettingsCatalog.ReleaseNamespace } },
            ConfigurationSettings = new Dictionary<string, string>(plan.ConfigurationSettings, StringComparer.Ordinal),
            ConfigurationProtectedSettings = plan.ConfigurationProtectedSettings is { Count: > 0 } secrets
                ? secrets.ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal)
                : null,
        },
    };

    private static ExtensionPatch PatchBody(ExtensionSettingsPlan plan)
    {
        Dictionary<string, string>? settings = null;
        if (plan.ConfigurationSettings.Count > 0 || plan.RemovedConfigurationSettings.Count > 0)
        {
            settings = new Dictionary<string, string>(plan.ConfigurationSettings, StringComparer.Ordinal);
            foreach (var key in plan.RemovedConfigurationSettings)
            {
                settings[key] = null!;
            }
        }

        return new ExtensionPatch
        {
            Properties = new ExtensionPatchProperties
            {
                AutoUpgradeMinorVersion = plan.AutoUpgradeMinorVersion,
                ReleaseTrain = plan.ReleaseTrain,
                Version = plan.Version,
                ConfigurationSettings = settings,
                ConfigurationProtectedSettings = plan.ConfigurationProtectedSettings?.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            },
        };
    }

    // A 201/200 body without id or name (some proxies strip it) still maps to the extension that was written.
    private static ExtensionResource Completed(ExtensionResource result, string id, string name)
    {
        result.Id ??= id;
        result.Name ??= name;
        return result;
    }
}
