using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AzMLK8s.Emulator.State;
using Microsoft.AspNetCore.Http;

namespace AzMLK8s.Emulator.Arm;

/// <summary>One ARM route: the spec's operation name, the verb and a case-insensitive path pattern.</summary>
public sealed record ArmRoute(string Name, string Method, Regex Pattern, Func<ArmCall, ArmResult> Handler);

/// <summary>
/// Matches ARM paths (whose scopes nest arbitrarily, which endpoint templates cannot express) against an ordered
/// route table; the first match wins. Handlers run under the state gate after due operations have advanced.
/// </summary>
public sealed class ArmRouter
{
    public const string SubscriptionPrefix = "^/subscriptions/(?<sub>[^/]+)";
    public const string ResourceGroupPrefix = SubscriptionPrefix + "/resourceGroups/(?<rg>[^/]+)/providers/";
    public const string ClusterPath = ResourceGroupPrefix + "(?<rp>Microsoft\\.ContainerService|Microsoft\\.Kubernetes)/(?<ct>managedClusters|connectedClusters)/(?<cluster>[^/]+)";

    private readonly List<ArmRoute> _routes = new();
    private readonly EmulatorState _state;

    public ArmRouter(EmulatorState state)
    {
        _state = state;
    }

    public void Add(string name, string method, string pattern, Func<ArmCall, ArmResult> handler) =>
        _routes.Add(new ArmRoute(name, method, new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), handler));

    public string? RouteName(string method, string path) => Find(method, path)?.Route.Name;

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var found = Find(context.Request.Method, path);
        if (found is null)
        {
            await ArmMiddleware.WriteAsync(context, ArmResult.Error(404, "NoRegisteredProviderFound",
                $"No registered resource provider found for path '{path}' and api-version '{context.Request.Query["api-version"]}'.")).ConfigureAwait(false);
            return;
        }

        JsonObject? body;
        try
        {
            body = await ReadBodyAsync(context).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await ArmMiddleware.WriteAsync(context, ArmResult.Error(400, "InvalidRequestContent", $"The request content was invalid and could not be deserialized: '{ex.Message}'.")).ConfigureAwait(false);
            return;
        }

        ArmResult result;
        lock (_state.Gate)
        {
            _state.Advance();
            result = found.Value.Route.Handler(new ArmCall(context, found.Value.Match, body, _state));
        }

        await ArmMiddleware.WriteAsync(context, result).ConfigureAwait(false);
    }

    private (ArmRoute Route, Match Match)? Find(string method, string path)
    {
        foreach (var route in _routes)
        {
            if (!string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var match = route.Pattern.Match(path.TrimEnd('/'));
            if (match.Success)
            {
                return (route, match);
            }
        }

        return null;
    }

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject ?? throw new JsonException("The body is not a JSON object.");
    }
}
