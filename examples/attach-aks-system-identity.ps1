<#
.SYNOPSIS
    Attaches an AKS cluster that runs the Azure ML extension to a workspace as a Kubernetes compute with a
    system-assigned identity, in its own namespace.
.DESCRIPTION
    Connect-AzMLK8sCompute checks the cluster, its Azure ML extension and the namespace before it sends anything.
    Running the script again changes nothing. The compute's identity (PrincipalId) is what Grant-AzMLComputeRole
    grants AcrPull and storage roles to.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)] [string] $ResourceGroupName,
    [Parameter(Mandatory)] [string] $WorkspaceName,
    [Parameter(Mandatory)] [string] $ClusterName,
    [string] $ComputeName = 'aks-compute',
    [string] $Namespace = 'team-a'
)

$ErrorActionPreference = 'Stop'
Import-Module AzMLK8s

$subscriptionId = (Get-AzMLK8sContext).SubscriptionId
$clusterId = "/subscriptions/$subscriptionId/resourceGroups/$ResourceGroupName/providers/Microsoft.ContainerService/managedClusters/$ClusterName"

$compute = Connect-AzMLK8sCompute -Name $ComputeName `
    -WorkspaceName $WorkspaceName -ResourceGroupName $ResourceGroupName `
    -ClusterResourceId $clusterId `
    -Namespace $Namespace -CreateNamespace `
    -IdentityType SystemAssigned `
    -Description 'AKS training compute' `
    -WhatIf:$WhatIfPreference

if ($compute) {
    $compute | Format-List -Property @('Name', 'WorkspaceName', 'Namespace', 'ProvisioningState', 'IdentityType', 'PrincipalId')
}

# Every Kubernetes compute bound to this cluster in the resource group's workspaces:
Get-AzMLK8sCompute -ClusterResourceId $clusterId -ResourceGroupName $ResourceGroupName
