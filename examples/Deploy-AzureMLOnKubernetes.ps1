#Requires -Version 7.4
<#
.SYNOPSIS
    Puts Azure Machine Learning on a Kubernetes cluster from start to end: prerequisites, the AzureML extension,
    the attach as a compute, and the roles the compute's identity needs.

.DESCRIPTION
    Safe to run again: every step is idempotent (a second run changes nothing and is not an error).
    Sign in first (Connect-AzAccount, or Set-AzMLK8sContext for a runbook or the emulator). Supports -WhatIf.

.EXAMPLE
    ./Deploy-AzureMLOnKubernetes.ps1 -ClusterResourceId $aksId -WorkspaceName ws-demo -ResourceGroupName rg-demo `
        -Namespace team-a -ContainerRegistry acrdemo -StorageAccount stdemo
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    # The AKS (managedClusters) or Azure Arc (connectedClusters) cluster.
    [Parameter(Mandatory)]
    [string] $ClusterResourceId,

    [Parameter(Mandatory)]
    [string] $WorkspaceName,

    # The workspace's resource group.
    [Parameter(Mandatory)]
    [string] $ResourceGroupName,

    [string] $ComputeName = 'k8s-compute',

    # The Kubernetes namespace the workspace's jobs run in.
    [string] $Namespace = 'default',

    # The registry the compute pulls images from (AcrPull), in the compute's resource group.
    [string] $ContainerRegistry,

    # The storage account the compute reads training data from (Storage Blob Data Reader).
    [string] $StorageAccount
)

$ErrorActionPreference = 'Stop'

# 1. Prerequisites: check, then fix what the checks say can be fixed by command.
$checks = Test-AzMLK8sPrerequisite -ClusterResourceId $ClusterResourceId -WorkspaceName $WorkspaceName `
    -ResourceGroupName $ResourceGroupName -Namespace $Namespace
$checks | Format-Table -AutoSize

if ($checks | Where-Object { $_.Name -like 'Provider.*' -or $_.Name -like 'Feature.*' } | Where-Object Status -ne 'Pass') {
    Register-AzMLK8sPrerequisite -ClusterResourceId $ClusterResourceId | Format-Table -AutoSize
}

if ($checks | Where-Object { $_.Name -like 'Workspace.Role.*' -and $_.Status -eq 'Fail' }) {
    # Only a workspace with a user-assigned identity needs these; a system-assigned one gets them on attach.
    Grant-AzMLWorkspaceIdentityRole -WorkspaceName $WorkspaceName -ResourceGroupName $ResourceGroupName `
        -ClusterResourceId $ClusterResourceId | Format-Table -AutoSize
}

if ($checks | Where-Object { $_.Name -eq 'Cluster.OpenShiftSccGrants' -and $_.Status -eq 'Fail' }) {
    Grant-AzMLK8sOpenShiftAccess -ClusterResourceId $ClusterResourceId -Namespace $Namespace | Format-Table -AutoSize
}

$fixedAbove = 'Provider.*', 'Feature.*', 'Workspace.Role.*', 'Cluster.OpenShiftSccGrants'
$blocking = $checks | Where-Object Status -eq 'Fail' | Where-Object { $name = $_.Name; -not ($fixedAbove | Where-Object { $name -like $_ }) }
if ($blocking) {
    $blocking | Format-List
    throw "Fix the failed prerequisites above (each shows its fixing command), then run this script again."
}

# 2. The AzureML extension (training; add -EnableInference and its settings for inference).
New-AzMLK8sExtension -ClusterResourceId $ClusterResourceId -EnableTraining | Format-Table -AutoSize

# 3. Attach the cluster as a compute, and 4. let the compute's identity pull images.
$compute = Connect-AzMLK8sCompute -WorkspaceName $WorkspaceName -ResourceGroupName $ResourceGroupName -Name $ComputeName `
    -ClusterResourceId $ClusterResourceId -Namespace $Namespace -IdentityType SystemAssigned

if ($ContainerRegistry) {
    $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry $ContainerRegistry | Format-Table -AutoSize
}

if ($StorageAccount) {
    Grant-AzMLComputeRole -WorkspaceName $WorkspaceName -ResourceGroupName $ResourceGroupName -ComputeName $ComputeName `
        -Role StorageBlobDataReader -StorageAccount $StorageAccount | Format-Table -AutoSize
}

$compute
