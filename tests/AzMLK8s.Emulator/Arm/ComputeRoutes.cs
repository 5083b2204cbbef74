using System.Globalization;
using System.Text.Json.Nodes;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Emulator.Arm;

/// <summary>Microsoft.MachineLearningServices/workspaces/computes of type Kubernetes (attach and detach).</summary>
public static class ComputeRoutes
{
    private const string Workspace = ArmRouter.ResourceGroupPrefix + "Microsoft\\.MachineLearningServices/workspaces/(?<ws>[^/]+)";
    private const string Instance = Workspace + "/computes/(?<compute>[^/]+)$";

    public static void Map(ArmRouter router)
    {
        router.Add("ComputeOperationsStatus_Get", "GET", ArmRouter.SubscriptionPrefix + "/providers/Microsoft\\.MachineLearningServices/locations/(?<loc>[^/]+)/computeOperationsStatus/(?<op>[^/]+)$", GetOperation);
        router.Add("Compute_List", "GET", Workspace + "/computes$", List);
        router.Add("Compute_Get", "GET", Instance, Get);
        router.Add("Compute_CreateOrUpdate", "PUT", Instance, CreateOrUpdate);
        router.Add("Compute_Delete", "DELETE", Instance, Delete);
    }

    private static ArmResult List(ArmCall call) =>
        WorkspaceOf(call) is { } workspace
            ? ArmResult.Ok(new JsonObject { ["value"] = new JsonArray(call.State.Resources.Children(workspace["id"]!.GetValue<string>(), "computes").Select(c => (JsonNode)c).ToArray()) })
            : WorkspaceNotFound(call);

    private static ArmResult Get(ArmCall call)
    {
        if (WorkspaceOf(call) is null)
        {
            return WorkspaceNotFound(call);
        }

        return call.State.Resources.Get(ComputeId(call)) is { } compute
            ? ArmResult.Ok(compute)
            : ArmResult.NotFound("Microsoft.MachineLearningServices/workspaces/computes", $"{call["ws"]}/{call["compute"]}", call["rg"]);
    }

    private static ArmResult CreateOrUpdate(ArmCall call)
    {
        if (WorkspaceOf(call) is not { } workspace)
        {
            return WorkspaceNotFound(call);
        }

        var id = ComputeId(call);
        if (call.State.Operations.RunningOn(id) is not null)
        {
            return ArmResult.Error(409, "Conflict", $"An operation on compute '{call["compute"]}' is in progress.");
        }

        var properties = call.Body?["properties"] as JsonObject;
        if (!string.Equals(properties?["computeType"]?.GetValue<string>(), "Kubernetes", StringComparison.OrdinalIgnoreCase))
        {
            return ArmResult.Error(400, "BadRequest", "The emulator attaches computes of computeType 'Kubernetes' only.", "properties.computeType");
        }

        var clusterId = properties!["resourceId"]?.GetValue<string>();
        if (string.IsNullOrEmpty(clusterId))
        {
            return ArmResult.Error(400, "BadRequest", "properties.resourceId (the cluster's ARM id) is required to attach a Kubernetes compute.", "properties.resourceId");
        }

        var existed = call.State.Resources.Exists(id);
        var location = workspace["location"]?.GetValue<string>() ?? EmulatorState.DefaultLocation;
        var identity = AssignIdentity(call, call.Body?["identity"] as JsonObject);
        var now = call.Now.ToString("o", CultureInfo.InvariantCulture);
        var stored = (JsonObject)properties.DeepClone();
        stored["provisioningState"] = "Creating";
        stored["isAttachedCompute"] = true;
        stored["computeLocation"] = location;
        stored["createdOn"] = now;
        stored["modifiedOn"] = now;
        stored["provisioningErrors"] = null;
        var kubernetes = stored["properties"] as JsonObject ?? new JsonObject();
        kubernetes["namespace"] ??= "default";
        // Secrets (x-ms-secret) are accepted and never returned.
        kubernetes["relayConnectionString"] = null;
        kubernetes["serviceBusConnectionString"] = null;
        stored["properties"] = kubernetes;
        var compute = new JsonObject
        {
            ["id"] = id,
            ["name"] = call["compute"],
            ["type"] = "Microsoft.MachineLearningServices/workspaces/computes",
            ["location"] = location,
            ["identity"] = identity,
            ["properties"] = stored,
        };
        call.State.Resources.Put(id, compute);

        var state = call.State;
        var operation = state.Operations.Start(id, state.Options.OperationDuration, call.Now, () => FinishAttach(state, id, clusterId));
        return new ArmResult(existed ? 200 : 201, compute)
            .WithHeader("Azure-AsyncOperation", OperationUrl(call, location, operation))
            .WithHeader("Retry-After", state.Options.OperationRetryAfterSeconds?.ToString(CultureInfo.InvariantCulture));
    }

    private static ArmResult Delete(ArmCall call)
    {
        var action = call.Query("underlyingResourceAction");
        if (!string.Equals(action, "Delete", StringComparison.OrdinalIgnoreCase) && !string.Equals(action, "Detach", StringComparison.OrdinalIgnoreCase))
        {
            return ArmResult.Error(400, "BadRequest",
                action is null
                    ? "The query parameter 'underlyingResourceAction' is required: 'Delete' or 'Detach'."
                    : $"'{action}' is not a valid underlyingResourceAction: use 'Delete' or 'Detach'.",
                "underlyingResourceAction");
        }

        if (WorkspaceOf(call) is not { } workspace)
        {
            return WorkspaceNotFound(call);
        }

        var id = ComputeId(call);
        if (!call.State.Resources.Exists(id))
        {
            return new ArmResult(204, null);
        }

        if (call.State.Operations.RunningOn(id) is not null)
        {
            return ArmResult.Error(409, "Conflict", $"An operation on compute '{call["compute"]}' is in progress.");
        }

        var state = call.State;
        var operation = state.Operations.Start(id, state.Options.OperationDuration, call.Now, () =>
        {
            state.Resources.Remove(id);
            return null;
        });
        var url = OperationUrl(call, workspace["location"]?.GetValue<string>() ?? EmulatorState.DefaultLocation, operation);
        return new ArmResult(202, null)
            .WithHeader("Azure-AsyncOperation", url)
            .WithHeader("Location", url)
            .WithHeader("Retry-After", state.Options.OperationRetryAfterSeconds?.ToString(CultureInfo.InvariantCulture));
    }

    private static ArmResult GetOperation(ArmCall call)
    {
        if (call.State.Operations.Find(call["op"]) is not { } operation)
        {
            return ArmResult.Error(404, "ResourceNotFound", $"The operation '{call["op"]}' was not found.");
        }

        var body = new JsonObject { ["name"] = operation.Id, ["status"] = operation.Status, ["error"] = operation.Error?.DeepClone() };
        var result = ArmResult.Ok(body);
        return operation.IsRunning && call.State.Options.OperationRetryAfterSeconds is { } seconds
            ? result.WithHeader("Retry-After", seconds.ToString(CultureInfo.InvariantCulture))
            : result;
    }

    /// <summary>Attach succeeds when the cluster runs the AzureML extension successfully; else Failed with a provisioning error.</summary>
    private static JsonObject? FinishAttach(EmulatorState state, string computeId, string clusterId)
    {
        var compute = state.Resources.Get(computeId);
        if (compute is null)
        {
            return null;
        }

        var cluster = state.FindCluster(clusterId);
        var hasExtension = cluster is not null && state.Extensions.Values.Any(e => e.Cluster == cluster && e.IsAzureML && e.ProvisioningState == "Succeeded");
        var properties = (JsonObject)compute["properties"]!;
        JsonObject? error = null;
        if (cluster is null)
        {
            error = ArmResult.ErrorDetail("ResourceNotFound", $"The cluster '{clusterId}' was not found.");
        }
        else if (!hasExtension || !WorkspaceIdentityMay(state, computeId, clusterId, "Microsoft.KubernetesConfiguration/extensions/read"))
        {
            error = ArmResult.ErrorDetail("BadRequest", $"The AzureML extension is not installed on cluster '{cluster.Name}' (extension not installed). Install Microsoft.AzureML.Kubernetes and attach again.");
        }
        else if (cluster.Kind == ClusterKind.Managed && !WorkspaceIdentityMay(state, computeId, clusterId, "Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action"))
        {
            error = ArmResult.ErrorDetail("InternalServerError", "The request failed with an internal server error. Please try again later.");
        }

        properties["provisioningState"] = error is null ? "Succeeded" : "Failed";
        properties["provisioningErrors"] = error is null ? null : new JsonArray(new JsonObject { ["error"] = error.DeepClone() });
        state.Resources.Put(computeId, compute);
        return error;
    }

    /// <summary>
    /// A workspace running as a user-assigned identity acts on the cluster as that identity, which Azure ML grants
    /// nothing: without the roles the attach fails late, with the service's unhelpful messages.
    /// </summary>
    private static bool WorkspaceIdentityMay(EmulatorState state, string computeId, string clusterId, string operation)
    {
        var workspace = state.Resources.Get(computeId[..computeId.LastIndexOf("/computes/", StringComparison.OrdinalIgnoreCase)]);
        var identity = workspace?["identity"] as JsonObject;
        var type = identity?["type"]?.GetValue<string>() ?? string.Empty;
        if (!type.Contains("UserAssigned", StringComparison.OrdinalIgnoreCase) || type.Contains("SystemAssigned", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var principals = (identity!["userAssignedIdentities"] as JsonObject)?.Select(i => i.Value?["principalId"]?.GetValue<string>()).OfType<string>() ?? Enumerable.Empty<string>();
        return principals.Any(p => RoleBasedAccess.Permits(state, p, clusterId, operation));
    }

    private static JsonObject? AssignIdentity(ArmCall call, JsonObject? requested)
    {
        var type = requested?["type"]?.GetValue<string>();
        if (type is null || string.Equals(type, "None", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var identity = new JsonObject { ["type"] = type };
        if (type.Contains("SystemAssigned", StringComparison.OrdinalIgnoreCase))
        {
            var principalId = Guid.NewGuid().ToString();
            call.State.Directory.Register(principalId, call.Now + call.State.Options.PrincipalReplicationDelay);
            identity["principalId"] = principalId;
            identity["tenantId"] = EmulatorState.DefaultTenantId;
        }

        if (requested!["userAssignedIdentities"] is JsonObject userAssigned)
        {
            var resolved = new JsonObject();
            foreach (var (identityId, _) in userAssigned)
            {
                var known = call.State.Resources.Get(identityId)?["properties"];
                resolved[identityId] = new JsonObject
                {
                    ["principalId"] = known?["principalId"]?.GetValue<string>() ?? Guid.NewGuid().ToString(),
                    ["clientId"] = known?["clientId"]?.GetValue<string>() ?? Guid.NewGuid().ToString(),
                };
            }

            identity["userAssignedIdentities"] = resolved;
        }

        return identity;
    }

    private static string OperationUrl(ArmCall call, string location, LongRunningOperation operation) =>
        call.Url($"/subscriptions/{call["sub"]}/providers/Microsoft.MachineLearningServices/locations/{location}/computeOperationsStatus/{operation.Id}");

    private static JsonObject? WorkspaceOf(ArmCall call) =>
        call.State.Resources.Get($"/subscriptions/{call["sub"]}/resourceGroups/{call["rg"]}/providers/Microsoft.MachineLearningServices/workspaces/{call["ws"]}");

    private static string ComputeId(ArmCall call) =>
        $"/subscriptions/{call["sub"]}/resourceGroups/{call["rg"]}/providers/Microsoft.MachineLearningServices/workspaces/{call["ws"]}/computes/{call["compute"]}";

    private static ArmResult WorkspaceNotFound(ArmCall call) =>
        ArmResult.NotFound("Microsoft.MachineLearningServices/workspaces", call["ws"], call["rg"]);
}
