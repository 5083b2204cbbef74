#Requires -Version 7.4
<#
.SYNOPSIS
    The module's main job, step by step, as a user types it: sign in, check and fix prerequisites, preview and install
    the AzureML extension, verify its health, attach the cluster to a workspace as a compute, and let the compute's
    identity pull images from a registry.

.DESCRIPTION
    Each step prints the command it runs ("PS> ...", the step's own text) and then what PowerShell shows for its
    result (the module's format views). Safe to run again: every step is idempotent, so a second run changes
    nothing and raises no error.

    `dotnet run --project examples/AzMLK8s.Walkthrough -c Release` builds the module and runs this script in pwsh
    against the embedded emulator; with --subscription it runs it against Azure.

.EXAMPLE
    # Against Azure, signed in with Connect-AzAccount (or environment credentials, or the Azure CLI's sign-in):
    ./examples/MainJob.ps1 -SubscriptionId $subscriptionId -ResourceGroupName rg-ml -ClusterName aks-ml `
        -WorkspaceName ws-ml -ContainerRegistry acrml

.EXAMPLE
    # Against an emulator (or a proxy in front of ARM) whose certificate is pinned:
    ./examples/MainJob.ps1 -ArmEndpoint https://127.0.0.1:8443 -TrustedCertificateThumbprint $thumbprint `
        -SubscriptionId 00000000-0000-0000-0000-000000000001 -AccessToken (Read-Host -AsSecureString)
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $SubscriptionId,

    [string] $TenantId,

    [string] $ResourceGroupName = 'rg-demo',

    # An AKS cluster in the resource group.
    [string] $ClusterName = 'aks-demo',

    # An Azure ML workspace in the resource group.
    [string] $WorkspaceName = 'ws-demo',

    # The registry the compute's identity may pull images from (AcrPull), in the resource group.
    [string] $ContainerRegistry = 'acrdemo',

    [string] $ComputeName = 'k8s-training',

    # The Kubernetes namespace the workspace's jobs run in.
    [string] $Namespace = 'team-a',

    # A custom ARM endpoint (the emulator): given with its certificate's thumbprint and an access token.
    [uri] $ArmEndpoint,

    [string] $TrustedCertificateThumbprint,

    [securestring] $AccessToken,

    # Modules to import from a path instead of by name (the built module folder).
    [string] $ModulePath = 'AzMLK8s'
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

# Prints a step as typed at the prompt, then runs it. Called with ". $step { ... }": dot-sourced, it runs in this
# script's scope, so a step that sets $extension or $compute sets them for the next steps.
$step = {
    param([scriptblock] $StepCommand)
    Write-Host ''
    Write-Host ("PS> " + ($StepCommand.ToString().Trim() -replace '\r?\n\s*', "`n>> ")) -ForegroundColor Cyan
    . $StepCommand | Out-Host
}

Write-Host "# Sign in (Set-AzMLK8sContext), then check the context this session uses."
$signIn = @{ SubscriptionId = $SubscriptionId }
if ($TenantId) { $signIn.TenantId = $TenantId }
if ($ArmEndpoint) {
    $signIn.ArmEndpoint = $ArmEndpoint
    $signIn.TrustedCertificateThumbprint = $TrustedCertificateThumbprint
    $signIn.AuthMethod = 'AccessToken'
    $signIn.AccessToken = $AccessToken
}
$null = Set-AzMLK8sContext @signIn
. $step { Get-AzMLK8sContext }

$aks = "/subscriptions/$SubscriptionId/resourceGroups/$ResourceGroupName/providers/Microsoft.ContainerService/managedClusters/$ClusterName"
Write-Host ''
Write-Host "PS> `$aks = '$aks'" -ForegroundColor Cyan

Write-Host "`n# 1. Prerequisites: register what the subscription lacks, then check everything the install and attach need."
. $step { Register-AzMLK8sPrerequisite -ClusterResourceId $aks }
. $step { Test-AzMLK8sPrerequisite -ClusterResourceId $aks -WorkspaceName $WorkspaceName -ResourceGroupName $ResourceGroupName -Namespace $Namespace }

Write-Host "`n# 2. The AzureML extension for training: first what it would do, then the install (it waits until Succeeded)."
. $step { New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining -WhatIf }
. $step { $extension = New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining; $extension }

Write-Host "`n# 3. Verify: the extension's Azure state and its workloads in the cluster."
. $step { Test-AzMLK8sExtension -ClusterResourceId $aks -Wait }

Write-Host "`n# 4. Attach the cluster to the workspace as a Kubernetes compute, from the extension object (in its own namespace)."
. $step {
    $compute = $extension | Connect-AzMLK8sCompute -WorkspaceName $WorkspaceName -ResourceGroupName $ResourceGroupName `
        -Name $ComputeName -Namespace $Namespace -CreateNamespace -IdentityType SystemAssigned
    $compute
}

Write-Host "`n# 5. Let the compute's identity pull images from the registry."
. $step { $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry $ContainerRegistry }

Write-Host "`n# Done: the cluster runs the AzureML extension and is attached to workspace '$WorkspaceName' as '$ComputeName'."
