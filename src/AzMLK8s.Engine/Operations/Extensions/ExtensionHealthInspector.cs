using System.Text.RegularExpressions;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Engine.Kubernetes.Models;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Settings;
using AzMLK8s.Model;
using AzMLK8s.Model.Extensions;
using AzMLK8s.Model.Prerequisites;
using k8s.Models;

namespace AzMLK8s.Engine.Operations.Extensions;

/// <summary>
/// Test-AzMLK8sExtension: the extension's Azure state and messages, and in the cluster (when its API is reachable)
/// the expected workloads, the pods that are not running, and the health check's error codes as cause and fix.
/// </summary>
public sealed partial class ExtensionHealthInspector
{
    public const string HealthCheckConfigMap = "arcml-healthcheck";
    private const int ProgressActivityId = 4711;

    private readonly ArmConnection _connection;
    private readonly ExtensionLifecycle _lifecycle;

    public ExtensionHealthInspector(ArmConnection connection)
    {
        _connection = connection;
        _lifecycle = new ExtensionLifecycle(connection);
    }

    /// <summary>One report.</summary>
    public async Task<AzMLK8sExtensionHealth> InspectAsync(ClusterReference cluster, string name, KubernetesAccessOptions? access, CancellationToken cancellationToken)
    {
        KubernetesWarmUp.Start();
        var resource = await _lifecycle.GetAzureMLResourceAsync(cluster, name, cancellationToken).ConfigureAwait(false);
        var extension = ExtensionMapper.ToModel(cluster, resource);
        var findings = new List<AzMLK8sExtensionHealthFinding>();
        AddAzureFindings(extension, findings);

        string? apiDetail = null;
        string? workloadsReady = null;
        var checkedCluster = false;
        using (var api = await ClusterApiAccess.ConnectAsync(_connection, cluster, access, cancellationToken).ConfigureAwait(false))
        {
            if (api.Client is { } client)
            {
                checkedCluster = true;
                var ns = extension.ReleaseNamespace ?? SettingsCatalog.ReleaseNamespace;
                workloadsReady = await AddWorkloadFindingsAsync(client, ns, extension, findings, cancellationToken).ConfigureAwait(false);
                await AddPodFindingsAsync(client, ns, findings, cancellationToken).ConfigureAwait(false);
                await AddHealthCheckFindingsAsync(client, ns, extension.ProvisioningState, findings, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                apiDetail = $"The cluster's Kubernetes API could not be used ({api.Unavailable!.ErrorId}): {api.Unavailable.Message}";
                findings.Add(Finding("ClusterApi", cluster.Name, PrerequisiteStatus.Skipped, apiDetail,
                    api.Unavailable.RecommendedAction ?? "Give a kubeconfig with -KubeconfigPath (and -KubeContext) to check the workloads."));
            }
        }

        return new AzMLK8sExtensionHealth
        {
            Name = extension.Name,
            ResourceId = extension.ResourceId,
            ClusterResourceId = extension.ClusterResourceId,
            ClusterName = extension.ClusterName,
            ClusterType = extension.ClusterType,
            ProvisioningState = extension.ProvisioningState,
            Status = Verdict(findings),
            ClusterChecked = checkedCluster,
            ClusterApiDetail = apiDetail,
            WorkloadsReady = workloadsReady,
            Findings = findings,
        };
    }

    /// <summary>Reports until one is Healthy or <paramref name="timeout"/> has passed; returns the last report and whether it became healthy.</summary>
    public async Task<(AzMLK8sExtensionHealth Report, bool Healthy)> WaitAsync(
        ClusterReference cluster,
        string name,
        KubernetesAccessOptions? access,
        TimeSpan timeout,
        TimeSpan interval,
        CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var attempt = 0;
        while (true)
        {
            attempt++;
            var report = await InspectAsync(cluster, name, access, cancellationToken).ConfigureAwait(false);
            var left = deadline - DateTimeOffset.UtcNow;
            if (report.Status == ExtensionHealthStatus.Healthy || left <= TimeSpan.Zero)
            {
                if (attempt > 1)
                {
                    _connection.Host.WriteProgress(new Model.Host.ProgressUpdate(ProgressActivityId, $"Waiting for extension '{name}' to become healthy", report.Status.ToString()) { Completed = true });
                }

                return (report, report.Status == ExtensionHealthStatus.Healthy);
            }

            _connection.Host.WriteProgress(new Model.Host.ProgressUpdate(ProgressActivityId, $"Waiting for extension '{name}' to become healthy", $"{report.Status} after check {attempt}: {report.Summary}"));
            await Task.Delay(interval < left ? interval : left, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void AddAzureFindings(AzMLK8sExtension extension, List<AzMLK8sExtensionHealthFinding> findings)
    {
        var state = extension.ProvisioningState ?? "(unknown)";
        var status = state switch
        {
            "Succeeded" => PrerequisiteStatus.Pass,
            "Creating" or "Updating" or "Deleting" => PrerequisiteStatus.Warn,
            _ => PrerequisiteStatus.Fail,
        };
        var detail = extension.ErrorCode is null ? $"provisioningState {state}" : $"provisioningState {state}: {extension.ErrorCode}: {extension.ErrorMessage}";
        var fix = status switch
        {
            PrerequisiteStatus.Pass => null,
            PrerequisiteStatus.Warn => $"An operation is running; wait for it: Test-AzMLK8sExtension -ResourceId '{extension.ResourceId}' -Wait.",
            _ => "Correct the settings the messages name with Update-AzMLK8sExtension, or remove the extension and create it again.",
        };
        findings.Add(Finding("Azure", "ProvisioningState", status, detail, fix));
        foreach (var message in extension.Statuses)
        {
            var level = message.StartsWith("Error", StringComparison.OrdinalIgnoreCase) ? PrerequisiteStatus.Fail
                : message.StartsWith("Warning", StringComparison.OrdinalIgnoreCase) ? PrerequisiteStatus.Warn
                : PrerequisiteStatus.Pass;
            findings.Add(Finding("Azure", "Status", level, message, level == PrerequisiteStatus.Pass ? null : "See the message; Update-AzMLK8sExtension changes the settings it names."));
        }
    }

    private static async Task<string> AddWorkloadFindingsAsync(KubernetesClient client, string ns, AzMLK8sExtension extension, List<AzMLK8sExtensionHealthFinding> findings, CancellationToken cancellationToken)
    {
        var expected = ExpectedWorkloads.For(extension.TrainingEnabled, extension.InferenceEnabled, extension.Name);
        var present = new Dictionary<(KubernetesWorkloadKind, string), KubernetesWorkload>();
        foreach (var kind in expected.Select(w => w.Kind).Distinct())
        {
            foreach (var workload in await client.ListWorkloadsAsync(kind, ns, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                present[(kind, workload.Name)] = workload;
            }
        }

        var ready = 0;
        foreach (var (kind, name) in expected)
        {
            var subject = $"{kind}/{name}";
            if (!present.TryGetValue((kind, name), out var workload))
            {
                findings.Add(Finding("Workload", subject, PrerequisiteStatus.Fail, $"missing from namespace '{ns}'.",
                    $"The release did not install it: check helm history -n {ns} {extension.Name}, or update the extension again to reinstall it."));
            }
            else if (workload.DesiredReplicas > 0 && workload.ReadyReplicas < workload.DesiredReplicas)
            {
                findings.Add(Finding("Workload", subject, PrerequisiteStatus.Fail, $"{workload.ReadyReplicas}/{workload.DesiredReplicas} ready.",
                    $"See the pods below; kubectl describe {kind.ToString().ToLowerInvariant()} {name} -n {ns} shows why."));
            }
            else
            {
                ready++;
                findings.Add(Finding("Workload", subject, PrerequisiteStatus.Pass, $"{workload.ReadyReplicas}/{workload.DesiredReplicas} ready.", null));
            }
        }

        return $"{ready}/{expected.Count}";
    }

    private static async Task AddPodFindingsAsync(KubernetesClient client, string ns, List<AzMLK8sExtensionHealthFinding> findings, CancellationToken cancellationToken)
    {
        foreach (var pod in await client.ListPodsAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var phase = pod.Status?.Phase;
            if (phase is "Running" or "Succeeded")
            {
                continue;
            }

            var (name, reason, restarts) = (pod.Name(), pod.WaitingReason() ?? phase ?? "Unknown", pod.RestartCount());
            findings.Add(Finding("Pod", name, PrerequisiteStatus.Fail, $"{phase ?? "no phase"} ({reason}){(restarts > 0 ? $", {restarts} restarts" : string.Empty)}.",
                $"kubectl describe pod {name} -n {ns} shows its events; kubectl logs {name} -n {ns} its output."));
        }
    }

    private static async Task AddHealthCheckFindingsAsync(KubernetesClient client, string ns, string? provisioningState, List<AzMLK8sExtensionHealthFinding> findings, CancellationToken cancellationToken)
    {
        V1ConfigMap configMap;
        try
        {
            configMap = await client.GetConfigMapAsync(ns, HealthCheckConfigMap, cancellationToken).ConfigureAwait(false);
        }
        catch (ModuleErrorException ex) when (ex.Error.ErrorId == KubernetesErrorIds.NotFound)
        {
            var status = provisioningState == "Succeeded" ? PrerequisiteStatus.Warn : PrerequisiteStatus.Skipped;
            findings.Add(Finding("HealthCheck", HealthCheckConfigMap, status, $"The health check ConfigMap is not in namespace '{ns}'.",
                "The chart writes it on install and upgrade; update the extension to run the health check again."));
            return;
        }

        var codes = (configMap.Data ?? new Dictionary<string, string>())
            .SelectMany(entry => ErrorCodePattern().Matches(entry.Value).Select(m => (Section: entry.Key, Code: m.Value)))
            .DistinctBy(c => c.Code)
            .ToArray();
        if (codes.Length == 0)
        {
            findings.Add(Finding("HealthCheck", HealthCheckConfigMap, PrerequisiteStatus.Pass, "No error codes reported.", null));
            return;
        }

        foreach (var (section, code) in codes)
        {
            var (name, cause, fix) = HealthCheckCodes.Describe(code);
            findings.Add(Finding("HealthCheck", $"{code} {name}", PrerequisiteStatus.Fail, $"{cause} (reported in '{section}')", fix));
        }
    }

    private static ExtensionHealthStatus Verdict(IReadOnlyList<AzMLK8sExtensionHealthFinding> findings) =>
        findings.Any(f => f.Status == PrerequisiteStatus.Fail) ? ExtensionHealthStatus.Unhealthy
        : findings.Any(f => f.Status is PrerequisiteStatus.Warn or PrerequisiteStatus.Skipped) ? ExtensionHealthStatus.Degraded
        : ExtensionHealthStatus.Healthy;

    private static AzMLK8sExtensionHealthFinding Finding(string area, string subject, PrerequisiteStatus status, string detail, string? fix) =>
        new() { Area = area, Subject = subject, Status = status, Detail = detail, Fix = fix };

    [GeneratedRegex(@"\bE4\d{4}\b", RegexOptions.CultureInvariant)]
    private static partial Regex ErrorCodePattern();
}
