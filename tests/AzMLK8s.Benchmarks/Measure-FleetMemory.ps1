#Requires -Version 7.4
<#
.SYNOPSIS
    The memory of this pwsh process while it rolls the AzMLK8s extension out to a fleet of an emulator through the
    pipeline: $clusters | New-AzMLK8sExtension -EnableTraining -ThrottleLimit 16.

.DESCRIPTION
    Signs in, builds one object with a ClusterResourceId per cluster named <Prefix>-NNN, then measures the call: its
    wall time, output and errors, the process's working set before the first cmdlet and its peak during the call
    (sampled every 20 ms by a second runspace of this process, started before the baseline; and the kernel's
    high-water mark), and the managed heap (sampled the same way). Prints "key: value" lines; exit code 0 when every
    cluster's extension came back with no error.

    The benchmark's --memory-only runs it in a fresh pwsh against a standalone emulator with --fleet 500; by hand:

        dotnet run -c Release --project tests/AzMLK8s.Emulator -- --port 8443 --fleet 500 --operation-ms 900 --retry-after 1 --latency-ms 5
        dotnet tool run pwsh -NoProfile -File tests/AzMLK8s.Benchmarks/Measure-FleetMemory.ps1 -ArmEndpoint https://127.0.0.1:8443 -Count 500
#>
param(
    [Parameter(Mandatory)] [string] $ArmEndpoint,
    [int] $Count = 500,
    [int] $ThrottleLimit = 16,
    [string] $Prefix = 'fleet',
    # The module's manifest; default: the built module folder of this repository (out/AzMLK8s/<version>/).
    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
if (-not $ModulePath) {
    $ModulePath = Get-ChildItem (Join-Path $PSScriptRoot '../../out/AzMLK8s/*/AzMLK8s.psd1') | Select-Object -First 1 -ExpandProperty FullName
}

$endpoint = $ArmEndpoint.TrimEnd('/')
$info = Invoke-RestMethod -Uri "$endpoint/_emulator/info" -SkipCertificateCheck
Import-Module $ModulePath
$null = Set-AzMLK8sContext -ArmEndpoint $endpoint -TrustedCertificateThumbprint $info.thumbprint -SubscriptionId $info.subscriptionId `
    -AuthMethod AccessToken -AccessToken ([System.Net.NetworkCredential]::new('', 'fleet-memory-token').SecurePassword)
$group = "/subscriptions/$($info.subscriptionId)/resourceGroups/$($info.resourceGroup)"
$clusters = 0..($Count - 1) | ForEach-Object { [pscustomobject]@{ ClusterResourceId = "$group/providers/Microsoft.ContainerService/managedClusters/{0}-{1:000}" -f $Prefix, $_ } }

# The sampler: a second runspace of this process reads the process-wide figures while the pipeline runs.
$samples = [hashtable]::Synchronized(@{ Run = $true; WorkingSet = 0L; Managed = 0L; Count = 0 })
$sampler = [powershell]::Create()
$null = $sampler.AddScript({
        param($samples)
        while ($samples.Run) {
            $workingSet = [Environment]::WorkingSet
            $managed = [GC]::GetTotalMemory($false)
            if ($workingSet -gt $samples.WorkingSet) { $samples.WorkingSet = $workingSet }
            if ($managed -gt $samples.Managed) { $samples.Managed = $managed }
            $samples.Count++
            [Threading.Thread]::Sleep(20)
        }
    }).AddArgument($samples)

[GC]::Collect()
[GC]::WaitForPendingFinalizers()
$managedBefore = [GC]::GetTotalMemory($true)
$handle = $sampler.BeginInvoke()
while ($samples.Count -eq 0) { [Threading.Thread]::Sleep(5) }
$workingSetBefore = [Environment]::WorkingSet
$samples.WorkingSet = $workingSetBefore
$samples.Managed = $managedBefore

$clock = [Diagnostics.Stopwatch]::StartNew()
$ErrorActionPreference = 'Continue'
$installed = $clusters | New-AzMLK8sExtension -EnableTraining -ThrottleLimit $ThrottleLimit -ErrorVariable failures -WarningAction SilentlyContinue
$clock.Stop()
$ErrorActionPreference = 'Stop'

$samples.Run = $false
$null = $sampler.EndInvoke($handle)
$sampler.Dispose()
$highWater = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
$succeeded = @($installed | Where-Object ProvisioningState -eq 'Succeeded').Count

function MiB([long] $bytes) { [Math]::Round($bytes / 1MB, 1).ToString([cultureinfo]::InvariantCulture) }
"command: `$clusters | New-AzMLK8sExtension -EnableTraining -ThrottleLimit $ThrottleLimit   (N=$Count)"
"wall: $($clock.Elapsed.TotalSeconds.ToString('0.00', [cultureinfo]::InvariantCulture)) s"
"extensions succeeded: $succeeded"
"errors: $($failures.Count)"
"working set before the first cmdlet: $(MiB $workingSetBefore) MiB"
"working set peak during the call (sampled): $(MiB $samples.WorkingSet) MiB"
"working set high-water mark of the process: $(MiB $highWater) MiB"
"managed heap before: $(MiB $managedBefore) MiB"
"managed heap peak during the call (sampled): $(MiB $samples.Managed) MiB"
"samples: $($samples.Count)"
foreach ($failure in $failures | Select-Object -First 5) { "error: $($failure.FullyQualifiedErrorId): $failure" }
exit ([int]($failures.Count -gt 0 -or $succeeded -ne $Count))
