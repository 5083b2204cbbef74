using System.Text.Json.Nodes;
using AzMLK8s.Engine.Kubernetes.Models;
using AzMLK8s.Engine.Kubernetes.Transport;
using AzMLK8s.Model;
using k8s;
using k8s.Models;

namespace AzMLK8s.Engine.Kubernetes;

/// <summary>
/// The Kubernetes API calls the module makes, on the library's client (KubernetesClient, the Kubernetes project's .NET
/// client) and its typed objects; create it with <see cref="KubernetesConnector"/>. It adds the module's own rules:
/// lists read page by page, failures as <see cref="ModuleErrorException"/>s with the ErrorIds of
/// <see cref="KubernetesErrorIds"/> (cancellation stays an <see cref="OperationCanceledException"/>), and writes whose
/// outcome is unknown read back before they are sent again. Secret data is never requested.
/// </summary>
public sealed class KubernetesClient : IDisposable
{
    private const int PageSize = 500;
    private const int ConflictRetries = 3;
    private const string SccGroup = "security.openshift.io", SccVersion = "v1", SccPlural = "securitycontextconstraints";

    // client-go's metadata client: only the objects' metadata, or the whole objects from a server that cannot.
    private static readonly Dictionary<string, IReadOnlyList<string>> MetadataOnly = new() { ["Accept"] = ["application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1", "application/json"] };

    private readonly k8s.Kubernetes _api;
    private readonly int _maxAttempts;
    private readonly IDisposable? _credential;

    internal KubernetesClient(k8s.Kubernetes api, Uri server, string contextName, KubernetesClientOptions options, IDisposable? credential)
    {
        (_api, _maxAttempts, _credential) = (api, options.MaxAttempts, credential);
        (Server, ContextName) = (server, contextName);
    }

    /// <summary>The API server address from the kubeconfig.</summary>
    public Uri Server { get; }

    public string ContextName { get; }

    public Task<VersionInfo> GetVersionAsync(CancellationToken cancellationToken = default) =>
        CallAsync("get the server version", Server, c => _api.Version.GetCodeAsync(c), cancellationToken);

    public Task<V1Namespace> GetNamespaceAsync(string name, CancellationToken cancellationToken = default) =>
        CallAsync($"get Namespace '{name}'", $"Namespace '{name}'", c => _api.CoreV1.ReadNamespaceAsync(name, cancellationToken: c), cancellationToken);

    public async Task<bool> NamespaceExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetNamespaceAsync(name, cancellationToken).ConfigureAwait(false) is not null;
        }
        catch (ModuleErrorException e) when (e.Error.ErrorId == KubernetesErrorIds.NotFound)
        {
            return false;
        }
    }

    /// <summary>Creates a namespace; fails with <see cref="KubernetesErrorIds.AlreadyExists"/> when it exists.</summary>
    public Task<V1Namespace> CreateNamespaceAsync(string name, IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default)
    {
        var body = new V1Namespace { Metadata = new V1ObjectMeta { Name = name, Labels = labels?.ToDictionary(l => l.Key, l => l.Value) } };
        return CallAsync($"create Namespace '{name}'", $"Namespace '{name}'", c => _api.CoreV1.CreateNamespaceAsync(body, cancellationToken: c), cancellationToken);
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
                return attempt > 1; // after an unknown outcome, most likely our own create landed
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
            catch (ModuleErrorException e) when (KubernetesErrorMapper.MayHaveBeenApplied(e.Error) && attempt < _maxAttempts)
            {
            }
        }
    }

    // Nodes, pods, workloads and ConfigMaps; a null namespace lists every namespace.

    public Task<IReadOnlyList<V1Node>> ListNodesAsync(string? labelSelector = null, CancellationToken cancellationToken = default) =>
        ListAsync<V1NodeList, V1Node>("nodes", null, (next, c) => _api.CoreV1.ListNodeAsync(continueParameter: next, labelSelector: labelSelector, limit: PageSize, cancellationToken: c), cancellationToken);

    public Task<IReadOnlyList<V1Pod>> ListPodsAsync(string? ns, string? labelSelector = null, CancellationToken cancellationToken = default) =>
        ListAsync<V1PodList, V1Pod>("pods", ns, (next, c) => ns is null
            ? _api.CoreV1.ListPodForAllNamespacesAsync(continueParameter: next, labelSelector: labelSelector, limit: PageSize, cancellationToken: c)
            : _api.CoreV1.ListNamespacedPodAsync(ns, continueParameter: next, labelSelector: labelSelector, limit: PageSize, cancellationToken: c), cancellationToken);

    public async Task<IReadOnlyList<KubernetesWorkload>> ListWorkloadsAsync(KubernetesWorkloadKind kind, string? ns, CancellationToken cancellationToken = default) => kind switch
    {
        KubernetesWorkloadKind.Deployment => (await ListAppsAsync<V1DeploymentList, V1Deployment>(kind, ns, null, cancellationToken).ConfigureAwait(false)).Select(KubernetesWorkload.From).ToArray(),
        KubernetesWorkloadKind.DaemonSet => (await ListAppsAsync<V1DaemonSetList, V1DaemonSet>(kind, ns, null, cancellationToken).ConfigureAwait(false)).Select(KubernetesWorkload.From).ToArray(),
        _ => (await ListAppsAsync<V1StatefulSetList, V1StatefulSet>(kind, ns, null, cancellationToken).ConfigureAwait(false)).Select(KubernetesWorkload.From).ToArray(),
    };

    /// <summary>
    /// The names of every workload of a kind (all namespaces when <paramref name="ns"/> is null), read as metadata only:
    /// no pod template crosses the wire or is read, which on a busy cluster is most of each object.
    /// </summary>
    public async Task<IReadOnlyList<KubernetesWorkloadName>> ListWorkloadNamesAsync(KubernetesWorkloadKind kind, string? ns, CancellationToken cancellationToken = default) =>
        (await ListAppsAsync<KubernetesList<PartialObjectMetadata>, PartialObjectMetadata>(kind, ns, MetadataOnly, cancellationToken).ConfigureAwait(false))
            .Select(o => new KubernetesWorkloadName(kind, o.Name(), o.Namespace())).ToArray();

    public Task<V1ConfigMap> GetConfigMapAsync(string ns, string name, CancellationToken cancellationToken = default) =>
        CallAsync($"get ConfigMap '{ns}/{name}'", $"ConfigMap '{ns}/{name}'", c => _api.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: c), cancellationToken);

    /// <summary>Whether the server serves an API group version, e.g. ("security.openshift.io", "v1") on OpenShift.</summary>
    public async Task<bool> IsApiGroupVersionServedAsync(string group, string version, CancellationToken cancellationToken = default) =>
        ((await CallAsync($"discover {group}/{version}", $"{group}/{version}", c => _api.Apis.GetAPIVersionsAsync(c), cancellationToken).ConfigureAwait(false)).Groups ?? [])
            .Any(g => g.Name == group && (g.Versions ?? []).Any(v => v.Version == version));

    // OpenShift SecurityContextConstraints, through the library's custom objects API

    public Task<SecurityContextConstraints> GetSecurityContextConstraintsAsync(string name, CancellationToken cancellationToken = default) =>
        CallAsync($"get SecurityContextConstraints '{name}'", $"SecurityContextConstraints '{name}'",
            c => _api.CustomObjects.GetClusterCustomObjectAsync<SecurityContextConstraints>(SccGroup, SccVersion, SccPlural, name, c), cancellationToken);

    /// <summary>
    /// Adds a user (e.g. <see cref="SecurityContextConstraints.ServiceAccountUser"/>) to an SCC's users, like
    /// 'oc adm policy add-scc-to-user'; false when it was there already. The merge patch carries the resourceVersion it
    /// was computed from, so a concurrent change is retried instead of lost; a patch whose outcome is unknown
    /// (connection dropped, timeout, 5xx) is resolved by reading the SCC again.
    /// </summary>
    public async Task<bool> AddUserToSecurityContextConstraintsAsync(string name, string user, CancellationToken cancellationToken = default)
    {
        var patchMayHaveLanded = false;
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetSecurityContextConstraintsAsync(name, cancellationToken).ConfigureAwait(false);
            var users = current.Users ?? [];
            if (users.Contains(user, StringComparer.Ordinal))
            {
                return patchMayHaveLanded;
            }

            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = current.Metadata?.ResourceVersion },
                ["users"] = new JsonArray(users.Append(user).Select(u => (JsonNode?)JsonValue.Create(u)).ToArray()),
            };
            try
            {
                await CallAsync($"add '{user}' to SecurityContextConstraints '{name}'", name, c => _api.CustomObjects.PatchClusterCustomObjectAsync<SecurityContextConstraints>(
                    new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), SccGroup, SccVersion, SccPlural, name, cancellationToken: c), cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (ModuleErrorException e) when (e.Error.ErrorId == KubernetesErrorIds.Conflict && attempt < ConflictRetries)
            {
                // Someone else changed the SCC between our read and our patch: read it again.
            }
            catch (ModuleErrorException e) when (KubernetesErrorMapper.MayHaveBeenApplied(e.Error) && attempt < _maxAttempts)
            {
                patchMayHaveLanded = true;
            }
        }
    }

    public void Dispose()
    {
        _api.Dispose();
        _credential?.Dispose();
    }

    // apps/v1 objects through the library's custom objects API, whose one generic call serves every kind and any Accept.
    private Task<IReadOnlyList<T>> ListAppsAsync<TList, T>(KubernetesWorkloadKind kind, string? ns, IReadOnlyDictionary<string, IReadOnlyList<string>>? headers, CancellationToken cancellationToken)
        where TList : IItems<T>, IMetadata<V1ListMeta>
    {
        var (objects, plural) = (_api.CustomObjects, $"{kind.ToString().ToLowerInvariant()}s");
        return ListAsync<TList, T>(plural, ns, async (next, c) =>
        {
            using var page = ns is null
                ? await objects.ListCustomObjectForAllNamespacesWithHttpMessagesAsync<TList>(
                    "apps", "v1", plural, continueParameter: next, limit: PageSize, customHeaders: headers, cancellationToken: c).ConfigureAwait(false)
                : await objects.ListNamespacedCustomObjectWithHttpMessagesAsync<TList>(
                    "apps", "v1", ns, plural, continueParameter: next, limit: PageSize, customHeaders: headers, cancellationToken: c).ConfigureAwait(false);
            return page.Body;
        }, cancellationToken);
    }

    /// <summary>Every page of a list: the server hands out at most <see cref="PageSize"/> items and a continue token.</summary>
    private async Task<IReadOnlyList<T>> ListAsync<TList, T>(string plural, string? ns, Func<string?, CancellationToken, Task<TList>> page, CancellationToken cancellationToken)
        where TList : IItems<T>, IMetadata<V1ListMeta>
    {
        var operation = ns is null ? $"list {plural}" : $"list {plural} in namespace '{ns}'";
        var (items, next) = (new List<T>(), (string?)null);
        do
        {
            var list = await CallAsync(operation, plural, c => page(next, c), cancellationToken).ConfigureAwait(false);
            items.AddRange(list.Items ?? []);
            next = list.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));

        return items;
    }

    private async Task<T> CallAsync<T>(string operation, object? target, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (KubernetesErrorMapper.Map(e, operation, Server, target) is { } error)
        {
            throw new ModuleErrorException(error);
        }
    }
}
