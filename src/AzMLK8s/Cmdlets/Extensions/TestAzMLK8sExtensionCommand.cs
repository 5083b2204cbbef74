using System.Management.Automation;
using AzMLK8s.Engine.Operations.Extensions;
using AzMLK8s.Model.Extensions;

namespace AzMLK8s.Cmdlets.Extensions;

/// <summary>
/// Reports the AzureML extension's health: its Azure state and messages and, when the cluster's API is reachable, each
/// expected workload, the pods that are not running and the health check's error codes with cause and fix. -Wait
/// checks again until healthy or -TimeoutSeconds.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "AzMLK8sExtension", HelpUri = AzMLK8sCmdlet.HelpUriBase + "Test-AzMLK8sExtension.md", DefaultParameterSetName = ByInputObject)]
[OutputType(typeof(AzMLK8sExtensionHealth))]
public sealed class TestAzMLK8sExtensionCommand : ExtensionCmdletBase
{
    /// <summary>An extension from Get-, New- or Update-AzMLK8sExtension, or its health report: its resource id names it.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObject)]
    public IAzMLK8sExtensionReference? InputObject
    {
        get => PipedExtension;
        set => PipedExtension = value;
    }

    [Parameter(ParameterSetName = ByClusterId)]
    [Parameter(ParameterSetName = ByClusterName)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = DefaultExtensionName;

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

    protected override Task ProcessOneAsync(CancellationToken cancellationToken) => ExtensionCommands.TestAsync(
        Seam,
        new TestExtensionInput
        {
            Target = Target(Name),
            KubeconfigPath = UserFile.Existing(Seam, KubeconfigPath, nameof(KubeconfigPath)),
            KubeContext = KubeContext,
            Wait = Wait.IsPresent,
            TimeoutSeconds = TimeoutSeconds,
            Interval = Interval ?? TimeSpan.FromSeconds(Math.Max(IntervalSeconds, 0)),
        },
        CommandContext(),
        cancellationToken);
}
