using System.Globalization;
using System.Text.Json.Nodes;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Emulator.Arm;

/// <summary>Microsoft.KubernetesConfiguration/extensions, as the 2023-05-01..2025-03-01 specs describe them.</summary>
public static class ExtensionRoutes
{
    private const string Collection = ArmRouter.ClusterPath + "/providers/Microsoft\\.KubernetesConfiguration/extensions";
    private const string Instance = Collection + "/(?<ext>[^/]+)";

    public static void Map(ArmRouter router)
    {
        router.Add("OperationStatus_Get", "GET", Instance + "/operations/(?<op>[^/]+)$", GetOperation);
        router.Add("Extensions_List", "GET", Collection + "$", List);
        router.Add("Extensions_Get", "GET", Instance + "$", Get);
        router.Add("Extensions_Create", "PUT", Instance + "$", Create);
        router.Add("Extensions_Update", "PATCH", Instance + "$", Update);
        router.Add("Extensions_Delete", "DELETE", Instance + "$", Delete);
    }

    private static ArmResult List(ArmCall call)
    {
        if (Cluster(call) is not { } cluster)
        {
            return ClusterNotFound(call);
        }

        var items = call.State.Extensions.Values
            .Where(e => e.Cluster == cluster)
            .OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
            .Select(e => (JsonNode)ToJson(e, call.State.Options));
        return ArmResult.Ok(new JsonObject { ["value"] = new JsonArray(items.ToArray()) });
    }

    private static ArmResult Get(ArmCall call)
    {
        if (Cluster(call) is null)
        {
            return ClusterNotFound(call);
        }

        return Find(call) is { } extension
            ? ArmResult.Ok(ToJson(extension, call.State.Options))
            : ArmResult.NotFound("Microsoft.KubernetesConfiguration/extensions", call["ext"], call["rg"]);
    }

    private static ArmResult Create(ArmCall call)
    {
        if (Cluster(call) is not { } cluster)
        {
            return ClusterNotFound(call);
        }

        var properties = call.Body?["properties"] as JsonObject;
        var extensionType = properties?["extensionType"]?.GetValue<string>();
        if (string.IsNullOrEmpty(extensionType))
        {
            return ArmResult.Error(400, "InvalidRequestContent", "The request content is missing 'properties.extensionType'.", "properties.extensionType");
        }

        var autoUpgrade = properties!["autoUpgradeMinorVersion"]?.GetValue<bool>() ?? true;
        var version = properties["version"]?.GetValue<string>();
        if (VersionConflict(autoUpgrade, version) is { } invalid)
        {
            return invalid;
        }

        var existing = Find(call);
        var id = existing?.Id ?? new EmulatedExtension(cluster, call["ext"]).Id;
        if (call.State.Operations.RunningOn(id) is not null)
        {
            return Busy(id);
        }

        if (existing is not null && !string.Equals(existing.ExtensionType, extensionType, StringComparison.OrdinalIgnoreCase))
        {
            return ArmResult.Error(400, "InvalidRequestParameter", "The extensionType of an existing extension cannot be changed.", "properties.extensionType");
        }

        var extension = existing ?? new EmulatedExtension(cluster, call["ext"]);
        extension.ExtensionType = extensionType;
        extension.AutoUpgradeMinorVersion = autoUpgrade;
        extension.ReleaseTrain = properties["releaseTrain"]?.GetValue<string>() ?? "Stable";
        extension.Version = version;
        extension.ReleaseNamespace = properties["scope"]?["cluster"]?["releaseNamespace"]?.GetValue<string>()
            ?? properties["scope"]?["namespace"]?["targetNamespace"]?.GetValue<string>()
            ?? call["ext"];
        extension.ConfigurationSettings = ReadMap(properties["configurationSettings"]);
        extension.ConfigurationProtectedSettings = ReadMap(properties["configurationProtectedSettings"]);
        extension.Identity = existing?.Identity ?? AssignIdentity(call, call.Body?["identity"] as JsonObject);
        extension.ProvisioningState = existing is null ? "Creating" : "Updating";
        call.State.Extensions[extension.Id] = extension;

        var operation = StartInstall(call, extension);
        return new ArmResult(existing is null ? 201 : 200, ToJson(extension, call.State.Options))
            .WithHeader("Azure-AsyncOperation", OperationUrl(call, extension, operation))
            .WithHeader("x-ms-async-operation-timeout", "PT48H")
            .WithHeader("Retry-After", RetryAfter(call));
    }

    private static ArmResult Update(ArmCall call)
    {
        if (Cluster(call) is null)
        {
            return ClusterNotFound(call);
        }

        if (Find(call) is not { } extension)
        {
            return ArmResult.NotFound("Microsoft.KubernetesConfiguration/extensions", call["ext"], call["rg"]);
        }

        if (call.State.Operations.RunningOn(extension.Id) is not null)
        {
            return Busy(extension.Id);
        }

        var properties = call.Body?["properties"] as JsonObject ?? new JsonObject();
        if (call.Body?["identity"] is not null)
        {
            return ArmResult.Error(400, "InvalidRequestParameter", "The identity of an extension cannot be changed with PATCH.", "identity");
        }

        var autoUpgrade = properties["autoUpgradeMinorVersion"]?.GetValue<bool>() ?? extension.AutoUpgradeMinorVersion;
        var version = properties.ContainsKey("version") ? properties["version"]?.GetValue<string>() : extension.Version;
        if (VersionConflict(autoUpgrade, version) is { } invalid)
        {
            return invalid;
        }

        var settings = new Dictionary<string, string>(extension.ConfigurationSettings, StringComparer.Ordinal);
        foreach (var (key, value) in ReadMap(properties["configurationSettings"]))
        {
            settings[key] = value;
        }

        var protectedSettings = properties["configurationProtectedSettings"] is JsonObject replacement ? ReadMap(replacement) : extension.ConfigurationProtectedSettings;
        var releaseTrain = properties["releaseTrain"]?.GetValue<string>() ?? extension.ReleaseTrain;
        var unchanged = autoUpgrade == extension.AutoUpgradeMinorVersion
            && version == extension.Version
            && string.Equals(releaseTrain, extension.ReleaseTrain, StringComparison.OrdinalIgnoreCase)
            && SameMap(settings, extension.ConfigurationSettings)
            && SameMap(protectedSettings, extension.ConfigurationProtectedSettings)
            && extension.ProvisioningState == "Succeeded";
        if (unchanged)
        {
            return ArmResult.Ok(ToJson(extension, call.State.Options));
        }

        extension.AutoUpgradeMinorVersion = autoUpgrade;
        extension.Version = version;
        extension.ReleaseTrain = releaseTrain;
        extension.ConfigurationSettings = settings;
        extension.ConfigurationProtectedSettings = protectedSettings;
        extension.ProvisioningState = "Updating";
        var operation = StartInstall(call, extension);
        return new ArmResult(202, ToJson(extension, call.State.Options))
            .WithHeader("Azure-AsyncOperation", OperationUrl(call, extension, operation))
            .WithHeader("x-ms-async-operation-timeout", "PT48H")
            .WithHeader("Retry-After", RetryAfter(call));
    }

    private static ArmResult Delete(ArmCall call)
    {
        if (Cluster(call) is null)
        {
            return ClusterNotFound(call);
        }

        if (Find(call) is not { } extension)
        {
            return new ArmResult(204, null);
        }

        if (string.Equals(call.Query("forceDelete"), "true", StringComparison.OrdinalIgnoreCase))
        {
            call.State.Extensions.Remove(extension.Id);
            return ArmResult.Ok(new JsonObject());
        }

        if (call.State.Operations.RunningOn(extension.Id) is not null)
        {
            return Busy(extension.Id);
        }

        extension.ProvisioningState = "Deleting";
        var state = call.State;
        var operation = state.Operations.Start(extension.Id, state.Options.OperationDuration, call.Now, () =>
        {
            AzureMLChart.Uninstall(extension);
            state.Extensions.Remove(extension.Id);
            return null;
        });
        return new ArmResult(202, null)
            .WithHeader("Azure-AsyncOperation", OperationUrl(call, extension, operation))
            .WithHeader("Retry-After", RetryAfter(call));
    }

    private static ArmResult GetOperation(ArmCall call)
    {
        var operation = call.State.Operations.Find(call["op"]);
        var extensionId = call.Path[..call.Path.LastIndexOf("/operations/", StringComparison.OrdinalIgnoreCase)];
        if (operation is null || !string.Equals(operation.ResourceId, extensionId, StringComparison.OrdinalIgnoreCase))
        {
            return ArmResult.Error(404, "ResourceNotFound", $"The operation '{call["op"]}' was not found.");
        }

        var body = new JsonObject
        {
            ["id"] = $"{extensionId}/operations/{operation.Id}",
            ["name"] = operation.Id,
            ["status"] = operation.Status,
            ["properties"] = new JsonObject(),
            ["error"] = operation.Error?.DeepClone(),
        };
        var result = ArmResult.Ok(body);
        return operation.IsRunning ? result.WithHeader("Retry-After", RetryAfter(call)) : result;
    }

    /// <summary>Runs the chart: Succeeded with the workloads installed, or Failed with the health check's findings.</summary>
    private static LongRunningOperation StartInstall(ArmCall call, EmulatedExtension extension)
    {
        var state = call.State;
        return state.Operations.Start(extension.Id, state.Options.OperationDuration, call.Now, () =>
        {
            var now = state.Clock().ToString("o", CultureInfo.InvariantCulture);
            var failures = extension.IsAzureML ? AzureMLChart.HealthCheckFailures(extension) : Array.Empty<(string, string)>();
            if (failures.Count == 0)
            {
                extension.ProvisioningState = "Succeeded";
                extension.ErrorInfo = null;
                extension.CurrentVersion = extension.Version ?? "1.1.64";
                extension.Statuses = new JsonArray();
                if (extension.IsAzureML)
                {
                    AzureMLChart.Install(extension);
                }

                return null;
            }

            var details = new JsonArray(failures.Select(f => (JsonNode)ArmResult.ErrorDetail(f.Code, f.Message)).ToArray());
            var error = ArmResult.ErrorDetail(
                "ExtensionOperationFailed",
                $"The extension operation failed with the following error: Error: {{failed to install chart: the health check of release '{extension.Name}' failed}}.",
                details: details);
            extension.ProvisioningState = "Failed";
            extension.ErrorInfo = (JsonObject)error.DeepClone();
            extension.Statuses = new JsonArray(failures.Select(f => (JsonNode)new JsonObject
            {
                ["code"] = f.Code,
                ["displayStatus"] = "Failed",
                ["level"] = "Error",
                ["message"] = f.Message,
                ["time"] = now,
            }).ToArray());
            return error;
        });
    }

    /// <summary>The resource as GET returns it: protected values never, keys only when the switch says so.</summary>
    public static JsonObject ToJson(EmulatedExtension extension, EmulatorOptions options)
    {
        var settings = new JsonObject();
        foreach (var (key, value) in extension.ConfigurationSettings)
        {
            settings[key] = value;
        }

        JsonObject? protectedSettings = null;
        if (options.ProtectedSettingsResponse == ProtectedSettingsResponse.KeysOnly)
        {
            protectedSettings = new JsonObject();
            foreach (var key in extension.ConfigurationProtectedSettings.Keys)
            {
                protectedSettings[key] = null;
            }
        }

        return new JsonObject
        {
            ["id"] = extension.Id,
            ["name"] = extension.Name,
            ["type"] = "Microsoft.KubernetesConfiguration/extensions",
            ["identity"] = extension.Identity?.DeepClone(),
            ["properties"] = new JsonObject
            {
                ["extensionType"] = extension.ExtensionType,
                ["autoUpgradeMinorVersion"] = extension.AutoUpgradeMinorVersion,
                ["releaseTrain"] = extension.ReleaseTrain,
                ["version"] = extension.Version,
                ["scope"] = new JsonObject { ["cluster"] = new JsonObject { ["releaseNamespace"] = extension.ReleaseNamespace } },
                ["configurationSettings"] = settings,
                ["configurationProtectedSettings"] = protectedSettings,
                ["provisioningState"] = extension.ProvisioningState,
                ["currentVersion"] = extension.CurrentVersion,
                ["statuses"] = extension.Statuses.DeepClone(),
                ["errorInfo"] = extension.ErrorInfo?.DeepClone(),
                ["isSystemExtension"] = false,
            },
        };
    }

    private static JsonObject? AssignIdentity(ArmCall call, JsonObject? requested)
    {
        // AKS extensions get no identity of their own; Arc extensions get a system-assigned one (as az CLI asks).
        var type = requested?["type"]?.GetValue<string>();
        if (type is null || string.Equals(type, "None", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var principalId = Guid.NewGuid().ToString();
        call.State.Directory.Register(principalId, call.Now + call.State.Options.PrincipalReplicationDelay);
        var identity = (JsonObject)requested!.DeepClone();
        identity["principalId"] = principalId;
        identity["tenantId"] = EmulatorState.DefaultTenantId;
        return identity;
    }

    private static ArmResult? VersionConflict(bool autoUpgrade, string? version) =>
        autoUpgrade && !string.IsNullOrEmpty(version)
            ? ArmResult.Error(400, "InvalidRequestParameter", "To use 'version', autoUpgradeMinorVersion must be 'false'.", "properties.version")
            : null;

    private static ArmResult Busy(string id) =>
        ArmResult.Error(409, "AnotherOperationInProgress", $"Another operation is in progress on '{id}'. Wait for it to finish and try again.");

    private static string OperationUrl(ArmCall call, EmulatedExtension extension, LongRunningOperation operation) =>
        call.Url($"{extension.Id}/operations/{operation.Id}");

    private static string? RetryAfter(ArmCall call) =>
        call.State.Options.OperationRetryAfterSeconds?.ToString(CultureInfo.InvariantCulture);

    private static EmulatedCluster? Cluster(ArmCall call) => call.State.FindCluster(call["sub"], call["rg"], call["cluster"]) is { } cluster
        && string.Equals(cluster.Provider, call["rp"], StringComparison.OrdinalIgnoreCase)
        && string.Equals(cluster.ResourceType, call["ct"], StringComparison.OrdinalIgnoreCase)
            ? cluster
            : null;

    private static ArmResult ClusterNotFound(ArmCall call) =>
        ArmResult.Error(404, "ParentResourceNotFound", $"Can not perform requested operation on nested resource. Parent resource '{call["cluster"]}' not found.");

    private static EmulatedExtension? Find(ArmCall call) =>
        Cluster(call) is { } cluster && call.State.Extensions.TryGetValue(new EmulatedExtension(cluster, call["ext"]).Id, out var extension) ? extension : null;

    private static Dictionary<string, string> ReadMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject values)
        {
            foreach (var (key, value) in values)
            {
                map[key] = value?.ToString() ?? string.Empty;
            }
        }

        return map;
    }

    private static bool SameMap(Dictionary<string, string> left, Dictionary<string, string> right) =>
        left.Count == right.Count && left.All(pair => right.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
