#Requires -Version 7.4
<#
.SYNOPSIS
    Fault soak: a thousand and more operations of the AzMLK8s module through PowerShell's pipeline against an emulator
    that injects faults, then a check of what the emulator holds.

.DESCRIPTION
    Adds ClusterCount AKS clusters to the emulator (named <Prefix>-000 ...), then runs, each as one command line through
    the pipeline, every input counted as one operation:

        install the extension (training) on every cluster, read them, install again (nothing to change),
        update a public setting, update another one, read them, check their health,
        attach ComputeCount of them to ws-demo one by one, attach them again, grant each compute AcrPull on acrdemo
        twice, list the computes of every cluster, read the extensions again.

    With the defaults (100 clusters, 30 computes) that is 1020 operations. Errors are counted by FullyQualifiedErrorId
    (warnings by text); none is expected: the module must ride out every fault the emulator injects. Then the end
    state is read from the emulator with plain REST calls (retried while a fault hits them; the fault rules stay as
    they are): every extension Succeeded with all three settings (enableTraining, clusterPurpose=FastProd,
    amloperator.skipResourceValidation=true), every compute Succeeded, exactly one AcrPull assignment per compute. A
    setting missing on a cluster that an error named was reported to the user and is counted apart ("not applied");
    one missing anywhere else was lost silently, and the end state is wrong.
    Exit code 0 when there was no error and the end state is right.

    Start an emulator with fault rules (any; these put a fault on about 20% of the ARM and cluster API requests),
    then run this script against it from the repository root:

        dotnet run -c Release --project tests/AzMLK8s.Emulator -- --port 8443 --operation-ms 900 --retry-after 1 `
            --latency-ms 5 --fault-seed 1 --fault 429=0.045,retry-after=1 --fault 500=0.045 `
            --fault 503=0.045,retry-after=1 --fault reset=0.045 --fault latency=0.045,latency-ms=300
        dotnet tool run pwsh -NoProfile -File tests/AzMLK8s.Benchmarks/Invoke-FaultSoak.ps1 -ArmEndpoint https://127.0.0.1:8443

    The benchmark (dotnet run -c Release --project tests/AzMLK8s.Benchmarks -- --soak-only) runs it the same way.

.PARAMETER ResultPath
    Also writes the figures as JSON to this file (the benchmark reads them).
#>
[CmdletBinding()]
param(
    # The emulator's address (what it prints: "AzMLK8s emulator listening on ...").
    [Parameter(Mandatory)] [uri] $ArmEndpoint,

    # The module's manifest; default: the built module folder of this repository (out/AzMLK8s/<version>/).
    [string] $ModulePath,

    [ValidateRange(1, 999)] [int] $ClusterCount = 100,

    [ValidateRange(0, 999)] [int] $ComputeCount = 30,

    [ValidateRange(1, 128)] [int] $ThrottleLimit = 16,

    # Names the clusters and computes of this run, so the script can run again against the same emulator.
    [ValidatePattern('^[a-z][a-z0-9]{1,9}$')] [string] $Prefix = ('soak' + (Get-Random -Maximum 0x10000).ToString('x4')),

    [string] $ResultPath
)

$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
# The fleet's progress bar would be drawn into redirected output; the figures are what this script shows.
$ProgressPreference = 'SilentlyContinue'
[cultureinfo]::CurrentCulture = [cultureinfo]::InvariantCulture
$ComputeCount = [Math]::Min($ComputeCount, $ClusterCount)

if (-not $ModulePath) {
    $ModulePath = Get-ChildItem (Join-Path $PSScriptRoot '../../out/AzMLK8s/*/AzMLK8s.psd1') | Select-Object -First 1 -ExpandProperty FullName
    if (-not $ModulePath) { throw "The module is not built: run 'dotnet build AzMLK8s.sln -c Release' first, or give -ModulePath." }
}

$endpoint = $ArmEndpoint.AbsoluteUri.TrimEnd('/')

# The emulator's control API (/_emulator/...: no token, never faulted). Invoke-RestMethod writes a JSON array as one
# object: enumerate it.
function Invoke-Control([string] $Method = 'GET', [string] $Path) {
    Invoke-RestMethod -Method $Method -Uri "$endpoint/_emulator/$Path" -SkipCertificateCheck | ForEach-Object { $_ }
}

$info = Invoke-Control -Path 'info'
$subscription = $info.subscriptionId
$group = "/subscriptions/$subscription/resourceGroups/$($info.resourceGroup)"
$registryId = "$group/providers/Microsoft.ContainerRegistry/registries/acrdemo"
$acrPull = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

Import-Module $ModulePath -ErrorAction Stop
$null = Set-AzMLK8sContext -ArmEndpoint $endpoint -TrustedCertificateThumbprint $info.thumbprint -SubscriptionId $subscription `
    -AuthMethod AccessToken -AccessToken (ConvertTo-SecureString 'fault-soak-token' -AsPlainText -Force)

$clusterIds = @(Invoke-Control -Method POST -Path "fleet?count=$ClusterCount&prefix=$Prefix")
$clusters = @($clusterIds | ForEach-Object { [pscustomobject]@{ ClusterResourceId = $_ } })
$attach = @(0..($ComputeCount - 1) | Where-Object { $ComputeCount -gt 0 } | ForEach-Object {
        [pscustomobject]@{ Name = '{0}-c{1:000}' -f $Prefix, $_; ClusterResourceId = $clusterIds[$_] }
    })

$phases = [System.Collections.Generic.List[object]]::new()
$errorsById = [ordered]@{}
$warningsByText = [ordered]@{}
$script:computes = @()

# How many requests the emulator had logged before each phase: a phase reads only the ones after.
$script:logged = @(Invoke-Control -Path 'requests?since=0').Count

# Runs one command line; its error records (non-terminating, or the terminating one that ended it) and warnings are
# counted, and the requests the emulator answered meanwhile are classified.
function Invoke-Phase([string] $Name, [string] $CommandLine, [int] $Operations, [scriptblock] $Command) {
    $records = [System.Collections.Generic.List[object]]::new()
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $ErrorActionPreference = 'Continue'
    try {
        & $Command 2>&1 3>&1 | ForEach-Object { $records.Add($_) }
    }
    catch {
        $records.Add($_)
    }
    $clock.Stop()
    $ErrorActionPreference = 'Stop'

    $output = @($records | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.WarningRecord] })
    $errors = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    $warnings = @($records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
    foreach ($record in $errors) {
        $id = $record.FullyQualifiedErrorId
        # The cluster the error names (its target or message): a setting missing there was reported, not lost silently.
        $cluster = [regex]::Match("$($record.TargetObject) $record", "$Prefix-\d{3}").Value
        if (-not $errorsById.Contains($id)) { $errorsById[$id] = [pscustomobject]@{ Id = $id; Count = 0; First = "$record"; Phase = $Name; Clusters = [System.Collections.Generic.List[string]]::new() } }
        $errorsById[$id].Count++
        if ($cluster) { $errorsById[$id].Clusters.Add($cluster) }
    }
    foreach ($record in $warnings) {
        # Cluster names vary; the text of the warning is what repeats.
        $text = $record.Message -replace "'$Prefix-\d+'", "'<cluster>'"
        if (-not $warningsByText.Contains($text)) { $warningsByText[$text] = 0 }
        $warningsByText[$text]++
    }

    $requests = @(Invoke-Control -Path "requests?since=$script:logged")
    $script:logged += $requests.Count
    $kubernetes = @($requests | Where-Object { $_.path -like '/k8s/*' })
    $arm = @($requests | Where-Object { $_.path -notlike '/k8s/*' })
    $faulted = { param($r) $r.status -in 429, 500, 503, 0 }
    # What changes something: ARM's PUT, PATCH, DELETE and POST actions other than the list* reads.
    $writes = @($arm | Where-Object { $_.method -in 'PUT', 'PATCH', 'DELETE' -or ($_.method -eq 'POST' -and $_.path -notmatch '/list[A-Za-z]*$') })
    $phase = [pscustomobject]@{
        Name              = $Name
        CommandLine       = $CommandLine
        Operations        = $Operations
        Output            = $output.Count
        Errors            = $errors.Count
        Warnings          = $warnings.Count
        Seconds           = [Math]::Round($clock.Elapsed.TotalSeconds, 2)
        ArmRequests       = $arm.Count
        ArmFaulted        = @($arm | Where-Object { & $faulted $_ }).Count
        ArmWrites         = $writes.Count
        KubernetesRequests = $kubernetes.Count
        KubernetesFaulted = @($kubernetes | Where-Object { & $faulted $_ }).Count
    }
    $phases.Add($phase)
    '{0,-31} {1,5} {2,7:0.0} {3,6} {4,6} {5,6} {6,6} {7,6} {8,6} {9,6}' -f $Name, $Operations, $phase.Seconds, $phase.ArmRequests, $phase.ArmFaulted,
        $phase.ArmWrites, $phase.KubernetesRequests, $phase.KubernetesFaulted, $phase.Errors, $phase.Warnings
    $output
}

# Each phase's output is kept where a later phase needs it (the computes); the table rows go to the console.
function Show-Phase { process { if ($_ -is [string]) { $_ } } }

"Fault soak: $ClusterCount clusters ($Prefix-000 ...), $ComputeCount computes, ThrottleLimit $ThrottleLimit, against $endpoint"
'{0,-31} {1,5} {2,7} {3,6} {4,6} {5,6} {6,6} {7,6} {8,6} {9,6}' -f 'phase', 'ops', 'wall s', 'ARM', 'fault', 'writes', 'k8s', 'fault', 'errors', 'warn'
$clock = [Diagnostics.Stopwatch]::StartNew()

Invoke-Phase 'install (training)' '$clusters | New-AzMLK8sExtension -EnableTraining -ThrottleLimit 16' $clusters.Count {
    $clusters | New-AzMLK8sExtension -EnableTraining -ThrottleLimit $ThrottleLimit
} | Show-Phase
Invoke-Phase 'read' '$clusters | Get-AzMLK8sExtension' $clusters.Count {
    $clusters | Get-AzMLK8sExtension
} | Show-Phase
Invoke-Phase 'install again (no change)' '$clusters | New-AzMLK8sExtension -EnableTraining -ThrottleLimit 16' $clusters.Count {
    $clusters | New-AzMLK8sExtension -EnableTraining -ThrottleLimit $ThrottleLimit
} | Show-Phase
Invoke-Phase 'update clusterPurpose' "`$clusters | Update-AzMLK8sExtension -ConfigurationSetting @{ clusterPurpose = 'FastProd' } -Force" $clusters.Count {
    $clusters | Update-AzMLK8sExtension -ConfigurationSetting @{ clusterPurpose = 'FastProd' } -Force -ThrottleLimit $ThrottleLimit
} | Show-Phase
Invoke-Phase 'update skipResourceValidation' "`$clusters | Update-AzMLK8sExtension -ConfigurationSetting @{ 'amloperator.skipResourceValidation' = `$true } -Force" $clusters.Count {
    $clusters | Update-AzMLK8sExtension -ConfigurationSetting @{ 'amloperator.skipResourceValidation' = $true } -Force -ThrottleLimit $ThrottleLimit
} | Show-Phase
Invoke-Phase 'read' '$clusters | Get-AzMLK8sExtension' $clusters.Count {
    $clusters | Get-AzMLK8sExtension
} | Show-Phase
Invoke-Phase 'health' '$clusters | Test-AzMLK8sExtension' $clusters.Count {
    $clusters | Test-AzMLK8sExtension
} | Show-Phase
if ($attach.Count -gt 0) {
    $attachLine = '$attach | ForEach-Object { Connect-AzMLK8sCompute -Name $_.Name -WorkspaceName ws-demo -ResourceGroupName rg-demo -ClusterResourceId $_.ClusterResourceId -IdentityType SystemAssigned }'
    foreach ($round in 'attach (one call each)', 'attach again (no change)') {
        $attached = Invoke-Phase $round $attachLine $attach.Count {
            $attach | ForEach-Object {
                Connect-AzMLK8sCompute -Name $_.Name -WorkspaceName ws-demo -ResourceGroupName $info.resourceGroup -ClusterResourceId $_.ClusterResourceId -IdentityType SystemAssigned
            }
        }
        $attached | Show-Phase
        # Grant to every compute either round returned (one missing from both is an error counted above).
        $script:computes = @(@($script:computes) + @($attached | Where-Object { $_ -isnot [string] }) | Group-Object Name | ForEach-Object { $_.Group[-1] })
    }

    foreach ($round in 'grant AcrPull', 'grant AcrPull again (no change)') {
        Invoke-Phase $round '$computes | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -ThrottleLimit 16' $script:computes.Count {
            $script:computes | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -ThrottleLimit $ThrottleLimit
        } | Show-Phase
    }
}
Invoke-Phase 'computes by cluster' '$clusters | Get-AzMLK8sCompute' $clusters.Count {
    $clusters | Get-AzMLK8sCompute
} | Show-Phase
Invoke-Phase 'read' '$clusters | Get-AzMLK8sExtension' $clusters.Count {
    $clusters | Get-AzMLK8sExtension
} | Show-Phase
$clock.Stop()

# --- End state, read with plain REST calls (the module's view is not the judge) -------------------------------------
function Invoke-Arm([string] $Path, [string] $ApiVersion) {
    $uri = "$endpoint$($Path)?api-version=$ApiVersion"
    for ($attempt = 1; ; $attempt++) {
        try {
            return Invoke-RestMethod -Uri $uri -SkipCertificateCheck -Headers @{ Authorization = 'Bearer fault-soak-check' }
        }
        catch {
            $status = [int]($_.Exception.Response.StatusCode)
            if ($status -eq 404) { return $null }
            # A fault of the emulator's rules (429, 500, 503, a dropped connection): ask again.
            if ($attempt -ge 20 -or ($status -ne 0 -and $status -notin 429, 500, 503)) { throw }
            Start-Sleep -Milliseconds 200
        }
    }
}

$clustersWithErrors = [System.Collections.Generic.SortedSet[string]]::new([string[]]@($errorsById.Values | ForEach-Object Clusters))
$extensionsSucceeded = 0
$settingsLost = [System.Collections.Generic.List[string]]::new()
$settingsNotApplied = [System.Collections.Generic.List[string]]::new()
foreach ($id in $clusterIds) {
    $extension = Invoke-Arm "$id/providers/Microsoft.KubernetesConfiguration/extensions/azureml" '2023-05-01'
    if ($extension.properties.provisioningState -eq 'Succeeded') { $extensionsSucceeded++ }
    $settings = $extension.properties.configurationSettings
    $expected = @{ enableTraining = 'true'; clusterPurpose = 'FastProd'; 'amloperator.skipResourceValidation' = 'true' }
    foreach ($key in $expected.Keys) {
        if ("$($settings.$key)" -ne $expected[$key]) {
            $name = Split-Path -Leaf $id
            $(if ($clustersWithErrors.Contains($name)) { $settingsNotApplied } else { $settingsLost }).Add("${name}: $key=$($settings.$key)")
        }
    }
}

$computesSucceeded = 0
$principals = @{}
foreach ($compute in $attach) {
    $resource = Invoke-Arm "$group/providers/Microsoft.MachineLearningServices/workspaces/ws-demo/computes/$($compute.Name)" '2024-04-01'
    if ($resource.properties.provisioningState -eq 'Succeeded') { $computesSucceeded++ }
    if ($resource.identity.principalId) { $principals[$resource.identity.principalId] = $compute.Name }
}

$assignments = @((Invoke-Arm "$registryId/providers/Microsoft.Authorization/roleAssignments" '2022-04-01').value |
        Where-Object { $_.properties.roleDefinitionId -like "*/$acrPull" -and $principals.ContainsKey($_.properties.principalId) })
$perPrincipal = $assignments | Group-Object { $_.properties.principalId }
$duplicated = @($perPrincipal | Where-Object Count -gt 1).Count
$withoutAcrPull = @($principals.Keys | Where-Object { $_ -notin $perPrincipal.Name }).Count

# --- Report ----------------------------------------------------------------------------------------------------------
$operations = [int]($phases | Measure-Object Operations -Sum).Sum
$armRequests = [int]($phases | Measure-Object ArmRequests -Sum).Sum
$armFaulted = [int]($phases | Measure-Object ArmFaulted -Sum).Sum
$kubernetesRequests = [int]($phases | Measure-Object KubernetesRequests -Sum).Sum
$kubernetesFaulted = [int]($phases | Measure-Object KubernetesFaulted -Sum).Sum
$errorCount = [int]($phases | Measure-Object Errors -Sum).Sum
$unexpected = @($errorsById.Values | Where-Object Id -like 'UnexpectedError*').Count
$endStateRight = $extensionsSucceeded -eq $clusterIds.Count -and $settingsLost.Count -eq 0 -and $computesSucceeded -eq $attach.Count -and
    $duplicated -eq 0 -and $withoutAcrPull -eq 0 -and $principals.Count -eq $attach.Count
$passed = $errorCount -eq 0 -and $endStateRight

''
'{0} operations in {1:0.0} s; {2} ARM requests ({3} answered with a fault: 429, 500, 503 or a dropped connection), {4} Kubernetes API requests ({5} faulted); injected latency is not counted as a fault' -f `
    $operations, $clock.Elapsed.TotalSeconds, $armRequests, $armFaulted, $kubernetesRequests, $kubernetesFaulted
'errors: {0}{1}' -f $errorCount, $(if ($errorCount) { ' (by FullyQualifiedErrorId below)' } else { '' })
foreach ($entry in $errorsById.Values) {
    '  {0,4} x {1} (first in "{2}"{3}): {4}' -f $entry.Count, $entry.Id, $entry.Phase, $(if ($entry.Clusters.Count) { ", on $($entry.Clusters -join ', ')" }), $entry.First
}
if ($unexpected) { "  UnexpectedError is a bug of the module: every error must say what failed." }
foreach ($text in $warningsByText.Keys) {
    '  warning, {0} x: {1}' -f $warningsByText[$text], $text
}
'end state: {0}/{1} extensions Succeeded, {2} settings lost silently ({3} not applied where the command reported an error); {4}/{5} computes Succeeded; {6} AcrPull assignments for {7} compute identities, {8} duplicated, {9} missing' -f `
    $extensionsSucceeded, $clusterIds.Count, $settingsLost.Count, $settingsNotApplied.Count, $computesSucceeded, $attach.Count, $assignments.Count, $principals.Count, $duplicated, $withoutAcrPull
$settingsLost | Select-Object -First 5 | ForEach-Object { "  setting lost silently: $_" }
$settingsNotApplied | Select-Object -First 5 | ForEach-Object { "  setting not applied (its command reported an error): $_" }
'result: {0}' -f $(if ($passed) { 'PASS (no error, end state right)' } else { "FAIL ($errorCount errors, end state $(if ($endStateRight) { 'right' } else { 'WRONG' }))" })

if ($ResultPath) {
    [ordered]@{
        prefix              = $Prefix
        clusters            = $clusterIds.Count
        computes            = $attach.Count
        operations          = $operations
        seconds             = [Math]::Round($clock.Elapsed.TotalSeconds, 2)
        armRequests         = $armRequests
        armFaulted          = $armFaulted
        kubernetesRequests  = $kubernetesRequests
        kubernetesFaulted   = $kubernetesFaulted
        errors              = $errorCount
        errorsById          = @($errorsById.Values | ForEach-Object { [ordered]@{ id = $_.Id; count = $_.Count; phase = $_.Phase; first = $_.First; clusters = @($_.Clusters) } })
        clustersWithErrors  = @($clustersWithErrors)
        warnings            = @($warningsByText.Keys | ForEach-Object { [ordered]@{ text = $_; count = $warningsByText[$_] } })
        extensionsSucceeded = $extensionsSucceeded
        settingsLost        = $settingsLost.Count
        settingsNotApplied  = $settingsNotApplied.Count
        computesSucceeded   = $computesSucceeded
        acrPullAssignments  = $assignments.Count
        duplicated          = $duplicated
        withoutAcrPull      = $withoutAcrPull
        endStateRight       = $endStateRight
        phases              = $phases
        passed              = $passed
    } | ConvertTo-Json -Depth 5 | Set-Content -Path $ResultPath -Encoding utf8
}

exit ([int](-not $passed))
