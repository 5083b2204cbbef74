using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Engine.Kubernetes.Models;
using AzMLK8s.Model.Prerequisites;
using k8s.Models;

namespace AzMLK8s.Engine.Operations.Prerequisites;

/// <summary>
/// The checks answered by the cluster's Kubernetes API: capacity for the inference router, components the extension
/// would install twice (NVIDIA device plugin, Prometheus operator, Volcano), a leftover AKS v1 azureml-fe, the compute
/// namespace, and OpenShift's SCC grants. The extension's own release namespace is never counted as a conflict.
/// </summary>
internal sealed class ClusterPrerequisiteChecks
{
    public const int HighAvailabilityNodes = 3;

    public static readonly string[] Names =
    {
        PrerequisiteCheckNames.SchedulableNodes, PrerequisiteCheckNames.NvidiaDevicePlugin, PrerequisiteCheckNames.PrometheusOperator,
        PrerequisiteCheckNames.Volcano, PrerequisiteCheckNames.LegacyAzureMlFe, PrerequisiteCheckNames.ComputeNamespace, PrerequisiteCheckNames.OpenShift,
    };

    private readonly KubernetesClient _client;
    private readonly PrerequisiteRequest _request;
    private IReadOnlyList<KubernetesWorkloadName>? _workloads;

    public ClusterPrerequisiteChecks(KubernetesClient client, PrerequisiteRequest request)
    {
        _client = client;
        _request = request;
    }

    private string Target => _request.Cluster.ResourceId;

    private string ExtensionFix(string setting) =>
        $"New-AzMLK8sExtension {_request.ClusterArgument} -ConfigurationSetting @{{ {setting} = 'False' }}";

    public async Task<IReadOnlyList<AzMLK8sPrerequisiteCheck>> RunAsync(CancellationToken cancellationToken)
    {
        var checks = new List<AzMLK8sPrerequisiteCheck>
        {
            await SchedulableNodesAsync(cancellationToken).ConfigureAwait(false),
            await ExistingComponentAsync(PrerequisiteCheckNames.NvidiaDevicePlugin, "An NVIDIA device plugin", KubernetesWorkloadKind.DaemonSet, "nvidia-device-plugin", "installNvidiaDevicePlugin", cancellationToken).ConfigureAwait(false),
            await ExistingComponentAsync(PrerequisiteCheckNames.PrometheusOperator, "A Prometheus operator", KubernetesWorkloadKind.Deployment, "prometheus-operator", "installPromOp", cancellationToken).ConfigureAwait(false),
            await ExistingComponentAsync(PrerequisiteCheckNames.Volcano, "Volcano", KubernetesWorkloadKind.Deployment, "volcano-", "installVolcano", cancellationToken).ConfigureAwait(false),
            await LegacyAzureMlFeAsync(cancellationToken).ConfigureAwait(false),
        };
        if (_request.ComputeNamespace is not null)
        {
            checks.Add(await ComputeNamespaceAsync(_request.ComputeNamespace, cancellationToken).ConfigureAwait(false));
        }

        checks.Add(await OpenShiftAsync(cancellationToken).ConfigureAwait(false));
        return checks;
    }

    /// <summary>Every check of this class as Skipped, with why the API could not be used.</summary>
    public static IReadOnlyList<AzMLK8sPrerequisiteCheck> Skipped(PrerequisiteRequest request, string reason) =>
        Names.Where(n => n != PrerequisiteCheckNames.ComputeNamespace || request.ComputeNamespace is not null)
            .Select(n => new AzMLK8sPrerequisiteCheck { Name = n, Status = PrerequisiteStatus.Skipped, Target = request.Cluster.ResourceId, Detail = reason })
            .ToArray();

    private async Task<AzMLK8sPrerequisiteCheck> SchedulableNodesAsync(CancellationToken cancellationToken)
    {
        var nodes = await _client.ListNodesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var matching = nodes.Where(n => n.IsSchedulable() && _request.NodeSelector.All(s => n.Labels()?.TryGetValue(s.Key, out var v) == true && v == s.Value)).ToArray();
        var selector = _request.NodeSelector.Count == 0 ? string.Empty : $" matching nodeSelector {string.Join(",", _request.NodeSelector.Select(s => $"{s.Key}={s.Value}"))}";
        var detail = $"{matching.Length} of {nodes.Count} node(s) are schedulable{selector}.";
        if (matching.Length >= HighAvailabilityNodes || (_request.EnableInference && !_request.InferenceRouterHA))
        {
            return Check(PrerequisiteCheckNames.SchedulableNodes, PrerequisiteStatus.Pass, detail);
        }

        var status = _request.EnableInference ? PrerequisiteStatus.Fail : PrerequisiteStatus.Warn;
        return Check(PrerequisiteCheckNames.SchedulableNodes, status,
            $"{detail} The highly available inference router (inferenceRouterHA, the default) puts {HighAvailabilityNodes} azureml-fe replicas on different nodes; with fewer, inference deployment fails (E40002).",
            ExtensionFix("inferenceRouterHA"));
    }

    private async Task<AzMLK8sPrerequisiteCheck> ExistingComponentAsync(string name, string what, KubernetesWorkloadKind kind, string namePart, string setting, CancellationToken cancellationToken)
    {
        var found = (await WorkloadsAsync(cancellationToken).ConfigureAwait(false))
            .Where(w => w.Kind == kind && w.Name.Contains(namePart, StringComparison.OrdinalIgnoreCase) && !IsExtensionOwned(w))
            .ToArray();
        if (found.Length == 0)
        {
            return Check(name, PrerequisiteStatus.Pass, $"{what} is not installed; the extension can install its own.");
        }

        return Check(name, PrerequisiteStatus.Warn,
            $"{what} is already installed ({string.Join(", ", found.Select(w => w.ToString()))}); installing a second one fails the extension. Deploy it with {setting}=False.",
            ExtensionFix(setting));
    }

    private async Task<AzMLK8sPrerequisiteCheck> LegacyAzureMlFeAsync(CancellationToken cancellationToken)
    {
        var legacy = (await WorkloadsAsync(cancellationToken).ConfigureAwait(false))
            .Where(w => w.Kind == KubernetesWorkloadKind.Deployment && w.Name.StartsWith("azureml-fe", StringComparison.OrdinalIgnoreCase) && !IsExtensionOwned(w))
            .ToArray();
        if (legacy.Length == 0)
        {
            return Check(PrerequisiteCheckNames.LegacyAzureMlFe, PrerequisiteStatus.Pass, "No azureml-fe from AKS v1 inference is left in the cluster.");
        }

        var first = legacy[0];
        return Check(PrerequisiteCheckNames.LegacyAzureMlFe, PrerequisiteStatus.Fail,
            $"A legacy azureml-fe (AKS v1 inference) is deployed ({string.Join(", ", legacy.Select(w => w.ToString()))}); the extension's router conflicts with it (E45004/E45005). Remove it and its service account, roles, service, secrets and config maps.",
            $"kubectl delete deployment {first.Name} --namespace {first.Namespace}");
    }

    private async Task<AzMLK8sPrerequisiteCheck> ComputeNamespaceAsync(string ns, CancellationToken cancellationToken) =>
        await _client.NamespaceExistsAsync(ns, cancellationToken).ConfigureAwait(false)
            ? Check(PrerequisiteCheckNames.ComputeNamespace, PrerequisiteStatus.Pass, $"Namespace '{ns}' exists.")
            : Check(PrerequisiteCheckNames.ComputeNamespace, PrerequisiteStatus.Fail, $"Namespace '{ns}' does not exist; the compute's jobs and endpoints cannot run there.", $"kubectl create namespace {ns}");

    private async Task<AzMLK8sPrerequisiteCheck> OpenShiftAsync(CancellationToken cancellationToken)
    {
        if (!await _client.IsApiGroupVersionServedAsync("security.openshift.io", "v1", cancellationToken).ConfigureAwait(false))
        {
            return Check(PrerequisiteCheckNames.OpenShift, PrerequisiteStatus.Pass, "Not an OpenShift cluster: no SecurityContextConstraints grants are needed.");
        }

        var scc = await _client.GetSecurityContextConstraintsAsync(OpenShiftServiceAccounts.PrivilegedScc, cancellationToken).ConfigureAwait(false);
        var ns = _request.ComputeNamespace ?? "default";
        var missing = OpenShiftServiceAccounts.For(_request.ExtensionName, ns).Except(scc.Users ?? [], StringComparer.Ordinal).ToArray();
        if (missing.Length == 0)
        {
            return Check(PrerequisiteCheckNames.OpenShift, PrerequisiteStatus.Pass, "OpenShift: every AzureML service account may use the privileged SCC. Deploy the extension with openshift=True.");
        }

        return Check(PrerequisiteCheckNames.OpenShift, PrerequisiteStatus.Fail,
            $"OpenShift: {missing.Length} AzureML service account(s) may not use the privileged SCC: {string.Join(", ", missing)}.",
            $"Grant-AzMLK8sOpenShiftAccess {_request.ClusterArgument} -ExtensionName {_request.ExtensionName} -Namespace {ns}");
    }

    private async Task<IReadOnlyList<KubernetesWorkloadName>> WorkloadsAsync(CancellationToken cancellationToken)
    {
        if (_workloads is null)
        {
            var all = new List<KubernetesWorkloadName>();
            foreach (var kind in new[] { KubernetesWorkloadKind.Deployment, KubernetesWorkloadKind.DaemonSet })
            {
                all.AddRange(await _client.ListWorkloadNamesAsync(kind, null, cancellationToken).ConfigureAwait(false));
            }

            _workloads = all;
        }

        return _workloads;
    }

    private static bool IsExtensionOwned(KubernetesWorkloadName workload) =>
        string.Equals(workload.Namespace, OpenShiftServiceAccounts.ReleaseNamespace, StringComparison.Ordinal);

    private AzMLK8sPrerequisiteCheck Check(string name, PrerequisiteStatus status, string detail, string? fix = null) =>
        new() { Name = name, Status = status, Target = Target, Detail = detail, Fix = status is PrerequisiteStatus.Pass ? null : fix };
}
