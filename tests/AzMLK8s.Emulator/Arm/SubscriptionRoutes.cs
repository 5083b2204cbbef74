using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Emulator.Arm;

/// <summary>
/// The subscription-level reads of Microsoft.Resources that clients make at sign-in and for completion: the
/// subscriptions and tenants of the token (Subscriptions_List, Tenants_List), the resource groups
/// (ResourceGroups_List), and the generic resource lists of a subscription or resource group with the
/// <c>resourceType eq '...' [or ...]</c> $filter (Resources_List, Resources_ListByResourceGroup). They cover the
/// emulated clusters as well as the resources kept as JSON.
/// </summary>
public static class SubscriptionRoutes
{
    public static void Map(ArmRouter router)
    {
        router.Add("Subscriptions_List", "GET", "^/subscriptions$", Subscriptions);
        router.Add("Tenants_List", "GET", "^/tenants$", Tenants);
        router.Add("ResourceGroups_List", "GET", ArmRouter.SubscriptionPrefix + "/resourcegroups$", ResourceGroups);
        router.Add("Resources_List", "GET", ArmRouter.SubscriptionPrefix + "/resources$", call => Resources(call, resourceGroup: null));
        router.Add("Resources_ListByResourceGroup", "GET", ArmRouter.SubscriptionPrefix + "/resourceGroups/(?<rg>[^/]+)/resources$", call => Resources(call, call["rg"]));
    }

    private static ArmResult Subscriptions(ArmCall call) => Page(new[]
    {
        new JsonObject
        {
            ["id"] = $"/subscriptions/{EmulatorState.DefaultSubscriptionId}",
            ["subscriptionId"] = EmulatorState.DefaultSubscriptionId,
            ["tenantId"] = EmulatorState.DefaultTenantId,
            ["displayName"] = "AzMLK8s emulator",
            ["state"] = "Enabled",
        },
    });

    private static ArmResult Tenants(ArmCall call) => Page(new[]
    {
        new JsonObject
        {
            ["id"] = $"/tenants/{EmulatorState.DefaultTenantId}",
            ["tenantId"] = EmulatorState.DefaultTenantId,
            ["tenantCategory"] = "Home",
            ["displayName"] = "AzMLK8s emulator",
        },
    });

    private static ArmResult ResourceGroups(ArmCall call)
    {
        var names = Everything(call.State, call["sub"])
            .Select(r => ResourceGroupOf((string?)r["id"]))
            .OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase);
        return Page(names.Select(name => new JsonObject
        {
            ["id"] = $"/subscriptions/{call["sub"]}/resourceGroups/{name}",
            ["name"] = name,
            ["type"] = "Microsoft.Resources/resourceGroups",
            ["location"] = EmulatorState.DefaultLocation,
            ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
        }));
    }

    private static ArmResult Resources(ArmCall call, string? resourceGroup)
    {
        var filter = call.Http.Request.Query["$filter"].FirstOrDefault();
        IReadOnlySet<string>? types = null;
        if (!string.IsNullOrWhiteSpace(filter))
        {
            types = ParseTypeFilter(filter);
            if (types is null)
            {
                return ArmResult.Error(400, "InvalidFilterInQueryString", $"The $filter '{filter}' is not supported; use resourceType eq '<type>' [or resourceType eq '<type>'].");
            }
        }

        var items = Everything(call.State, call["sub"])
            .Where(r => resourceGroup is null || string.Equals(ResourceGroupOf((string?)r["id"]), resourceGroup, StringComparison.OrdinalIgnoreCase))
            .Where(r => types is null || types.Contains((string?)r["type"] ?? string.Empty))
            .Select(r => new JsonObject
            {
                ["id"] = r["id"]?.DeepClone(),
                ["name"] = r["name"]?.DeepClone(),
                ["type"] = r["type"]?.DeepClone(),
                ["location"] = r["location"]?.DeepClone() ?? EmulatorState.DefaultLocation,
            });
        return Page(items);
    }

    // Top-level resources only: a child's id has more than one type segment after its provider.
    private static IEnumerable<JsonObject> Everything(EmulatorState state, string subscriptionId)
    {
        var clusters = state.Clusters
            .Where(c => string.Equals(c.SubscriptionId, subscriptionId, StringComparison.OrdinalIgnoreCase))
            .Select(c => new JsonObject
            {
                ["id"] = c.ResourceId,
                ["name"] = c.Name,
                ["type"] = $"{c.Provider}/{c.ResourceType}",
                ["location"] = c.Location,
            });
        var kept = state.Resources.All()
            .Where(r => ((string?)r["id"])?.StartsWith($"/subscriptions/{subscriptionId}/", StringComparison.OrdinalIgnoreCase) == true)
            .Where(r => ((string?)r["type"])?.Count(ch => ch == '/') == 1);
        return clusters.Concat(kept);
    }

    private static string? ResourceGroupOf(string? id)
    {
        var match = id is null ? null : Regex.Match(id, "/resourceGroups/([^/]+)", RegexOptions.IgnoreCase);
        return match is { Success: true } ? match.Groups[1].Value : null;
    }

    // resourceType eq 'A' or resourceType eq 'B' (ARM's generic resource list supports this form).
    private static IReadOnlySet<string>? ParseTypeFilter(string filter)
    {
        var types = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in Regex.Split(filter, @"\s+or\s+", RegexOptions.IgnoreCase))
        {
            var match = Regex.Match(part.Trim(), @"^resourceType\s+eq\s+'([^']+)'$", RegexOptions.IgnoreCase);
            if (!match.Success)
            {
                return null;
            }

            types.Add(match.Groups[1].Value);
        }

        return types;
    }

    private static ArmResult Page(IEnumerable<JsonObject> items) =>
        ArmResult.Ok(new JsonObject { ["value"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()) });
}
