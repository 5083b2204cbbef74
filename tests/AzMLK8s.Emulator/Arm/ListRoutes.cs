using System.Text.Json.Nodes;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Emulator.Arm;

/// <summary>
/// Collection GETs over the JSON-kept resources: workspaces of a resource group or subscription
/// (Workspaces_ListByResourceGroup, Workspaces_ListBySubscription) and Relay namespaces of a resource group
/// (Namespaces_ListByResourceGroup). Mapped before <see cref="ResourceRoutes"/>.
/// </summary>
public static class ListRoutes
{
    public static void Map(ArmRouter router)
    {
        router.Add("Workspaces_ListByResourceGroup", "GET", ArmRouter.ResourceGroupPrefix + "Microsoft\\.MachineLearningServices/workspaces$", call => ByResourceGroup(call, "Microsoft.MachineLearningServices", "workspaces"));
        router.Add("Workspaces_ListBySubscription", "GET", ArmRouter.SubscriptionPrefix + "/providers/Microsoft\\.MachineLearningServices/workspaces$", call => BySubscription(call, "Microsoft.MachineLearningServices/workspaces"));
        router.Add("Namespaces_ListByResourceGroup", "GET", ArmRouter.ResourceGroupPrefix + "Microsoft\\.Relay/namespaces$", call => ByResourceGroup(call, "Microsoft.Relay", "namespaces"));
    }

    private static ArmResult ByResourceGroup(ArmCall call, string provider, string type) =>
        Page(call.State.Resources.Children($"/subscriptions/{call["sub"]}/resourceGroups/{call["rg"]}/providers/{provider}", type));

    private static ArmResult BySubscription(ArmCall call, string resourceType) =>
        Page(call.State.Resources.OfType(call["sub"], resourceType));

    private static ArmResult Page(IEnumerable<JsonObject> items) =>
        ArmResult.Ok(new JsonObject { ["value"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()) });
}
