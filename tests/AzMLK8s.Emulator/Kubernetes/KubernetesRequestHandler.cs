using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AzMLK8s.Emulator.State;
using Microsoft.AspNetCore.Http;

namespace AzMLK8s.Emulator.Kubernetes;

/// <summary>
/// Serves one request to an emulated cluster's API server: discovery, and GET/LIST/POST/PUT/PATCH/DELETE on every
/// kind the cluster serves, with the real server's status codes and Status bodies.
/// </summary>
internal sealed class KubernetesRequestHandler
{
    private const string PartialObjectMetadata = "as=PartialObjectMetadata";

    private readonly HttpContext _context;
    private readonly EmulatedCluster _cluster;
    private readonly KubernetesCluster _api;

    private KubernetesRequestHandler(HttpContext context, EmulatedCluster cluster)
    {
        _context = context;
        _cluster = cluster;
        _api = cluster.Kubernetes;
    }

    public static async Task HandleAsync(HttpContext context, EmulatorState state)
    {
        var values = context.Request.RouteValues;
        var cluster = state.FindCluster((string)values["subscription"]!, (string)values["resourceGroup"]!, (string)values["cluster"]!);
        if (cluster is null)
        {
            await KubernetesStatus.NoSuchResource(context).ConfigureAwait(false);
            return;
        }

        if (cluster.Kubernetes.ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(cluster.Kubernetes.ResponseDelay, context.RequestAborted).ConfigureAwait(false);
        }

        var principal = cluster.Kubernetes.Access.Authenticate(BearerToken(context.Request), context.Connection.ClientCertificate);
        if (principal is null)
        {
            await KubernetesStatus.Unauthorized(context).ConfigureAwait(false);
            return;
        }

        var segments = ((string?)values["path"] ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        await new KubernetesRequestHandler(context, cluster).DispatchAsync(segments, principal).ConfigureAwait(false);
    }

    private Task DispatchAsync(string[] segments, ClusterPrincipal principal)
    {
        var isGet = HttpMethods.IsGet(_context.Request.Method);
        switch (segments)
        {
            case ["version"] when isGet:
                return WriteJson(200, VersionInfo());
            case ["api"] when isGet:
                return WriteJson(200, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") });
            case ["apis"] when isGet:
                return WriteJson(200, GroupList());
            case ["api", "v1"] when isGet:
                return WriteResourceList(string.Empty, "v1");
            case ["apis", var group, var version] when isGet:
                return WriteResourceList(group, version);
            case ["api", "v1", .. var rest]:
                return HandleResourceAsync(string.Empty, "v1", rest, principal);
            case ["apis", var group, var version, .. var rest]:
                return HandleResourceAsync(group, version, rest, principal);
            default:
                return KubernetesStatus.NoSuchResource(_context);
        }
    }

    private async Task HandleResourceAsync(string group, string version, string[] rest, ClusterPrincipal principal)
    {
        if (!TryResolve(group, version, rest, out var type, out var ns, out var name))
        {
            await KubernetesStatus.NoSuchResource(_context).ConfigureAwait(false);
            return;
        }

        var method = _context.Request.Method;
        var verb = method switch
        {
            "GET" => name is null ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => null,
        };
        if (verb is null || (verb is "create" or "list") != (name is null) || (verb == "create" && type.Namespaced && ns is null))
        {
            await KubernetesStatus.Write(_context, 405, "MethodNotAllowed", "the server does not allow this method on the requested resource").ConfigureAwait(false);
            return;
        }

        if (principal.ReadOnly && verb is not ("get" or "list"))
        {
            await KubernetesStatus.Forbidden(_context, principal, verb, type, ns, name).ConfigureAwait(false);
            return;
        }

        switch (verb)
        {
            case "list":
                await ListAsync(type, ns).ConfigureAwait(false);
                break;
            case "get":
                await GetAsync(type, ns, name!).ConfigureAwait(false);
                break;
            case "create":
                await CreateAsync(type, ns).ConfigureAwait(false);
                break;
            case "update":
                await ReplaceAsync(type, ns, name!).ConfigureAwait(false);
                break;
            case "patch":
                await PatchAsync(type, ns, name!).ConfigureAwait(false);
                break;
            default:
                await DeleteAsync(type, ns, name!).ConfigureAwait(false);
                break;
        }
    }

    // [plural], [plural, name], [namespaces, ns, plural], [namespaces, ns, plural, name]
    private bool TryResolve(string group, string version, string[] rest, out EmulatedResourceType type, out string? ns, out string? name)
    {
        ns = null;
        name = null;
        EmulatedResourceType? found;
        switch (rest)
        {
            case [var plural]:
                found = _api.FindResourceType(group, version, plural);
                break;
            case [var plural, var item]:
                found = _api.FindResourceType(group, version, plural);
                name = item;
                if (found is { Namespaced: true })
                {
                    found = null;
                }

                break;
            case ["namespaces", var inNamespace, var plural, .. var tail] when tail.Length <= 1:
                found = _api.FindResourceType(group, version, plural);
                ns = inNamespace;
                name = tail.Length == 1 ? tail[0] : null;
                if (found is { Namespaced: false })
                {
                    found = null;
                }

                break;
            default:
                found = null;
                break;
        }

        type = found!;
        return found is not null;
    }

    private async Task ListAsync(EmulatedResourceType type, string? ns)
    {
        LabelSelector selector;
        try
        {
            selector = LabelSelector.Parse(_context.Request.Query["labelSelector"]);
        }
        catch (FormatException e)
        {
            await KubernetesStatus.BadRequest(_context, $"unable to parse requirement: {e.Message}").ConfigureAwait(false);
            return;
        }

        var matching = _api.List(type.ApiVersion, type.Kind, ns)
            .Where(o => selector.Matches(LabelsOf(o)))
            .ToArray();
        var offset = ParseContinue(_context.Request.Query["continue"]);
        var limit = int.TryParse(_context.Request.Query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l > 0 ? l : int.MaxValue;
        var page = matching.Skip(offset).Take(limit).ToArray();
        var metadata = new JsonObject { ["resourceVersion"] = _api.CurrentResourceVersion };
        if (offset + page.Length < matching.Length)
        {
            metadata["continue"] = Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + page.Length).ToString(CultureInfo.InvariantCulture)));
        }

        var partial = WantsPartialMetadata();
        var list = new JsonObject
        {
            ["kind"] = partial ? "PartialObjectMetadataList" : $"{type.Kind}List",
            ["apiVersion"] = partial ? "meta.k8s.io/v1" : type.ApiVersion,
            ["metadata"] = metadata,
            // The real API server leaves kind and apiVersion out of list items.
            ["items"] = new JsonArray(page.Select(o => (JsonNode?)(partial ? ToPartialMetadata(o) : WithoutTypeMeta(o))).ToArray()),
        };
        await WriteJson(200, list).ConfigureAwait(false);
    }

    private async Task GetAsync(EmulatedResourceType type, string? ns, string name)
    {
        var found = _api.Get(type.ApiVersion, type.Kind, ns ?? string.Empty, name);
        if (found is null)
        {
            await KubernetesStatus.NotFound(_context, type, name).ConfigureAwait(false);
            return;
        }

        await WriteJson(200, WantsPartialMetadata() ? ToPartialMetadata(found) : found).ConfigureAwait(false);
    }

    private async Task CreateAsync(EmulatedResourceType type, string? ns)
    {
        if (await ReadObjectAsync(type).ConfigureAwait(false) is not { } body)
        {
            return;
        }

        var metadata = body["metadata"] as JsonObject ?? new JsonObject();
        var name = metadata["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name) && metadata["generateName"]?.GetValue<string>() is { Length: > 0 } prefix)
        {
            name = prefix + Convert.ToHexString(Guid.NewGuid().ToByteArray())[..5].ToLowerInvariant();
        }

        if (string.IsNullOrEmpty(name))
        {
            await KubernetesStatus.Invalid(_context, type, string.Empty, "metadata.name: Required value: name or generateName is required").ConfigureAwait(false);
            return;
        }

        if (metadata["namespace"]?.GetValue<string>() is { } bodyNamespace && type.Namespaced && bodyNamespace != ns)
        {
            await KubernetesStatus.BadRequest(_context, "the namespace of the provided object does not match the namespace sent on the request").ConfigureAwait(false);
            return;
        }

        if (type.Namespaced && !_api.NamespaceExists(ns!))
        {
            await KubernetesStatus.NotFound(_context, EmulatedResourceType.BuiltIn[0], ns!).ConfigureAwait(false);
            return;
        }

        if (_api.Get(type.ApiVersion, type.Kind, ns ?? string.Empty, name) is not null)
        {
            await KubernetesStatus.AlreadyExists(_context, type, name).ConfigureAwait(false);
            return;
        }

        foreach (var serverSet in new[] { "uid", "resourceVersion", "creationTimestamp" })
        {
            metadata.Remove(serverSet);
        }

        body["metadata"] = metadata;
        if (type.Kind == "Namespace" && type.Group.Length == 0)
        {
            body["status"] = new JsonObject { ["phase"] = "Active" };
        }

        await WriteJson(201, _api.Upsert(type.ApiVersion, type.Kind, ns ?? string.Empty, name, body)).ConfigureAwait(false);
    }

    private async Task ReplaceAsync(EmulatedResourceType type, string? ns, string name)
    {
        var current = _api.Get(type.ApiVersion, type.Kind, ns ?? string.Empty, name);
        if (current is null)
        {
            await KubernetesStatus.NotFound(_context, type, name).ConfigureAwait(false);
            return;
        }

        if (await ReadObjectAsync(type).ConfigureAwait(false) is not { } body)
        {
            return;
        }

        await StoreUpdateAsync(type, ns, name, current, body).ConfigureAwait(false);
    }

    private async Task PatchAsync(EmulatedResourceType type, string? ns, string name)
    {
        if (!await AcceptsBodyAsync("application/merge-patch+json", "application/strategic-merge-patch+json").ConfigureAwait(false))
        {
            return;
        }

        var current = _api.Get(type.ApiVersion, type.Kind, ns ?? string.Empty, name);
        if (current is null)
        {
            await KubernetesStatus.NotFound(_context, type, name).ConfigureAwait(false);
            return;
        }

        if (await ReadObjectAsync(type).ConfigureAwait(false) is not { } patch)
        {
            return;
        }

        var patched = (JsonObject)JsonMergePatch.Apply(current, patch)!;
        // The precondition is the resourceVersion the patch carries, compared with the stored one.
        var expected = patch["metadata"]?["resourceVersion"]?.GetValue<string>();
        ((JsonObject)patched["metadata"]!)["resourceVersion"] = expected ?? current["metadata"]!["resourceVersion"]!.GetValue<string>();
        await StoreUpdateAsync(type, ns, name, current, patched).ConfigureAwait(false);
    }

    private async Task StoreUpdateAsync(EmulatedResourceType type, string? ns, string name, JsonObject current, JsonObject updated)
    {
        var metadata = updated["metadata"] as JsonObject ?? new JsonObject();
        var currentMetadata = (JsonObject)current["metadata"]!;
        if (metadata["resourceVersion"]?.GetValue<string>() is { } expected && expected != currentMetadata["resourceVersion"]!.GetValue<string>())
        {
            await KubernetesStatus.Conflict(_context, type, name).ConfigureAwait(false);
            return;
        }

        if (metadata["name"]?.GetValue<string>() is { } bodyName && bodyName != name)
        {
            await KubernetesStatus.BadRequest(_context, $"the name of the object ({bodyName}) does not match the name on the URL ({name})").ConfigureAwait(false);
            return;
        }

        metadata["uid"] = currentMetadata["uid"]!.DeepClone();
        metadata["creationTimestamp"] = currentMetadata["creationTimestamp"]!.DeepClone();
        updated["metadata"] = metadata;
        await WriteJson(200, _api.Upsert(type.ApiVersion, type.Kind, ns ?? string.Empty, name, updated)).ConfigureAwait(false);
    }

    private async Task DeleteAsync(EmulatedResourceType type, string? ns, string name)
    {
        var current = _api.Get(type.ApiVersion, type.Kind, ns ?? string.Empty, name);
        if (current is null || !_api.Delete(type.ApiVersion, type.Kind, ns ?? string.Empty, name))
        {
            await KubernetesStatus.NotFound(_context, type, name).ConfigureAwait(false);
            return;
        }

        await WriteJson(200, current).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the body's media type (its parameters, such as charset, aside) is one of <paramref name="mediaTypes"/>;
    /// otherwise writes the API server's 415 Status (it also serves YAML and protobuf, which clients of this module never send).
    /// </summary>
    private async Task<bool> AcceptsBodyAsync(params string[] mediaTypes)
    {
        var mediaType = (_context.Request.ContentType ?? string.Empty).Split(';')[0].Trim();
        if (mediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        await KubernetesStatus.Write(_context, 415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", mediaTypes)}").ConfigureAwait(false);
        return false;
    }

    /// <summary>Reads the request body as a JSON object of the right kind, or writes the 400 and returns null.</summary>
    private async Task<JsonObject?> ReadObjectAsync(EmulatedResourceType type)
    {
        if (HttpMethods.IsPost(_context.Request.Method) || HttpMethods.IsPut(_context.Request.Method))
        {
            if (!await AcceptsBodyAsync("application/json").ConfigureAwait(false))
            {
                return null;
            }
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(_context.Request.Body, cancellationToken: _context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await KubernetesStatus.BadRequest(_context, $"error decoding the request body: {e.Message}").ConfigureAwait(false);
            return null;
        }

        if (body is not JsonObject obj)
        {
            await KubernetesStatus.BadRequest(_context, "the request body must be a JSON object").ConfigureAwait(false);
            return null;
        }

        if (obj["kind"]?.GetValue<string>() is { } kind && kind != type.Kind)
        {
            await KubernetesStatus.BadRequest(_context, $"the kind of the object ({kind}) does not match the resource ({type.Kind})").ConfigureAwait(false);
            return null;
        }

        return obj;
    }

    private JsonObject VersionInfo()
    {
        var parts = _cluster.KubernetesVersion.Split('.');
        return new JsonObject
        {
            ["major"] = parts[0],
            ["minor"] = parts.Length > 1 ? parts[1] : "0",
            ["gitVersion"] = $"v{_cluster.KubernetesVersion}",
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2026-01-01T00:00:00Z",
            ["goVersion"] = "go1.22.5",
            ["compiler"] = "gc",
            ["platform"] = _api.Platform,
        };
    }

    private JsonObject GroupList()
    {
        var groups = _api.ResourceTypes
            .Where(t => t.Group.Length > 0)
            .GroupBy(t => t.Group)
            .Select(g =>
            {
                var versions = g.Select(t => t.Version).Distinct().ToArray();
                return (JsonNode)new JsonObject
                {
                    ["name"] = g.Key,
                    ["versions"] = new JsonArray(versions.Select(v => (JsonNode?)new JsonObject { ["groupVersion"] = $"{g.Key}/{v}", ["version"] = v }).ToArray()),
                    ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{g.Key}/{versions[0]}", ["version"] = versions[0] },
                };
            });
        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = new JsonArray(groups.ToArray()) };
    }

    private Task WriteResourceList(string group, string version)
    {
        var types = _api.ResourceTypes.Where(t => t.Group == group && t.Version == version).ToArray();
        if (types.Length == 0)
        {
            return KubernetesStatus.NoSuchResource(_context);
        }

        var resources = types.Select(t => (JsonNode?)new JsonObject
        {
            ["name"] = t.Plural,
            ["singularName"] = t.Kind.ToLowerInvariant(),
            ["namespaced"] = t.Namespaced,
            ["kind"] = t.Kind,
            ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update"),
        });
        return WriteJson(200, new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = new JsonArray(resources.ToArray()),
        });
    }

    private bool WantsPartialMetadata() =>
        _context.Request.Headers.Accept.Any(a => a is not null && a.Contains(PartialObjectMetadata, StringComparison.Ordinal));

    private static JsonObject ToPartialMetadata(JsonObject item) => new()
    {
        ["kind"] = "PartialObjectMetadata",
        ["apiVersion"] = "meta.k8s.io/v1",
        ["metadata"] = item["metadata"]!.DeepClone(),
    };

    private static JsonObject WithoutTypeMeta(JsonObject item)
    {
        item.Remove("kind");
        item.Remove("apiVersion");
        return item;
    }

    private static Dictionary<string, string> LabelsOf(JsonObject item) =>
        (item["metadata"]?["labels"] as JsonObject ?? new JsonObject())
            .Where(l => l.Value is JsonValue)
            .ToDictionary(l => l.Key, l => l.Value!.GetValue<string>(), StringComparer.Ordinal);

    private static int ParseContinue(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            return int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            return 0;
        }
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private Task WriteJson(int statusCode, JsonNode body) => KubernetesResponses.WriteJson(_context, statusCode, body);
}
