#Requires -Version 7.4
# The module in a pwsh session where other modules already loaded their own Azure.Core, KubernetesClient, YamlDotNet
# and Fractions (Az.Accounts, a Kubernetes module): the module's cmdlets work, on the versions they ship with, in the
# engine's load context, and the session's own versions stay as they were. A fresh pwsh per case, as a user's session.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    $script:Emulator = Start-TestEmulator
    $configuration = if ($env:AZMLK8S_CONFIGURATION) { $env:AZMLK8S_CONFIGURATION } else { 'Release' }
    $script:Older = Join-Path (Get-RepoRoot) "tests/AzMLK8s.IsolationProbe/bin/$configuration/net10.0"

    # Loads the given assemblies into the session first (as other modules would), then imports the module, signs in,
    # and calls a cluster and an ARM cmdlet; prints each assembly of interest with its version and load context.
    function Invoke-SessionWith([string[]] $Assemblies) {
        $load = ($Assemblies | ForEach-Object { "Add-Type -Path '$_'" }) -join "`n"
        Invoke-Pwsh -NonInteractive -Script @"
$load
`$aks = '$($Emulator.ClusterId['aks-demo'])'
$(Get-TestEmulatorSignIn -Emulator $Emulator)
`$extensions = @(Get-AzMLK8sExtension -ClusterResourceId `$aks -ErrorAction Stop)
`$checks = @(Test-AzMLK8sPrerequisite -ClusterResourceId `$aks -ErrorAction Stop)
"calls: `$(`$extensions.Count) extensions, `$(`$checks.Count) checks, cluster check `$((`$checks | Where-Object Name -eq 'Cluster.SchedulableNodes').Status)"
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'Azure.Core', 'KubernetesClient', 'YamlDotNet', 'Fractions' } | ForEach-Object {
    "loaded: {0} {1} [{2}]" -f `$_.GetName().Name, `$_.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name
}
"@
    }
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'Beside other modules'' versions' {
    It 'works with an older Azure.Core already loaded (as Az.Accounts loads one), on its own in the engine''s context' {
        $run = Invoke-SessionWith @(Join-Path $Older 'old-azure-core/Azure.Core.dll')

        $run.Error | Should -BeNullOrEmpty
        $run.Output | Should -Match 'calls: 0 extensions, \d+ checks, cluster check Pass'
        $run.Output | Should -Match 'loaded: Azure\.Core 1\.36\.0\.0 \[Default\]'
        $run.Output | Should -Match 'loaded: Azure\.Core 1\.(6[4-9]|[7-9]\d)\.\d+\.\d+ \[AzMLK8s\.Engine\]'
    }

    It 'works with another KubernetesClient, YamlDotNet and Fractions already loaded, reaching the cluster with its own' {
        $other = Join-Path $Older 'other-kubernetes-client'
        $run = Invoke-SessionWith @((Join-Path $other 'Fractions.dll'), (Join-Path $other 'YamlDotNet.dll'), (Join-Path $other 'KubernetesClient.dll'))

        $run.Error | Should -BeNullOrEmpty
        $run.Output | Should -Match 'cluster check Pass'
        $run.Output | Should -Match 'loaded: KubernetesClient 19\.\d+\.\d+\.\d+ \[Default\]'
        $run.Output | Should -Match 'loaded: KubernetesClient 2[1-9]\.\d+\.\d+\.\d+ \[AzMLK8s\.Engine\]'
        $run.Output | Should -Match 'loaded: YamlDotNet 16\.\d+\.\d+\.\d+ \[Default\]'
        $run.Output | Should -Match 'loaded: YamlDotNet 1[89]\.\d+\.\d+\.\d+ \[AzMLK8s\.Engine\]'
    }
}
