using System.Management.Automation;
using AzMLK8s.Cmdlets.Completion;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Operations.Roles;
using AzMLK8s.Model.Roles;

namespace AzMLK8s.Cmdlets.Roles;

/// <summary>
/// For a workspace that runs as a user-assigned identity, grants that identity the roles it needs before a cluster
/// can be attached: Reader, Kubernetes Extension Contributor and Azure Kubernetes Service Cluster Admin Role on the
/// cluster (AKS and Arc; AKS Contributor too with trusted access), Azure Relay Owner on the one relay an Arc
/// cluster's extension uses, Azure Service Bus Data Owner on its Service Bus when it uses one. -WhatIf lists each
/// assignment (role and scope). A system-assigned workspace identity needs none of this.
/// </summary>
[Cmdlet(VerbsSecurity.Grant, "AzMLWorkspaceIdentityRole", HelpUri = AzMLK8sCmdlet.HelpUriBase + "Grant-AzMLWorkspaceIdentityRole.md", DefaultParameterSetName = ByNameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AzMLRoleAssignment))]
public sealed class GrantAzMLWorkspaceIdentityRoleCommand : AzMLK8sCmdlet
{
    private const string ByNameSet = "ByName";
    private const string ByIdSet = "ByWorkspaceId";

    [Parameter(Mandatory = true, ParameterSetName = ByNameSet)]
    [ArgumentCompleter(typeof(WorkspaceNameCompleter))]
    public string? WorkspaceName { get; set; }

    /// <summary>The workspace's resource group.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByNameSet)]
    [ArgumentCompleter(typeof(ResourceGroupNameCompleter))]
    public string? ResourceGroupName { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ByIdSet)]
    public string? WorkspaceResourceId { get; set; }

    /// <summary>The AKS or Arc cluster the workspace will attach.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ClusterId", "Id")]
    public string? ClusterResourceId { get; set; }

    /// <summary>The workspace reaches the AKS cluster through AKS trusted access (adds Azure Kubernetes Service Contributor Role).</summary>
    [Parameter]
    public SwitchParameter TrustedAccess { get; set; }

    protected override async Task ProcessAsync(CancellationToken cancellationToken)
    {
        foreach (var assignment in await GrantOneAsync(cancellationToken))
        {
            Seam.WriteObject(assignment);
        }
    }

    // Not async: the engine's types stay out of this assembly's state machines, which PowerShell loads before the engine.
    private Task<IReadOnlyList<AzMLRoleAssignment>> GrantOneAsync(CancellationToken cancellationToken)
    {
        var cluster = ClusterReference.Parse(ClusterResourceId);
        var workspace = WorkspaceResourceId is not null ? WorkspaceReference.Parse(WorkspaceResourceId) : null;
        var connection = ArmConnection.FromContext(null, Seam);
        workspace ??= new WorkspaceReference(connection.SubscriptionId, ResourceGroupName!, WorkspaceName!);
        return WorkspaceIdentityRolePlanner.GrantAsync(connection, workspace, cluster, TrustedAccess.IsPresent, null, Seam.ShouldProcess, cancellationToken);
    }
}
