using System.Globalization;
using AzMLK8s.Emulator.Kubernetes;
using AzMLK8s.Emulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AzMLK8s.Emulator.Arm;

/// <summary>
/// The request pipeline in front of the routes: request log and fault injection for every path (answered as ARM or,
/// under /k8s/, as a Kubernetes API server would); bearer auth, api-version checks and the per-subscription budget for
/// ARM paths only.
/// </summary>
public static class ArmMiddleware
{
    public static void UseArmMiddleware(this WebApplication app, EmulatorState state, ArmRouter router)
    {
        app.Use(async (context, next) =>
        {
            var method = context.Request.Method;
            var path = context.Request.Path.Value ?? "/";
            var arrival = state.Requests.Arrive();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                var route = router.RouteName(method, path) ?? context.GetEndpoint()?.DisplayName ?? "Unmatched";
                state.Requests.Add(new LoggedRequest(
                    state.Clock(),
                    method,
                    path,
                    route,
                    context.Response.StatusCode,
                    context.Request.Headers["x-ms-correlation-request-id"].FirstOrDefault(),
                    context.Request.Headers.UserAgent.FirstOrDefault())
                {
                    BearerFingerprint = BearerToken(context) is { Length: > 0 } token ? LoggedRequest.Fingerprint(token) : null,
                    Arrival = arrival,
                });
            }
        });

        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            var (delay, fault) = state.Faults.Next(context.Request.Method, path);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
            }

            switch (fault?.Kind)
            {
                case null:
                    break;
                case FaultKind.ConnectionReset:
                    context.Response.StatusCode = 0;
                    context.Abort();
                    return;
                case { } kind when IsKubernetesPath(path):
                    await WriteKubernetesFaultAsync(context, kind, fault.RetryAfterSeconds).ConfigureAwait(false);
                    return;
                case FaultKind.TooManyRequests:
                    await WriteAsync(context, ArmResult.Error(429, "TooManyRequests", "The request was throttled (injected fault).")
                        .WithHeader("Retry-After", fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture))).ConfigureAwait(false);
                    return;
                case FaultKind.ServiceUnavailable:
                    await WriteAsync(context, ArmResult.Error(503, "ServiceUnavailable", "The service is temporarily unavailable (injected fault).")
                        .WithHeader("Retry-After", fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture))).ConfigureAwait(false);
                    return;
                case FaultKind.InternalServerError:
                    await WriteAsync(context, ArmResult.Error(500, "InternalServerError", "The server encountered an internal error (injected fault).")).ConfigureAwait(false);
                    return;
                case FaultKind.BadRequest:
                    await WriteAsync(context, ArmResult.Error(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized (injected fault).")).ConfigureAwait(false);
                    return;
            }

            await next(context).ConfigureAwait(false);
        });

        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            if (IsKubernetesPath(path))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var rejection = Authenticate(context) ?? CheckApiVersion(context, path) ?? Throttle(context, state, path);
            if (rejection is not null)
            {
                await WriteAsync(context, rejection).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
    }

    public static async Task WriteAsync(HttpContext context, ArmResult result)
    {
        context.Response.StatusCode = result.Status;
        foreach (var header in result.Headers)
        {
            context.Response.Headers[header.Key] = header.Value;
        }

        context.Response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        if (context.Request.Headers.TryGetValue("x-ms-correlation-request-id", out var correlation))
        {
            context.Response.Headers["x-ms-correlation-request-id"] = correlation;
        }

        if (result.Body is not null)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(result.Body.ToJsonString()).ConfigureAwait(false);
        }
    }

    // Each emulated cluster's API server lives under /k8s/{subscription}/{resourceGroup}/{cluster}/.
    private static bool IsKubernetesPath(string path) => path.StartsWith("/k8s/", StringComparison.OrdinalIgnoreCase);

    /// <summary>An injected fault as a Kubernetes API server answers it: a meta/v1 Status, not an ARM error envelope.</summary>
    private static Task WriteKubernetesFaultAsync(HttpContext context, FaultKind kind, int retryAfterSeconds) => kind switch
    {
        FaultKind.TooManyRequests => KubernetesStatus.TooManyRequests(context, Math.Max(1, retryAfterSeconds)),
        FaultKind.ServiceUnavailable => KubernetesStatus.ServiceUnavailable(context, "the server is currently unable to handle the request (injected fault)",
            retryAfterSeconds > 0 ? retryAfterSeconds : null),
        FaultKind.InternalServerError => KubernetesStatus.InternalError(context, "etcdserver: request timed out (injected fault)"),
        FaultKind.BadRequest => KubernetesStatus.Write(context, 400, "BadRequest", "the request is invalid (injected fault)"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static string BearerToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : string.Empty;
    }

    private static ArmResult? Authenticate(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (BearerToken(context).Length > 0)
        {
            return null;
        }

        var reason = header.Length == 0 ? "The 'Authorization' header is missing." : "The 'Authorization' header is not a bearer token.";
        return ArmResult.Error(401, "AuthenticationFailed", $"Authentication failed. {reason}")
            .WithHeader("WWW-Authenticate", $"Bearer authorization_uri=\"https://login.microsoftonline.com/{EmulatorState.DefaultTenantId}\", error=\"invalid_token\", error_description=\"{reason}\"");
    }

    private static ArmResult? CheckApiVersion(HttpContext context, string path)
    {
        var apiVersion = context.Request.Query["api-version"].ToString();
        if (apiVersion.Length == 0)
        {
            return ArmResult.Error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
        }

        var resourceType = ArmApiVersionTable.ResourceTypeOf(path);
        var supported = resourceType is null ? null : ArmApiVersionTable.SupportedVersions(resourceType);
        if (supported is null || supported.Contains(apiVersion, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        return ArmResult.Error(400, "InvalidApiVersionParameter",
            $"The api-version '{apiVersion}' is invalid. The supported versions are '{string.Join(",", supported)}'.");
    }

    private static ArmResult? Throttle(HttpContext context, EmulatorState state, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !string.Equals(parts[0], "subscriptions", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var write = !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method);
        var (allowed, remaining, retryAfter) = state.Throttle.Take(parts[1], write, state.Clock());
        var header = write ? "x-ms-ratelimit-remaining-subscription-writes" : "x-ms-ratelimit-remaining-subscription-reads";
        context.Response.Headers[header] = remaining.ToString(CultureInfo.InvariantCulture);
        if (allowed)
        {
            return null;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        return ArmResult.Error(429, "SubscriptionRequestsThrottled",
                $"Number of '{(write ? "write" : "read")}' requests for subscription '{parts[1]}' exceeded the limit of '{(write ? state.Throttle.WriteBudget : state.Throttle.ReadBudget)}' for time interval '{state.Throttle.Window}'. Please try again after '{seconds}' seconds.")
            .WithHeader("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
    }
}
