using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AzMLK8s.Emulator.State;
using Microsoft.AspNetCore.Http;

namespace AzMLK8s.Emulator.Arm;

/// <summary>One ARM request as a route handler sees it. Handlers run under the state gate.</summary>
public sealed class ArmCall
{
    public ArmCall(HttpContext http, Match match, JsonObject? body, EmulatorState state)
    {
        Http = http;
        Match = match;
        Body = body;
        State = state;
        Now = state.Clock();
    }

    public HttpContext Http { get; }

    public Match Match { get; }

    public JsonObject? Body { get; }

    public EmulatorState State { get; }

    public DateTimeOffset Now { get; }

    public string ApiVersion => Http.Request.Query["api-version"].ToString();

    public string Path => Http.Request.Path.Value ?? "/";

    public string this[string group] => Match.Groups[group].Value;

    public string? Query(string name) => Http.Request.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>An absolute URL on this emulator for a path, with this call's api-version.</summary>
    public string Url(string path) => $"{State.BaseAddress.ToString().TrimEnd('/')}{path}?api-version={ApiVersion}";
}

/// <summary>What a handler answers.</summary>
public sealed record ArmResult(int Status, JsonNode? Body)
{
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ArmResult WithHeader(string name, string? value)
    {
        if (value is not null)
        {
            Headers[name] = value;
        }

        return this;
    }

    public static ArmResult Ok(JsonNode? body) => new(200, body);

    public static ArmResult Error(int status, string code, string message, string? target = null, JsonArray? details = null) =>
        new(status, new JsonObject { ["error"] = ErrorDetail(code, message, target, details) });

    public static JsonObject ErrorDetail(string code, string message, string? target = null, JsonArray? details = null)
    {
        var detail = new JsonObject { ["code"] = code, ["message"] = message };
        if (target is not null)
        {
            detail["target"] = target;
        }

        if (details is not null)
        {
            detail["details"] = details;
        }

        return detail;
    }

    public static ArmResult NotFound(string resourceType, string name, string resourceGroup) =>
        Error(404, "ResourceNotFound", $"The Resource '{resourceType}/{name}' under resource group '{resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
}
