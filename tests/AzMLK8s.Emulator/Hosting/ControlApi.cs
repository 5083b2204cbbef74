using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AzMLK8s.Emulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AzMLK8s.Emulator.Hosting;

/// <summary>
/// The test's side door, under <c>/_emulator/</c>: what a test run from another process (Pester in pwsh, a benchmark)
/// needs to arrange and observe. Not part of ARM: it takes no token, and it is neither logged nor faulted.
/// <list type="bullet">
/// <item><c>GET info</c>: base address, certificate thumbprint, default subscription and resource group, clusters.</item>
/// <item><c>GET requests</c> (<c>?since=N</c> skips the first N), <c>DELETE requests</c>: the request log.</item>
/// <item><c>POST faults</c> (body: a rule as <see cref="FaultRuleText"/> reads it), <c>DELETE faults</c>, <c>POST faults/seed?value=N</c>.</item>
/// <item><c>POST operations/complete</c>: finishes every running long-running operation.</item>
/// <item><c>POST reset</c>: back to the default seed (or an empty world with <c>?seed=false</c>); options and the request log stay.</item>
/// <item><c>POST fleet?count=N&amp;kind=Managed|Connected&amp;prefix=P&amp;nodes=K</c>: adds clusters (2 nodes each unless K); answers their ids.</item>
/// <item><c>POST clusters?subscription=S&amp;resourceGroup=G&amp;name=C&amp;kind=Managed|Connected&amp;nodes=K</c>: adds one cluster
/// anywhere (the default subscription and group unless given); answers its id.</item>
/// <item><c>PATCH options</c>: operationMs, retryAfterSeconds (null: none), registrationMs, principalReplicationDelayMs,
/// roleAssignmentListDelayMs, protectedSettingsResponse (Null|KeysOnly).</item>
/// </list>
/// </summary>
public static class ControlApi
{
    public const string Prefix = "/_emulator";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void UseControlApi(this WebApplication app, EmulatorState state, Func<string> thumbprint)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            if (!path.StartsWith(Prefix + "/", StringComparison.OrdinalIgnoreCase))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var command = $"{context.Request.Method} {path[(Prefix.Length + 1)..].TrimEnd('/')}".ToLowerInvariant();
            try
            {
                var answer = await AnswerAsync(command, context, state, thumbprint).ConfigureAwait(false);
                if (answer is null)
                {
                    await WriteAsync(context, 404, new { error = $"No control command '{command}'." }).ConfigureAwait(false);
                    return;
                }

                await WriteAsync(context, 200, answer).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
            {
                await WriteAsync(context, 400, new { error = ex.Message }).ConfigureAwait(false);
            }
        });
    }

    private static async Task<object?> AnswerAsync(string command, HttpContext context, EmulatorState state, Func<string> thumbprint)
    {
        var query = context.Request.Query;
        switch (command)
        {
            case "get info":
                return new
                {
                    baseAddress = state.BaseAddress.ToString(),
                    thumbprint = thumbprint(),
                    subscriptionId = EmulatorState.DefaultSubscriptionId,
                    resourceGroup = EmulatorState.DefaultResourceGroup,
                    tenantId = EmulatorState.DefaultTenantId,
                    clusters = state.Clusters.Select(c => c.ResourceId).OrderBy(id => id, StringComparer.OrdinalIgnoreCase).ToArray(),
                };
            case "get requests":
                var since = int.TryParse(query["since"], NumberStyles.None, CultureInfo.InvariantCulture, out var skip) ? skip : 0;
                return state.Requests.Entries.Skip(since).Select(e => new
                {
                    at = e.At,
                    method = e.Method,
                    path = e.Path,
                    route = e.Route,
                    status = e.Status,
                    correlationId = e.CorrelationId,
                    userAgent = e.UserAgent,
                    bearerFingerprint = e.BearerFingerprint,
                }).ToArray();
            case "delete requests":
                state.Requests.Clear();
                return new { cleared = true };
            case "post faults":
                var text = (await new StreamReader(context.Request.Body).ReadToEndAsync().ConfigureAwait(false)).Trim();
                var rule = FaultRuleText.Parse(text);
                state.Faults.Add(rule);
                return new { added = text };
            case "delete faults":
                state.Faults.Clear();
                return new { cleared = true };
            case "post faults/seed":
                state.Faults.Seed(int.Parse(query["value"].ToString(), CultureInfo.InvariantCulture));
                return new { seeded = true };
            case "post reset":
                var seeded = !string.Equals(query["seed"].FirstOrDefault(), "false", StringComparison.OrdinalIgnoreCase);
                state.Reset(seeded ? DefaultSeed.Apply : _ => { });
                return new { reset = true, seeded };
            case "post operations/complete":
                state.CompleteOperations();
                return new { completed = true };
            case "post fleet":
                var count = int.Parse(query["count"].ToString(), CultureInfo.InvariantCulture);
                var kind = Enum.Parse<ClusterKind>(query["kind"].FirstOrDefault() ?? nameof(ClusterKind.Managed), ignoreCase: true);
                var prefix = query["prefix"].FirstOrDefault() ?? "fleet";
                var nodes = int.TryParse(query["nodes"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 2;
                return FleetSeed.AddClusters(state, count, kind, prefix, nodes);
            case "post clusters":
                var clusterKind = Enum.Parse<ClusterKind>(query["kind"].FirstOrDefault() ?? nameof(ClusterKind.Managed), ignoreCase: true);
                var clusterName = query["name"].FirstOrDefault() ?? throw new ArgumentException("POST clusters needs name=.");
                var clusterNodes = int.TryParse(query["nodes"], NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : 2;
                lock (state.Gate)
                {
                    return new
                    {
                        id = FleetSeed.AddCluster(
                            state,
                            query["subscription"].FirstOrDefault() ?? EmulatorState.DefaultSubscriptionId,
                            query["resourceGroup"].FirstOrDefault() ?? EmulatorState.DefaultResourceGroup,
                            clusterName,
                            clusterKind,
                            clusterNodes),
                    };
                }

            case "patch options":
                var options = await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false) as JsonObject
                    ?? throw new FormatException("PATCH options takes a JSON object.");
                ApplyOptions(state.Options, options);
                return new { updated = options.Select(p => p.Key).ToArray() };
            default:
                return null;
        }
    }

    private static void ApplyOptions(EmulatorOptions options, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            switch (key.ToLowerInvariant())
            {
                case "operationms":
                    options.OperationDuration = Milliseconds(value);
                    break;
                case "registrationms":
                    options.RegistrationDuration = Milliseconds(value);
                    break;
                case "retryafterseconds":
                    options.OperationRetryAfterSeconds = value?.GetValue<int>();
                    break;
                case "principalreplicationdelayms":
                    options.PrincipalReplicationDelay = Milliseconds(value);
                    break;
                case "roleassignmentlistdelayms":
                    options.RoleAssignmentListDelay = Milliseconds(value);
                    break;
                case "protectedsettingsresponse":
                    options.ProtectedSettingsResponse = Enum.Parse<ProtectedSettingsResponse>(value!.GetValue<string>(), ignoreCase: true);
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{key}'.");
            }
        }
    }

    // A negative value means "until operations/complete" (Timeout.InfiniteTimeSpan).
    private static TimeSpan Milliseconds(JsonNode? value)
    {
        var milliseconds = value?.GetValue<int>() ?? throw new ArgumentException("A duration in milliseconds is required.");
        return milliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(milliseconds);
    }

    private static Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
