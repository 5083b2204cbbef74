using System.Text.Json.Nodes;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Emulator.Arm;

/// <summary>Microsoft.Features feature flags and resource provider registration: register -> Registering -> Registered.</summary>
public static class RegistrationRoutes
{
    private const string Feature = ArmRouter.SubscriptionPrefix + "/providers/Microsoft\\.Features/providers/(?<ns>[^/]+)/features/(?<feature>[^/]+)";
    private const string Provider = ArmRouter.SubscriptionPrefix + "/providers/(?<ns>[^/]+)";

    public static void Map(ArmRouter router)
    {
        router.Add("Features_Get", "GET", Feature + "$", call => FeatureResult(call, call.State.Registrations.Get(FeatureKey(call), call.Now, "NotRegistered")));
        router.Add("Features_Register", "POST", Feature + "/register$", call =>
            FeatureResult(call, call.State.Registrations.Register(FeatureKey(call), call.Now, call.State.Options.RegistrationDuration, "NotRegistered")));
        router.Add("Providers_Get", "GET", Provider + "$", call => ProviderResult(call, call.State.Registrations.Get(ProviderKey(call), call.Now, "NotRegistered")));
        router.Add("Providers_Register", "POST", Provider + "/register$", call =>
            ProviderResult(call, call.State.Registrations.Register(ProviderKey(call), call.Now, call.State.Options.RegistrationDuration, "NotRegistered")));
    }

    private static ArmResult FeatureResult(ArmCall call, string state) => ArmResult.Ok(new JsonObject
    {
        ["id"] = $"/subscriptions/{call["sub"]}/providers/Microsoft.Features/providers/{call["ns"]}/features/{call["feature"]}",
        ["name"] = $"{call["ns"]}/{call["feature"]}",
        ["type"] = "Microsoft.Features/providers/features",
        ["properties"] = new JsonObject { ["state"] = state },
    });

    private static ArmResult ProviderResult(ArmCall call, string state) => ArmResult.Ok(new JsonObject
    {
        ["id"] = $"/subscriptions/{call["sub"]}/providers/{call["ns"]}",
        ["namespace"] = call["ns"],
        ["registrationState"] = state,
        ["registrationPolicy"] = "RegistrationRequired",
        ["resourceTypes"] = new JsonArray(),
    });

    private static string FeatureKey(ArmCall call) => Registrations.FeatureKey(call["sub"], call["ns"], call["feature"]);

    private static string ProviderKey(ArmCall call) => Registrations.ProviderKey(call["sub"], call["ns"]);
}
