using System.Management.Automation;
using AzMLK8s.Cmdlets.Completion;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Operations.Computes;
using AzMLK8s.Model.Computes;

namespace AzMLK8s.Cmdlets.Computes;

/// <summary>
/// Lists the Kubernetes computes of a workspace (or one by -Name), or with -ClusterResourceId those bound to a
/// cluster across the workspaces of a resource group or of the subscription.
/// </summary>
[Cmdlet(VerbsCommon.Get, "AzMLK8sCompute", HelpUri = AzMLK8sCmdlet.HelpUriBase + "Get-AzMLK8sCompute.md", DefaultParameterSetName = ComputeWorkspaceParameters.ByName)]
[OutputType(typeof(AzMLK8sCompute))]
public sealed class GetAzMLK8sComputeCommand : AzMLK8sCmdlet
{
    private const string ByCluster = "Cluster";

    [Parameter(Position = 0)]
    [Alias("ComputeName")]
    [ArgumentCompleter(typeof(ComputeNameCompleter))]
    public string? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ComputeWorkspaceParameters.ByName)]
    [ArgumentCompleter(typeof(WorkspaceNameCompleter))]
    public string? WorkspaceName { get; set; }

    /// <summary>The workspace's resource group; with -ClusterResourceId, the resource group whose workspaces are searched.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ComputeWorkspaceParameters.ByName)]
    [Parameter(ParameterSetName = ByCluster)]
    [ArgumentCompleter(typeof(ResourceGroupNameCompleter))]
    public string? ResourceGroupName { get; set; }

    /// <summary>The workspace's resource id; a workspace object from Get-AzMLWorkspace binds it through its Id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ComputeWorkspaceParameters.ById, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    public string? WorkspaceResourceId { get; set; }

    /// <summary>Find the computes bound to this cluster (AzMLK8sExtension objects bind it by property name).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByCluster, ValueFromPipelineByPropertyName = true)]
    [Alias("ClusterId")]
    public string? ClusterResourceId { get; set; }

    protected override Task ProcessAsync(CancellationToken cancellationToken) => ProcessOneAsync(cancellationToken);

    private async Task ProcessOneAsync(CancellationToken cancellationToken)
    {
        var cluster = ClusterResourceId is null ? null : ClusterReference.Parse(ClusterResourceId);
        var connection = ArmConnection.FromContext(null, Seam);
        var operation = new GetComputeOperation(connection);
        var computes = cluster is not null
            ? await operation.GetByClusterAsync(cluster, ResourceGroupName, Name, cancellationToken).ConfigureAwait(false)
            : await operation.GetAsync(ComputeWorkspaceParameters.Resolve(connection, WorkspaceName, ResourceGroupName, WorkspaceResourceId), Name, cancellationToken).ConfigureAwait(false);
        foreach (var compute in computes)
        {
            Seam.WriteObject(compute);
        }
    }
}
