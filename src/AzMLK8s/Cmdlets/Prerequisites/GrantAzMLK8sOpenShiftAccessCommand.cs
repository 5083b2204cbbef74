using System.Management.Automation;
using AzMLK8s.Cmdlets.Completion;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Operations.Prerequisites;
using AzMLK8s.Model;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Prerequisites;

namespace AzMLK8s.Cmdlets.Prerequisites;

/// <summary>
/// On Azure Red Hat OpenShift or OpenShift Container Platform, lets the AzureML extension's service accounts (and the
/// compute namespace's default account) use the `privileged` SecurityContextConstraints, like `oc adm policy
/// add-scc-to-user privileged`. Users already there and other users are left as they are.
/// </summary>
[Cmdlet(VerbsSecurity.Grant, "AzMLK8sOpenShiftAccess", HelpUri = AzMLK8sCmdlet.HelpUriBase + "Grant-AzMLK8sOpenShiftAccess.md", DefaultParameterSetName = ByIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AzMLK8sPrerequisiteCheck))]
public sealed class GrantAzMLK8sOpenShiftAccessCommand : AzMLK8sCmdlet
{
    private const string ByIdSet = "ByClusterId";
    private const string ByNameSet = "ByClusterName";

    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [Alias("ClusterId", "Id")]
    public string? ClusterResourceId { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ByNameSet)]
    [ArgumentCompleter(typeof(ClusterNameCompleter))]
    public string? ClusterName { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ByNameSet)]
    [ArgumentCompleter(typeof(ResourceGroupNameCompleter))]
    public string? ResourceGroupName { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ByNameSet)]
    public AzMLK8sClusterType? ClusterType { get; set; }

    /// <summary>The AzureML extension's name: its kube-state-metrics account is named after it.</summary>
    [Parameter]
    public string ExtensionName { get; set; } = "azureml";

    /// <summary>The compute's Kubernetes namespace; its default account is added unless it is `default`.</summary>
    [Parameter]
    public string Namespace { get; set; } = "default";

    [Parameter]
    public string? KubeconfigPath { get; set; }

    [Parameter]
    public string? KubeContext { get; set; }

    protected override async Task ProcessAsync(CancellationToken cancellationToken) =>
        Seam.WriteObject(await GrantOneAsync(cancellationToken));

    // Not async: the engine's types stay out of this assembly's state machines, which PowerShell loads before the engine.
    private Task<AzMLK8sPrerequisiteCheck> GrantOneAsync(CancellationToken cancellationToken)
    {
        var connection = ArmConnection.FromContext(null, Seam);
        var cluster = ClusterParameters.Resolve(ClusterResourceId, ClusterName, ResourceGroupName, ClusterType, () => connection.SubscriptionId);
        var access = new KubernetesAccessOptions { KubeconfigPath = UserFile.Existing(Seam, KubeconfigPath, nameof(KubeconfigPath)), KubeContext = KubeContext };
        return OpenShiftAccessGrant.GrantAsync(connection, cluster, access, ExtensionName, Namespace, Seam.ShouldProcess, cancellationToken);
    }
}
