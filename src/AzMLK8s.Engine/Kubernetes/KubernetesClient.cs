using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AzMLK8s.Engine.Kubernetes.Kubeconfig;
using AzMLK8s.Engine.Kubernetes.Models;
using AzMLK8s.Engine.Kubernetes.Transport;
using AzMLK8s.Model;

namespace AzMLK8s.Engine.Kubernetes;

/// <summary>
/// A small typed client for the Kubernetes API calls the module needs. Create it with <see cref="KubernetesConnector"/>.
/// Failures are <see cref="ModuleErrorException"/>s with the ErrorIds of <see cref="KubernetesErrorIds"/>; cancellation
/// surfaces as <see cref="OperationCanceledException"/>. Secret data is never requested or kept.
/// </summary>
public sealed class KubernetesClient : IDisposable
{
    private const string JsonMediaType = "application/json";
    private const string MergePatchMediaType = "application/merge-patch+json";
    private const int PageSize = 500;
    private const int ConflictRetries = 3;

    // Asks for metadata only, so Secret data never crosses the wire (plain JSON as fallback for old servers).
    private const string PartialMetadataAccept = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";
    private const string PartialMetadataListAccept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

    private static readonly string UserAgent = $"AzMLK8s/{typeof(KubernetesClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}";

    private readonly KubernetesConnection _connection;
    private readonly KubernetesClientOptions _options;
    private readonly KubernetesRetryPolicy _retryPolicy;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<(string Group, string Version, string Kind), KubernetesResourceType> _discovered = new();

    internal KubernetesClient(KubernetesConnection connection, KubernetesClientOptions options, HttpMessageHandler? handler = null)
    {
        _connection = connection;
        _options = options;
        _retryPolicy = new KubernetesRetryPolicy(options);
        _http = new HttpClient(handler ?? KubernetesHttpHandlerFactory.Create(connection), disposeHandler: true)
        {
            BaseAddress = connection.Server,
            // Each request has its own timeout (see SendAsync) so a timeout can be told apart from a cancellation.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The API server address from the kubeconfig.</summary>
    public Uri Server => _connection.Server;

    public string ContextName => _connection.ContextName;

    /// <summary>The kubeconfig context's namespace, if it sets one.</summary>
    public string? DefaultNamespace => _connection.DefaultNamespace;

    public async Task<KubernetesVersionInfo> GetVersionAsync(CancellationToken cancellationToken = default)
    {
        using var document = await SendAsync(HttpMethod.Get, "version", "get the server version", null, null, JsonMediaType, cancellationToken).ConfigureAwait(false);
        return KubernetesVersionInfo.FromJson(document!.RootElement);
    }

    // Namespaces

    public Task<KubernetesNamespace> GetNamespaceAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync(KubernetesResourceType.Namespaces, null, name, KubernetesNamespace.FromJson, cancellationToken);

    public async Task<bool> NamespaceExistsAsync(string name, CancellationToken cancellationToken = default) =>
        await FindAsync(KubernetesResourceType.Namespaces, null, name, KubernetesNamespace.FromJson, JsonMediaType, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Creates a namespace; fails with <see cref="KubernetesErrorIds.AlreadyExists"/> when it exists.</summary>
    public Task<KubernetesNamespace> CreateNamespaceAsync(string name, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (labels is { Count: > 0 })
        {
            metadata["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value))));
        }

        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = metadata };
        return CreateAsync(KubernetesResourceType.Namespaces, null, name, body, KubernetesNamespace.FromJson, cancellationToken);
    }

    /// <summary>
    /// Creates a namespace unless it exists; true when it was missing before this call. A create whose outcome is
    /// unknown (connection dropped, timeout, 5xx) is not sent again blindly: the namespace is read back first, and
    /// created again only when it is still missing. A namespace created meanwhile by someone else is fine.
    /// </summary>
    public async Task<bool> EnsureNamespaceAsync(string name, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await NamespaceExistsAsync(name, cancellationToken).ConfigureAwait(false))
            {
                // After an unknown outcome, most likely our own create landed.
                return attempt > 1;
            }

            try
            {
                await CreateNamespaceAsync(name, labels, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (ModuleErrorException e) when (e.Error.ErrorId == KubernetesErrorIds.AlreadyExists)
            {
                return false;
            }
            catch (ModuleErrorException e) when (TransientFailure.MayHaveBeenApplied(e.Error) && attempt < _options.MaxAttempts)
            {
            }
        }
    }

    // Nodes and pods

    public Task<IReadOnlyList<KubernetesNode>> ListNodesAsync(string? labelSelector = null, CancellationToken cancellationToken = default) =>
        ListAsync(KubernetesResourceType.Nodes, null, labelSelector, KubernetesNode.FromJson, JsonMediaType, cancellationToken);

    /// <param name="ns">The namespace; null lists the pods of every namespace.</param>
    public Task<IReadOnlyList<KubernetesPod>> ListPodsAsync(string? ns, string? labelSelector = null, CancellationToken cancellationToken = default) =>
        ListAsync(KubernetesResourceType.Pods, ns, labelSelector, KubernetesPod.FromJson, JsonMediaType, cancellationToken);

    // Workloads

    public Task<KubernetesWorkload> GetWorkloadAsync(KubernetesWorkloadKind kind, string ns, string name, CancellationToken cancellationToken = default) =>
        GetAsync(WorkloadType(kind), ns, name, item => KubernetesWorkload.FromJson(item, kind), cancellationToken);

    /// <param name="ns">The namespace; null lists every namespace.</param>
    public Task<IReadOnlyList<KubernetesWorkload>> ListWorkloadsAsync(KubernetesWorkloadKind kind, string? ns, string? labelSelector = null, CancellationToken cancellationToken = default) =>
        ListAsync(WorkloadType(kind), ns, labelSelector, item => KubernetesWorkload.FromJson(item, kind), JsonMediaType, cancellationToken);

    // ConfigMaps and Secrets

    public Task<KubernetesConfigMap> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken = default) =>
        GetAsync(KubernetesResourceType.ConfigMaps, ns, name, KubernetesConfigMap.FromJson, cancellationToken);

    public Task<IReadOnlyList<KubernetesConfigMap>> ListConfigMapsAsync(string? ns, string? labelSelector = null, CancellationToken cancellationToken = default) =>
        ListAsync(KubernetesResourceType.ConfigMaps, ns, labelSelector, KubernetesConfigMap.FromJson, JsonMediaType, cancellationToken);

    /// <summary>Whether a Secret exists. Only its metadata is requested; its data is never read.</summary>
    public async Task<bool> SecretExistsAsync(string ns, string name, CancellationToken cancellationToken = default) =>
        await FindAsync(KubernetesResourceType.Secrets, ns, name, KubernetesObjectMetadata.FromJson, PartialMetadataAccept, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>The Secrets' metadata (names, labels). Their data is never requested.</summary>
    public Task<IReadOnlyList<KubernetesObjectMetadata>> ListSecretsAsync(string? ns, string? labelSelector = null, CancellationToken cancellationToken = default) =>
        ListAsync(KubernetesResourceType.Secrets, ns, labelSelector, KubernetesObjectMetadata.FromJson, PartialMetadataListAccept, cancellationToken);

    // API discovery

    /// <summary>Whether the server serves a group/version, e.g. ("security.openshift.io", "v1") on OpenShift.</summary>
    public async Task<bool> IsApiGroupVersionServedAsync(string group, string version, CancellationToken cancellationToken = default)
    {
        using var document = await SendAsync(HttpMethod.Get, KubernetesResourceType.GroupVersionPath(group, version),
            $"discover {group}/{version}", $"{group}/{version}", null, JsonMediaType, cancellationToken, notFoundIsNull: true).ConfigureAwait(false);
        return document is not null;
    }

    // OpenShift SecurityContextConstraints

    public Task<SecurityContextConstraints> GetSecurityContextConstraintsAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync(KubernetesResourceType.SecurityContextConstraints, null, name, SecurityContextConstraints.FromJson, cancellationToken);

    public Task<IReadOnlyList<SecurityContextConstraints>> ListSecurityContextConstraintsAsync(CancellationToken cancellationToken = default) =>
        ListAsync(KubernetesResourceType.SecurityContextConstraints, null, null, SecurityContextConstraints.FromJson, JsonMediaType, cancellationToken);

    /// <summary>
    /// Adds a user (e.g. <see cref="SecurityContextConstraints.ServiceAccountUser"/>) to an SCC's users, like
    /// 'oc adm policy add-scc-to-user'. Returns false when it was there already. The merge patch carries the
    /// resourceVersion it was computed from, so a concurrent change is retried instead of lost; a patch whose outcome is
    /// unknown (connection dropped, timeout, 5xx) is resolved by reading the SCC again.
    /// </summary>
    public async Task<bool> AddUserToSecurityContextConstraintsAsync(string name, string user, CancellationToken cancellationToken = default)
    {
        var type = KubernetesResourceType.SecurityContextConstraints;
        var patchMayHaveLanded = false;
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetSecurityContextConstraintsAsync(name, cancellationToken).ConfigureAwait(false);
            if (current.Users.Contains(user, StringComparer.Ordinal))
            {
                return patchMayHaveLanded;
            }

            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = current.Metadata.ResourceVersion },
                ["users"] = new JsonArray(current.Users.Append(user).Select(u => (JsonNode?)JsonValue.Create(u)).ToArray()),
            };
            try
            {
                using var patched = await SendAsync(HttpMethod.Patch, type.ItemPath(null, name), $"add '{user}' to {type.Describe(null, name)}", name,
                    () => new StringContent(patch.ToJsonString(), Encoding.UTF8, MergePatchMediaType), JsonMediaType, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (ModuleErrorException e) when (e.Error.ErrorId == KubernetesErrorIds.Conflict && attempt < ConflictRetries)
            {
                // Someone else changed the SCC between our read and our patch: read it again.
            }
            catch (ModuleErrorException e) when (TransientFailure.MayHaveBeenApplied(e.Error) && attempt < _options.MaxAttempts)
            {
                patchMayHaveLanded = true;
            }
        }
    }

    // Custom resources

    /// <param name="ns">The namespace for namespaced kinds; ignored for cluster-scoped kinds.</param>
    public async Task<KubernetesObject> GetCustomObjectAsync(string group, string version, string kind, string? ns, string name, CancellationToken cancellationToken = default)
    {
        var type = await DiscoverAsync(group, version, kind, cancellationToken).ConfigureAwait(false);
        return await GetAsync(type, type.Namespaced ? ns : null, name, item => KubernetesObject.FromJson(item, type.ApiVersion, kind), cancellationToken).ConfigureAwait(false);
    }

    /// <param name="ns">The namespace; null lists every namespace (and is the only choice for cluster-scoped kinds).</param>
    public async Task<IReadOnlyList<KubernetesObject>> ListCustomObjectsAsync(string group, string version, string kind, string? ns, string? labelSelector = null, CancellationToken cancellationToken = default)
    {
        var type = await DiscoverAsync(group, version, kind, cancellationToken).ConfigureAwait(false);
        return await ListAsync(type, type.Namespaced ? ns : null, labelSelector, item => KubernetesObject.FromJson(item, type.ApiVersion, kind), JsonMediaType, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _http.Dispose();
        _connection.Dispose();
    }

    private static KubernetesResourceType WorkloadType(KubernetesWorkloadKind kind) => kind switch
    {
        KubernetesWorkloadKind.Deployment => KubernetesResourceType.Deployments,
        KubernetesWorkloadKind.DaemonSet => KubernetesResourceType.DaemonSets,
        KubernetesWorkloadKind.StatefulSet => KubernetesResourceType.StatefulSets,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private async Task<KubernetesResourceType> DiscoverAsync(string group, string version, string kind, CancellationToken cancellationToken)
    {
        if (_discovered.TryGetValue((group, version, kind), out var known))
        {
            return known;
        }

        var groupVersion = string.IsNullOrEmpty(group) ? version : $"{group}/{version}";
        using var document = await SendAsync(HttpMethod.Get, KubernetesResourceType.GroupVersionPath(group, version),
            $"discover the resources of {groupVersion}", groupVersion, null, JsonMediaType, cancellationToken).ConfigureAwait(false);
        var resource = document!.RootElement.Array("resources")
            .FirstOrDefault(r => r.String("kind") == kind && r.String("name") is { } plural && !plural.Contains('/'));
        if (resource.ValueKind != JsonValueKind.Object)
        {
            throw new ModuleErrorException(new ModuleError(KubernetesErrorIds.NotFound, ErrorKind.ObjectNotFound,
                $"Kubernetes API {Server}: {groupVersion} has no kind '{kind}'.")
            {
                RecommendedAction = $"Check that the custom resource definition for {kind} is installed ('kubectl api-resources --api-group={group}').",
                TargetObject = $"{groupVersion}/{kind}",
            });
        }

        var type = new KubernetesResourceType(group, version, resource.String("name")!, kind, resource.Bool("namespaced"));
        _discovered[(group, version, kind)] = type;
        return type;
    }

    private async Task<T> GetAsync<T>(KubernetesResourceType type, string? ns, string name, Func<JsonElement, T> parse, CancellationToken cancellationToken)
    {
        using var document = await SendAsync(HttpMethod.Get, type.ItemPath(ns, name), $"get {type.Describe(ns, name)}", type.Describe(ns, name),
            null, JsonMediaType, cancellationToken).ConfigureAwait(false);
        return Parse(document!, parse, $"get {type.Describe(ns, name)}");
    }

    private async Task<T?> FindAsync<T>(KubernetesResourceType type, string? ns, string name, Func<JsonElement, T> parse, string accept, CancellationToken cancellationToken)
        where T : class
    {
        using var document = await SendAsync(HttpMethod.Get, type.ItemPath(ns, name), $"get {type.Describe(ns, name)}", type.Describe(ns, name),
            null, accept, cancellationToken, notFoundIsNull: true).ConfigureAwait(false);
        return document is null ? null : Parse(document, parse, $"get {type.Describe(ns, name)}");
    }

    private async Task<T> CreateAsync<T>(KubernetesResourceType type, string? ns, string name, JsonObject body, Func<JsonElement, T> parse, CancellationToken cancellationToken)
    {
        var operation = $"create {type.Describe(ns, name)}";
        using var document = await SendAsync(HttpMethod.Post, type.CollectionPath(ns), operation, type.Describe(ns, name),
            () => new StringContent(body.ToJsonString(), Encoding.UTF8, JsonMediaType), JsonMediaType, cancellationToken).ConfigureAwait(false);
        return Parse(document!, parse, operation);
    }

    private async Task<IReadOnlyList<T>> ListAsync<T>(KubernetesResourceType type, string? ns, string? labelSelector, Func<JsonElement, T> parse, string accept, CancellationToken cancellationToken)
    {
        var operation = ns is null || !type.Namespaced ? $"list {type.Plural}" : $"list {type.Plural} in namespace '{ns}'";
        var items = new List<T>();
        string? continueToken = null;
        do
        {
            var query = new List<string> { $"limit={PageSize}" };
            if (!string.IsNullOrEmpty(labelSelector))
            {
                query.Add($"labelSelector={Uri.EscapeDataString(labelSelector)}");
            }

            if (continueToken is not null)
            {
                query.Add($"continue={Uri.EscapeDataString(continueToken)}");
            }

            using var document = await SendAsync(HttpMethod.Get, $"{type.CollectionPath(ns)}?{string.Join('&', query)}", operation, type.Plural,
                null, accept, cancellationToken).ConfigureAwait(false);
            items.AddRange(Parse(document!, root => root.Array("items").Select(parse).ToArray(), operation));
            continueToken = document!.RootElement.String("metadata", "continue");
        }
        while (!string.IsNullOrEmpty(continueToken));

        return items;
    }

    private T Parse<T>(JsonDocument document, Func<JsonElement, T> parse, string operation)
    {
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new ModuleErrorException(KubernetesErrorMapper.UnexpectedBody(operation, Server, new JsonException("The body is not a JSON object.")));
        }

        return parse(document.RootElement);
    }

    /// <summary>
    /// Sends one API request with the user's credentials, retrying once with fresh credentials after a 401 when the
    /// credential can be refreshed (exec plugin, token file, Entra ID), and after transient failures as
    /// <see cref="KubernetesRetryPolicy"/> allows. Returns null for 404 when asked to.
    /// </summary>
    private async Task<JsonDocument?> SendAsync(
        HttpMethod method,
        string path,
        string operation,
        object? target,
        Func<HttpContent>? content,
        string accept,
        CancellationToken cancellationToken,
        bool notFoundIsNull = false)
    {
        var attempt = 1;
        var credentialRefreshed = false;
        while (true)
        {
            var authentication = await _connection.Credential.GetAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(method, path) { Content = content?.Invoke() };
            request.Headers.Accept.ParseAdd(accept);
            request.Headers.UserAgent.ParseAdd(UserAgent);
            if (authentication.BearerToken is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            var status = default(HttpStatusCode);
            var body = string.Empty;
            ModuleError? failure = null;
            TimeSpan? retryDelay;
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                status = response.StatusCode;
                body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                retryDelay = _retryPolicy.DelayAfterResponse(method, response, attempt);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // No answer within the timeout is an answer: a black-holed server (a private cluster seen from outside
                // its network) would otherwise cost every attempt's full timeout.
                failure = KubernetesErrorMapper.Timeout(operation, Server, _options.RequestTimeout);
                retryDelay = null;
            }
            catch (HttpRequestException e)
            {
                failure = KubernetesErrorMapper.FromTransportFailure(e, operation, Server);
                retryDelay = TransientFailure.IsTransient(e) ? _retryPolicy.DelayAfterFailure(method, attempt) : null;
            }

            if (failure is null && status == HttpStatusCode.Unauthorized && !credentialRefreshed && _connection.Credential.Invalidate())
            {
                credentialRefreshed = true;
                continue;
            }

            if (retryDelay is { } delay)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                attempt++;
                continue;
            }

            if (failure is not null)
            {
                throw new ModuleErrorException(WithRetries(failure, attempt));
            }

            if (status == HttpStatusCode.NotFound && notFoundIsNull)
            {
                return null;
            }

            if ((int)status is < 200 or > 299)
            {
                throw new ModuleErrorException(WithRetries(KubernetesErrorMapper.FromResponse(status, body, operation, Server, target), attempt));
            }

            try
            {
                return JsonDocument.Parse(body);
            }
            catch (JsonException e)
            {
                throw new ModuleErrorException(KubernetesErrorMapper.UnexpectedBody(operation, Server, e));
            }
        }
    }

    private static ModuleError WithRetries(ModuleError error, int attempts) =>
        attempts == 1 ? error : error with { Message = $"{error.Message} (retried {attempts - 1} {(attempts == 2 ? "time" : "times")})" };
}
