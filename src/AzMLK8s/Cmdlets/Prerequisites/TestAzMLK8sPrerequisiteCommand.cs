using System.Collections;
using System.Management.Automation;
using AzMLK8s.Cmdlets.Completion;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Operations.Prerequisites;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Prerequisites;

namespace AzMLK8s.Cmdlets.Prerequisites;

/// <summary>
/// Checks everything that must be true before the AzureML extension is deployed and a cluster attached, and
/// writes one result per item with its status, the detail and the command that fixes it. Changes nothing.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "AzMLK8sPrerequisite", HelpUri = AzMLK8sCmdlet.HelpUriBase + "Test-AzMLK8sPrerequisite.md", DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(AzMLK8sPrerequisiteCheck))]
public sealed class TestAzMLK8sPrerequisiteCommand : ConcurrentInputCmdlet
{
    private const string ByIdSet = "ByClusterId";
    private const string ByNameSet = "ByClusterName";

    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [Alias("ClusterId", "Id")]
    public string? ClusterResourceId { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ByNameSet)]
    [ArgumentCompleter(typeof(ClusterNameCompleter))]
    public string? ClusterName { get; set; }

    /// <summary>The cluster's resource group (with -ClusterName), and the workspace's unless -WorkspaceResourceId is given.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(ResourceGroupNameCompleter))]
    public string? ResourceGroupName { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ByNameSet)]
    public AzMLK8sClusterType? ClusterType { get; set; }

    /// <summary>Also check the workspace's identity and, when it is user-assigned, its roles on the cluster.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(WorkspaceNameCompleter))]
    public string? WorkspaceName { get; set; }

    [Parameter]
    public string? WorkspaceResourceId { get; set; }

    /// <summary>The Kubernetes namespace the compute will use.</summary>
    [Parameter]
    public string? Namespace { get; set; }

    /// <summary>The AzureML extension's name (used in OpenShift service account names).</summary>
    [Parameter]
    public string ExtensionName { get; set; } = "azureml";

    /// <summary>Inference is planned: too few nodes for the HA router is then a failure, not a warning.</summary>
    [Parameter]
    public SwitchParameter EnableInference { get; set; }

    /// <summary>Whether the inference router will be highly available (three replicas on three nodes); true by default.</summary>
    [Parameter]
    [TrueOrFalse]
    public bool InferenceRouterHA { get; set; } = true;

    /// <summary>The extension's nodeSelector; only matching nodes count.</summary>
    [Parameter]
    public Hashtable? NodeSelector { get; set; }

    [Parameter]
    public SwitchParameter TrustedAccess { get; set; }

    [Parameter]
    public string? KubeconfigPath { get; set; }

    [Parameter]
    public string? KubeContext { get; set; }

    protected override async Task ProcessOneAsync(CancellationToken cancellationToken)
    {
        var checks = await TestOneAsync(cancellationToken);
        foreach (var check in checks)
        {
            Seam.WriteObject(check);
        }

        Seam.WriteVerbose($"{checks.Count(c => c.Status == PrerequisiteStatus.Pass)} passed, {checks.Count(c => c.Status == PrerequisiteStatus.Warn)} warnings, {checks.Count(c => c.Status == PrerequisiteStatus.Fail)} failed, {checks.Count(c => c.Status == PrerequisiteStatus.Skipped)} skipped.");
    }

    // Not async: the engine's types stay out of this assembly's state machines, which PowerShell loads before the engine.
    private Task<IReadOnlyList<AzMLK8sPrerequisiteCheck>> TestOneAsync(CancellationToken cancellationToken)
    {
        var connection = ArmConnection.FromContext(null, Seam);
        var cluster = ClusterParameters.Resolve(ClusterResourceId, ClusterName, ResourceGroupName, ClusterType, () => connection.SubscriptionId);
        var workspace = WorkspaceResourceId is not null
            ? WorkspaceReference.Parse(WorkspaceResourceId)
            : WorkspaceName is not null ? new WorkspaceReference(connection.SubscriptionId, ResourceGroupName ?? cluster.ResourceGroupName, WorkspaceName) : null;
        var request = new PrerequisiteRequest(cluster)
        {
            Workspace = workspace,
            ComputeNamespace = Namespace,
            ExtensionName = ExtensionName,
            EnableInference = EnableInference.IsPresent,
            InferenceRouterHA = InferenceRouterHA,
            NodeSelector = (NodeSelector ?? new Hashtable()).Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? string.Empty),
            TrustedAccess = TrustedAccess.IsPresent,
            Access = new KubernetesAccessOptions { KubeconfigPath = UserFile.Existing(Seam, KubeconfigPath, nameof(KubeconfigPath)), KubeContext = KubeContext },
        };
        return PrerequisiteChecker.RunAsync(connection, request, cancellationToken);
    }
}
