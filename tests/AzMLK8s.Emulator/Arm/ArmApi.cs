using AzMLK8s.Emulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AzMLK8s.Emulator.Arm;

/// <summary>The ARM routes. Everything not under /k8s/ is ARM.</summary>
public static class ArmApi
{
    public static void MapArmApi(this WebApplication app, EmulatorState state)
    {
        app.MapFallback((HttpContext context) => Results.Json(
            new { error = new { code = "NoRegisteredProviderFound", message = $"No registered resource provider found for path '{context.Request.Path}'." } },
            statusCode: StatusCodes.Status404NotFound));
    }
}
