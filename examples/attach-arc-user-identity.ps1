<#
.SYNOPSIS
    Attaches an Azure Arc-enabled cluster that runs the Azure ML extension to a workspace as a Kubernetes compute
    that runs as a user-assigned managed identity.
.DESCRIPTION
    The compute runs as exactly one user-assigned identity (Azure ML uses only the first). When the workspace itself
    runs as a user-assigned identity, Connect-AzMLK8sCompute first checks that identity's roles on the cluster and
    on the extension's Azure Relay namespace, and names the Grant-AzMLWorkspaceIdentityRole command that adds any
    missing one.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $ResourceGroupName,
    [Parameter(Mandatory)] [string] $WorkspaceName,
    [Parameter(Mandatory)] [string] $ClusterName,
    [Parameter(Mandatory)] [string] $IdentityName,
    [string] $ComputeName = 'arc-compute',
    [string] $Namespace = 'default'
)

$ErrorActionPreference = 'Stop'
Import-Module AzMLK8s

$subscriptionId = (Get-AzMLK8sContext).SubscriptionId
$group = "/subscriptions/$subscriptionId/resourceGroups/$ResourceGroupName"
$clusterId = "$group/providers/Microsoft.Kubernetes/connectedClusters/$ClusterName"
$identityId = "$group/providers/Microsoft.ManagedIdentity/userAssignedIdentities/$IdentityName"
$workspaceId = "$group/providers/Microsoft.MachineLearningServices/workspaces/$WorkspaceName"

$compute = Connect-AzMLK8sCompute -Name $ComputeName `
    -WorkspaceResourceId $workspaceId `
    -ClusterResourceId $clusterId `
    -Namespace $Namespace `
    -IdentityType UserAssigned -UserAssignedIdentity $identityId `
    -InstanceType @{
        'cpu-small' = @{
            resources = @{
                requests = @{ cpu = '500m'; memory = '1Gi' }
                limits   = @{ cpu = '1'; memory = '2Gi' }
            }
        }
    } `
    -DefaultInstanceType 'cpu-small' `
    -WhatIf:$WhatIfPreference

if ($compute) {
    # The identity's principal id, for role assignments on the registry and storage the jobs use.
    $compute.UserAssignedIdentities.GetEnumerator() | ForEach-Object { '{0} -> {1}' -f $_.Key, $_.Value }
}
