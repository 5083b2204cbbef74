using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Emulator.Arm;

/// <summary>
/// Cluster GET (AKS and Arc, from the emulated clusters), the supporting resources kept as JSON (GET for all;
/// PUT for Relay, Service Bus and Log Analytics, which the module and the Azure CLI may create), child collection
/// lists, Relay and Service Bus listKeys and Log Analytics sharedKeys. Status codes as the REST specs give them:
/// namespaces and workspaces 201 when created and 200 when replaced; hybrid connections, topics, subscriptions and
/// authorization rules 200 either way (Relay 2021-11-01, Service Bus 2021-11-01). A new Service Bus namespace gets
/// the RootManageSharedAccessKey rule, as Azure makes it. Mapped last: the generic patterns would otherwise shadow
/// the specific routes.
/// </summary>
public static class ResourceRoutes
{
    /// <summary>A top-level type's collection in a resource group: {namespace}/{type} ({Type}_ListByResourceGroup).</summary>
    private const string Collection = ArmRouter.ResourceGroupPrefix + "(?<ns>[^/]+)/(?<type>[^/]+)$";

    private const string Generic = ArmRouter.ResourceGroupPrefix + "(?<ns>[^/]+)/(?<rest>[^/]+/[^/]+(?:/[^/]+/[^/]+)*)$";

    /// <summary>A child type's collection under a resource: {namespace}/{type}/{name}[/...]/{childType}.</summary>
    private const string ChildCollection = ArmRouter.ResourceGroupPrefix + "(?<ns>[^/]+)/(?<parent>[^/]+/[^/]+(?:/[^/]+/[^/]+)*)/(?<type>[^/]+)$";

    private const string ServiceBusRootRule = "RootManageSharedAccessKey";

    /// <summary>Resource types a PUT may create, with the parent types they need.</summary>
    private static readonly HashSet<string> Creatable = new(StringComparer.OrdinalIgnoreCase)
    {
        "Microsoft.Relay/namespaces",
        "Microsoft.Relay/namespaces/hybridConnections",
        "Microsoft.Relay/namespaces/hybridConnections/authorizationRules",
        "Microsoft.Relay/namespaces/authorizationRules",
        "Microsoft.OperationalInsights/workspaces",
        "Microsoft.ServiceBus/namespaces",
        "Microsoft.ServiceBus/namespaces/topics",
        "Microsoft.ServiceBus/namespaces/topics/subscriptions",
        "Microsoft.ServiceBus/namespaces/authorizationRules",
    };

    /// <summary>Types whose PUT answers 201 when it creates (the others answer 200 either way).</summary>
    private static readonly HashSet<string> CreatedAnswers201 = new(StringComparer.OrdinalIgnoreCase)
    {
        "Microsoft.Relay/namespaces",
        "Microsoft.ServiceBus/namespaces",
        "Microsoft.OperationalInsights/workspaces",
    };

    public static void Map(ArmRouter router)
    {
        router.Add("Clusters_Get", "GET", ArmRouter.ClusterPath + "$", GetCluster);
        router.Add("Relay_ListKeys", "POST", ArmRouter.ResourceGroupPrefix + "Microsoft\\.Relay/namespaces/[^/]+(?:/hybridConnections/[^/]+)?/authorizationRules/[^/]+/listKeys$", ListRelayKeys);
        router.Add("ServiceBus_ListKeys", "POST", ArmRouter.ResourceGroupPrefix + "Microsoft\\.ServiceBus/namespaces/[^/]+/authorizationRules/[^/]+/listKeys$", ListServiceBusKeys);
        router.Add("SharedKeys_GetSharedKeys", "POST", ArmRouter.ResourceGroupPrefix + "Microsoft\\.OperationalInsights/workspaces/[^/]+/sharedKeys$", GetSharedKeys);
        router.Add("Resources_ListByResourceGroup", "GET", Collection, ListByResourceGroup);
        router.Add("Resources_ListChildren", "GET", ChildCollection, ListChildren);
        router.Add("Resources_Get", "GET", Generic, Get);
        router.Add("Resources_CreateOrUpdate", "PUT", Generic, CreateOrUpdate);
    }

    private static ArmResult GetCluster(ArmCall call)
    {
        var cluster = call.State.FindCluster(call["sub"], call["rg"], call["cluster"]);
        if (cluster is null || !string.Equals(cluster.ResourceType, call["ct"], StringComparison.OrdinalIgnoreCase))
        {
            return ArmResult.NotFound($"{call["rp"]}/{call["ct"]}", call["cluster"], call["rg"]);
        }

        var nodes = cluster.Kubernetes.NodeCount;
        var properties = cluster.Kind == ClusterKind.Managed
            ? new JsonObject
            {
                ["provisioningState"] = "Succeeded",
                ["kubernetesVersion"] = cluster.KubernetesVersion,
                ["fqdn"] = $"{cluster.Name}-dns.hcp.{cluster.Location}.azmk8s.io",
                ["agentPoolProfiles"] = new JsonArray(new JsonObject { ["name"] = "nodepool1", ["count"] = nodes, ["vmSize"] = "Standard_D4s_v5", ["osType"] = "Linux" }),
                ["disableLocalAccounts"] = cluster.DisableLocalAccounts,
            }
            : new JsonObject
            {
                ["provisioningState"] = "Succeeded",
                ["kubernetesVersion"] = cluster.KubernetesVersion,
                ["distribution"] = cluster.Distribution,
                ["infrastructure"] = "generic",
                ["totalNodeCount"] = nodes,
                ["connectivityStatus"] = "Connected",
                ["agentVersion"] = "1.21.10",
            };
        return ArmResult.Ok(new JsonObject
        {
            ["id"] = cluster.ResourceId,
            ["name"] = cluster.Name,
            ["type"] = $"{cluster.Provider}/{cluster.ResourceType}",
            ["location"] = cluster.Location,
            ["identity"] = new JsonObject { ["type"] = "SystemAssigned", ["principalId"] = StableGuid(cluster.ResourceId), ["tenantId"] = EmulatorState.DefaultTenantId },
            ["properties"] = properties,
        });
    }

    private static ArmResult ListByResourceGroup(ArmCall call)
    {
        var parent = $"/subscriptions/{call["sub"]}/resourceGroups/{call["rg"]}/providers/{call["ns"]}";
        var items = call.State.Resources.Children(parent, call["type"]).Select(r => (JsonNode)r).ToArray();
        return ArmResult.Ok(new JsonObject { ["value"] = new JsonArray(items) });
    }

    private static ArmResult ListChildren(ArmCall call)
    {
        var parent = $"/subscriptions/{call["sub"]}/resourceGroups/{call["rg"]}/providers/{call["ns"]}/{call["parent"]}";
        if (!call.State.Resources.Exists(parent))
        {
            return ArmResult.NotFound($"{call["ns"]}/{call["parent"].Split('/')[0]}", call["parent"].Split('/')[^1], call["rg"]);
        }

        var items = call.State.Resources.Children(parent, call["type"]).Select(r => (JsonNode)r).ToArray();
        return ArmResult.Ok(new JsonObject { ["value"] = new JsonArray(items) });
    }

    private static ArmResult Get(ArmCall call)
    {
        var id = call.Path.TrimEnd('/');
        return call.State.Resources.Get(id) is { } resource
            ? ArmResult.Ok(resource)
            : ArmResult.NotFound(TypeOf(call), call["rest"].Split('/')[^1], call["rg"]);
    }

    private static ArmResult CreateOrUpdate(ArmCall call)
    {
        var type = TypeOf(call);
        if (!Creatable.Contains(type))
        {
            return ArmResult.Error(400, "UnsupportedResourceOperation", $"The emulator does not create resources of type '{type}'.");
        }

        var id = call.Path.TrimEnd('/');
        var parent = ParentOf(id);
        if (parent is not null && !call.State.Resources.Exists(parent))
        {
            return ArmResult.Error(404, "ParentResourceNotFound", $"Can not perform requested operation on nested resource. Parent resource '{parent[(parent.LastIndexOf('/') + 1)..]}' not found.");
        }

        var existed = call.State.Resources.Exists(id);
        var resource = (JsonObject?)call.Body?.DeepClone() ?? new JsonObject();
        var name = id[(id.LastIndexOf('/') + 1)..];
        resource["id"] = id;
        resource["name"] = name;
        resource["type"] = type;
        var properties = resource["properties"] as JsonObject ?? new JsonObject();
        properties["provisioningState"] = "Succeeded";
        if (type.Equals("Microsoft.Relay/namespaces", StringComparison.OrdinalIgnoreCase) || type.Equals("Microsoft.ServiceBus/namespaces", StringComparison.OrdinalIgnoreCase))
        {
            properties["serviceBusEndpoint"] = $"https://{name}.servicebus.windows.net:443/";
        }
        else if (type.Equals("Microsoft.OperationalInsights/workspaces", StringComparison.OrdinalIgnoreCase))
        {
            properties["customerId"] = call.State.Resources.Get(id)?["properties"]?["customerId"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
        }

        resource["properties"] = properties;
        var stored = call.State.Resources.Put(id, resource);
        if (!existed && type.Equals("Microsoft.ServiceBus/namespaces", StringComparison.OrdinalIgnoreCase))
        {
            var ruleId = $"{id}/authorizationRules/{ServiceBusRootRule}";
            call.State.Resources.Put(ruleId, new JsonObject
            {
                ["id"] = ruleId,
                ["name"] = ServiceBusRootRule,
                ["type"] = "Microsoft.ServiceBus/namespaces/authorizationRules",
                ["properties"] = new JsonObject { ["rights"] = new JsonArray("Listen", "Manage", "Send") },
            });
        }

        return new ArmResult(!existed && CreatedAnswers201.Contains(type) ? 201 : 200, stored);
    }

    private static ArmResult ListServiceBusKeys(ArmCall call)
    {
        var ruleId = call.Path[..call.Path.LastIndexOf("/listKeys", StringComparison.OrdinalIgnoreCase)];
        if (!call.State.Resources.Exists(ruleId))
        {
            return ArmResult.NotFound("Microsoft.ServiceBus/namespaces/authorizationRules", ruleId[(ruleId.LastIndexOf('/') + 1)..], call["rg"]);
        }

        var namespaceName = Regex.Match(ruleId, "/namespaces/(?<ns>[^/]+)", RegexOptions.IgnoreCase).Groups["ns"].Value;
        var ruleName = ruleId[(ruleId.LastIndexOf('/') + 1)..];
        return ArmResult.Ok(call.State.Resources.KeysFor(ruleId, () =>
        {
            var primary = NewKey();
            var secondary = NewKey();
            return new JsonObject
            {
                ["keyName"] = ruleName,
                ["primaryKey"] = primary,
                ["secondaryKey"] = secondary,
                ["primaryConnectionString"] = $"Endpoint=sb://{namespaceName}.servicebus.windows.net/;SharedAccessKeyName={ruleName};SharedAccessKey={primary}",
                ["secondaryConnectionString"] = $"Endpoint=sb://{namespaceName}.servicebus.windows.net/;SharedAccessKeyName={ruleName};SharedAccessKey={secondary}",
            };
        }));
    }

    private static ArmResult ListRelayKeys(ArmCall call)
    {
        var ruleId = call.Path[..call.Path.LastIndexOf("/listKeys", StringComparison.OrdinalIgnoreCase)];
        if (!call.State.Resources.Exists(ruleId))
        {
            return ArmResult.NotFound("Microsoft.Relay/namespaces/authorizationRules", ruleId[(ruleId.LastIndexOf('/') + 1)..], call["rg"]);
        }

        var namespaceName = Regex.Match(ruleId, "/namespaces/(?<ns>[^/]+)", RegexOptions.IgnoreCase).Groups["ns"].Value;
        var hybridConnection = Regex.Match(ruleId, "/hybridConnections/(?<hc>[^/]+)", RegexOptions.IgnoreCase).Groups["hc"].Value;
        var ruleName = ruleId[(ruleId.LastIndexOf('/') + 1)..];
        return ArmResult.Ok(call.State.Resources.KeysFor(ruleId, () =>
        {
            var primary = NewKey();
            var secondary = NewKey();
            var entity = hybridConnection.Length > 0 ? $";EntityPath={hybridConnection}" : string.Empty;
            return new JsonObject
            {
                ["keyName"] = ruleName,
                ["primaryKey"] = primary,
                ["secondaryKey"] = secondary,
                ["primaryConnectionString"] = $"Endpoint=sb://{namespaceName}.servicebus.windows.net/;SharedAccessKeyName={ruleName};SharedAccessKey={primary}{entity}",
                ["secondaryConnectionString"] = $"Endpoint=sb://{namespaceName}.servicebus.windows.net/;SharedAccessKeyName={ruleName};SharedAccessKey={secondary}{entity}",
            };
        }));
    }

    private static ArmResult GetSharedKeys(ArmCall call)
    {
        var workspaceId = call.Path[..call.Path.LastIndexOf("/sharedKeys", StringComparison.OrdinalIgnoreCase)];
        if (!call.State.Resources.Exists(workspaceId))
        {
            return ArmResult.NotFound("Microsoft.OperationalInsights/workspaces", workspaceId[(workspaceId.LastIndexOf('/') + 1)..], call["rg"]);
        }

        return ArmResult.Ok(call.State.Resources.KeysFor(workspaceId, () => new JsonObject
        {
            ["primarySharedKey"] = NewKey(),
            ["secondarySharedKey"] = NewKey(),
        }));
    }

    /// <summary>"{namespace}/{type}[/{childType}...]" of a generic match.</summary>
    private static string TypeOf(ArmCall call)
    {
        var parts = call["rest"].Split('/');
        return call["ns"] + string.Concat(parts.Where((_, i) => i % 2 == 0).Select(p => "/" + p));
    }

    private static string? ParentOf(string id)
    {
        var providers = id.LastIndexOf("/providers/", StringComparison.OrdinalIgnoreCase);
        var segments = id[(providers + "/providers/".Length)..].Split('/');
        return segments.Length <= 3 ? null : id[..id.LastIndexOf('/', id.LastIndexOf('/') - 1)];
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static string StableGuid(string text) => new Guid(MD5.HashData(System.Text.Encoding.UTF8.GetBytes(text))).ToString();
}
