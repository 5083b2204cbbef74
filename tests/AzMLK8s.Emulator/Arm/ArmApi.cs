using AzMLK8s.Emulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AzMLK8s.Emulator.Arm;

/// <summary>The ARM side of the emulator. Everything not under /k8s/ and not mapped by another endpoint is ARM.</summary>
public static class ArmApi
{
    /// <summary>Adds the middleware (log, faults, auth, api-version, throttling); call before mapping endpoints.</summary>
    public static ArmRouter UseArmPipeline(this WebApplication app, EmulatorState state)
    {
        var router = new ArmRouter(state);
        ExtensionRoutes.Map(router);
        ComputeRoutes.Map(router);
        AuthorizationRoutes.Map(router);
        RegistrationRoutes.Map(router);
        SubscriptionRoutes.Map(router);
        ListRoutes.Map(router);
        ResourceRoutes.Map(router);
        app.UseArmMiddleware(state, router);
        return router;
    }

    /// <summary>Serves the ARM routes for requests no other endpoint (e.g. the Kubernetes API) took.</summary>
    public static void MapArmApi(this WebApplication app, EmulatorState state, ArmRouter router)
    {
        // The default fallback pattern skips paths whose last segment looks like a file name, and ARM paths end in
        // "Microsoft.Kubernetes" and the like; match every path.
        app.MapFallback("{**path}", (HttpContext context) => router.HandleAsync(context));
    }
}
