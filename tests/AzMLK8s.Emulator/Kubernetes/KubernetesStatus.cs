using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AzMLK8s.Emulator.Kubernetes;

/// <summary>Kubernetes meta/v1 Status error bodies, worded like the real API server.</summary>
public static class KubernetesStatus
{
    public static Task Write(HttpContext context, int code, string reason, string message, string? name = null, string? kind = null, string? group = null)
    {
        var status = Failure(code, reason, message);
        if (name is not null || kind is not null)
        {
            var details = new JsonObject();
            if (name is not null)
            {
                details["name"] = name;
            }

            if (group is { Length: > 0 })
            {
                details["group"] = group;
            }

            if (kind is not null)
            {
                details["kind"] = kind;
            }

            status["details"] = details;
        }

        return KubernetesResponses.WriteJson(context, code, status);
    }

    /// <summary>429 as priority and fairness sends it: Retry-After header and details.retryAfterSeconds.</summary>
    public static Task TooManyRequests(HttpContext context, int retryAfterSeconds)
    {
        var status = Failure(429, "TooManyRequests", "Too many requests, please try again later.");
        status["details"] = new JsonObject { ["retryAfterSeconds"] = retryAfterSeconds };
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return KubernetesResponses.WriteJson(context, 429, status);
    }

    /// <summary>500 InternalError with the cause, as apierrors.NewInternalError words it.</summary>
    public static Task InternalError(HttpContext context, string cause)
    {
        var status = Failure(500, "InternalError", $"Internal error occurred: {cause}");
        status["details"] = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = cause }) };
        return KubernetesResponses.WriteJson(context, 500, status);
    }

    /// <summary>503 ServiceUnavailable; with a Retry-After header and details.retryAfterSeconds when given one.</summary>
    public static Task ServiceUnavailable(HttpContext context, string message, int? retryAfterSeconds)
    {
        var status = Failure(503, "ServiceUnavailable", message);
        if (retryAfterSeconds is { } seconds)
        {
            status["details"] = new JsonObject { ["retryAfterSeconds"] = seconds };
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return KubernetesResponses.WriteJson(context, 503, status);
    }

    public static Task Unauthorized(HttpContext context) => Write(context, 401, "Unauthorized", "Unauthorized");

    public static Task NotFound(HttpContext context, EmulatedResourceType type, string name) =>
        Write(context, 404, "NotFound", $"{Qualified(type)} \"{name}\" not found", name, type.Plural, type.Group);

    public static Task NoSuchResource(HttpContext context) =>
        Write(context, 404, "NotFound", "the server could not find the requested resource");

    public static Task AlreadyExists(HttpContext context, EmulatedResourceType type, string name) =>
        Write(context, 409, "AlreadyExists", $"{Qualified(type)} \"{name}\" already exists", name, type.Plural, type.Group);

    public static Task Conflict(HttpContext context, EmulatedResourceType type, string name) =>
        Write(context, 409, "Conflict",
            $"Operation cannot be fulfilled on {Qualified(type)} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            name, type.Plural, type.Group);

    public static Task Forbidden(HttpContext context, ClusterPrincipal principal, string verb, EmulatedResourceType type, string? ns, string? name)
    {
        var scope = ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"";
        var subject = name is null ? Qualified(type) : $"{Qualified(type)} \"{name}\"";
        return Write(context, 403, "Forbidden",
            $"{subject} is forbidden: User \"{principal.User}\" cannot {verb} resource \"{type.Plural}\" in API group \"{type.Group}\" {scope}",
            name, type.Plural, type.Group);
    }

    public static Task BadRequest(HttpContext context, string message) => Write(context, 400, "BadRequest", message);

    public static Task Invalid(HttpContext context, EmulatedResourceType type, string name, string message) =>
        Write(context, 422, "Invalid", $"{type.Kind} \"{name}\" is invalid: {message}", name, type.Kind, type.Group);

    private static JsonObject Failure(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };

    // "pods", "deployments.apps", "securitycontextconstraints.security.openshift.io"
    private static string Qualified(EmulatedResourceType type) =>
        string.IsNullOrEmpty(type.Group) ? type.Plural : $"{type.Plural}.{type.Group}";
}

internal static class KubernetesResponses
{
    public static async Task WriteJson(HttpContext context, int statusCode, JsonNode body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }
}
