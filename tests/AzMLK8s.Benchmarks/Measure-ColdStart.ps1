#Requires -Version 7.4
<#
.SYNOPSIS
    One cold start of the AzMLK8s module in this (fresh) pwsh: Import-Module of the built folder, Set-AzMLK8sContext to
    an emulator, and Get-AzMLK8sExtension, the first request; then the same request again on the warm connection; then
    the first call into a cluster's Kubernetes API (Test-AzMLK8sPrerequisite -ClusterResourceId: the cluster's
    credential from ARM, its kubeconfig, the Kubernetes client, the cluster's nodes).

.DESCRIPTION
    Prints each phase's time from a Stopwatch in this script ("phase ...: N ms"), the CPU time the process spent in
    them, and raw Stopwatch timestamps ("timestamp ...: ticks"; on Linux CLOCK_MONOTONIC, comparable with the process
    that started pwsh, which also times the whole process). Exit code 0 when both calls wrote no error.

    The benchmark's --cold-start-only runs it in fresh processes (dotnet <pwsh.dll> -NoProfile -NonInteractive -File
    ...) against a standalone emulator; by hand:

        dotnet tool run pwsh -NoProfile -File tests/AzMLK8s.Benchmarks/Measure-ColdStart.ps1 -ArmEndpoint https://127.0.0.1:8443 `
            -Thumbprint <the emulator's SHA-256> -ClusterResourceId /subscriptions/.../managedClusters/aks-demo
#>
param(
    [Parameter(Mandatory)] [string] $ArmEndpoint,
    [Parameter(Mandatory)] [string] $Thumbprint,
    [Parameter(Mandatory)] [string] $ClusterResourceId,
    # The module's manifest; default: the built module folder of this repository (out/AzMLK8s/<version>/).
    [string] $ModulePath
)

# The script's first statement: what came before it is pwsh's own start.
$scriptStart = [Diagnostics.Stopwatch]::GetTimestamp()
$cpuAtStart = [Environment]::CpuUsage.TotalTime
$ErrorActionPreference = 'Stop'
if (-not $ModulePath) {
    $ModulePath = Get-ChildItem (Join-Path $PSScriptRoot '../../out/AzMLK8s/*/AzMLK8s.psd1') | Select-Object -First 1 -ExpandProperty FullName
}

# The user's token exists before the import (Read-Host -AsSecureString, a variable): not part of the cold start. Made
# without ConvertTo-SecureString, whose module would load here and be counted as pwsh's.
$token = [System.Net.NetworkCredential]::new('', 'cold-start-token').SecurePassword
$subscription = ($ClusterResourceId -split '/')[2]
$failures = [System.Collections.ArrayList]::new()

$beforeImport = [Diagnostics.Stopwatch]::GetTimestamp()
Import-Module $ModulePath
$imported = [Diagnostics.Stopwatch]::GetTimestamp()
$null = Set-AzMLK8sContext -ArmEndpoint $ArmEndpoint -TrustedCertificateThumbprint $Thumbprint -SubscriptionId $subscription -AuthMethod AccessToken -AccessToken $token
$contextSet = [Diagnostics.Stopwatch]::GetTimestamp()
$ErrorActionPreference = 'Continue'
$null = Get-AzMLK8sExtension -ClusterResourceId $ClusterResourceId -ErrorVariable +failures
$firstDone = [Diagnostics.Stopwatch]::GetTimestamp()
$cpuAtFirst = [Environment]::CpuUsage.TotalTime
$null = Get-AzMLK8sExtension -ClusterResourceId $ClusterResourceId -ErrorVariable +failures
$secondDone = [Diagnostics.Stopwatch]::GetTimestamp()
$null = Test-AzMLK8sPrerequisite -ClusterResourceId $ClusterResourceId -ErrorVariable +failures
$clusterDone = [Diagnostics.Stopwatch]::GetTimestamp()
$cpuAtCluster = [Environment]::CpuUsage.TotalTime

$frequency = [Diagnostics.Stopwatch]::Frequency
function Show-Phase([string] $Name, [long] $From, [long] $To) {
    '{0}: {1} ms' -f $Name, (($To - $From) * 1000.0 / $frequency).ToString('0.0', [cultureinfo]::InvariantCulture)
}

Show-Phase 'phase Import-Module (AzMLK8s.dll, module initializer, format views)' $beforeImport $imported
Show-Phase 'phase Set-AzMLK8sContext (first call into the engine''s load context)' $imported $contextSet
Show-Phase 'phase Get-AzMLK8sExtension, first request (credential, pipeline, connect, TLS, answer)' $contextSet $firstDone
Show-Phase 'phase Get-AzMLK8sExtension again (warm connection)' $firstDone $secondDone
Show-Phase 'phase Test-AzMLK8sPrerequisite, first cluster call (credential, kubeconfig, Kubernetes client, nodes)' $secondDone $clusterDone
Show-Phase 'cold start in the script (import to first answer)' $beforeImport $firstDone
Show-Phase 'cold start in the script (import to the first cluster answer)' $beforeImport $clusterDone
'cold start cpu time (all threads, script start to first answer): {0} ms' -f ($cpuAtFirst - $cpuAtStart).TotalMilliseconds.ToString('0.0', [cultureinfo]::InvariantCulture)
'cold start cpu time (all threads, script start to the first cluster answer): {0} ms' -f ($cpuAtCluster - $cpuAtStart).TotalMilliseconds.ToString('0.0', [cultureinfo]::InvariantCulture)
'pwsh cpu time before the script: {0} ms' -f $cpuAtStart.TotalMilliseconds.ToString('0.0', [cultureinfo]::InvariantCulture)
"timestamp script-start: $scriptStart"
"timestamp first-answer: $firstDone"
"timestamp script-end: $([Diagnostics.Stopwatch]::GetTimestamp())"
"errors: $($failures.Count)"
foreach ($failure in $failures) { "error: $($failure.FullyQualifiedErrorId): $failure" }
exit ([int]($failures.Count -gt 0))
