using System.Management.Automation;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Operations.Extensions;
using AzMLK8s.Model;
using AzMLK8s.Model.Extensions;

namespace AzMLK8s.Cmdlets.Extensions;

/// <summary>
/// Reports the AzureML extension's health: its Azure state and messages and, when the cluster's API is reachable, each
/// expected workload, the pods that are not running and the health check's error codes with cause and fix. -Wait
/// checks again until healthy or -TimeoutSeconds.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "AzMLK8sExtension", DefaultParameterSetName = ByClusterId)]
[OutputType(typeof(AzMLK8sExtensionHealth))]
public sealed class TestAzMLK8sExtensionCommand : ExtensionCmdletBase
{
    [Parameter(ParameterSetName = ByClusterId, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ByClusterName)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = DefaultExtensionName;

    [Parameter(Mandatory = true, ParameterSetName = ByResourceId)]
    [ValidateNotNullOrEmpty]
    public string? ResourceId { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeconfigPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeContext { get; set; }

    /// <summary>Checks again until the extension is healthy or the timeout passes.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    public int TimeoutSeconds { get; set; } = 600;

    [Parameter]
    public int IntervalSeconds { get; set; } = 15;

    /// <summary>Test hook: the wait between checks, below PowerShell's whole seconds.</summary>
    internal TimeSpan? Interval { get; set; }

    protected override Task ProcessAsync(CancellationToken cancellationToken) => ProcessOneAsync(cancellationToken);

    private async Task ProcessOneAsync(CancellationToken cancellationToken)
    {
        if (TimeoutSeconds < 1 || IntervalSeconds < 1)
        {
            throw new ModuleErrorException(new ModuleError(ExtensionErrors.InvalidTimeout, ErrorKind.InvalidArgument, "-TimeoutSeconds and -IntervalSeconds must be at least 1.")
            {
                RecommendedAction = "For example -Wait -TimeoutSeconds 900 -IntervalSeconds 30.",
                TargetObject = TimeoutSeconds,
            });
        }

        var (cluster, name) = ResourceId is not null ? ExtensionParameters.ParseExtensionId(ResourceId) : (null, Name);
        ExtensionErrors.CheckName(name);
        var connection = Connect();
        cluster ??= ResolveCluster(connection);
        var inspector = new ExtensionHealthInspector(connection);
        var access = new KubernetesAccessOptions { KubeconfigPath = KubeconfigPath, KubeContext = KubeContext };
        if (!IsPresent(Wait))
        {
            Seam.WriteObject(await inspector.InspectAsync(cluster, name, access, cancellationToken).ConfigureAwait(false));
            return;
        }

        var (report, healthy) = await inspector.WaitAsync(
            cluster, name, access, TimeSpan.FromSeconds(TimeoutSeconds), Interval ?? TimeSpan.FromSeconds(IntervalSeconds), cancellationToken).ConfigureAwait(false);
        Seam.WriteObject(report);
        if (!healthy)
        {
            Seam.WriteError(new ModuleError(
                ExtensionErrors.HealthTimeout,
                ErrorKind.OperationTimeout,
                $"Extension '{name}' was not healthy after {TimeoutSeconds} seconds: {report.Summary}")
            {
                RecommendedAction = "Follow the Fix of the failing findings in the report, or wait longer with -TimeoutSeconds.",
                TargetObject = report.ResourceId,
            });
        }
    }
}
