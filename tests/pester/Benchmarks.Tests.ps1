#Requires -Version 7.4
# The benchmark's scripts (tests/AzMLK8s.Benchmarks/*.ps1) run here once on a small scale, each in a fresh pwsh as the
# benchmark starts them, so that they cannot rot between benchmark runs. No timing is asserted: the figures belong to
# the benchmark (dotnet run -c Release --project tests/AzMLK8s.Benchmarks).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    # Operations answered with Retry-After: 1, which the module's poll follows (as the benchmark's emulator does).
    $script:Emulator = Start-TestEmulator -OperationMilliseconds 300 -ArgumentList '--retry-after', '1'
    $script:Scripts = Join-Path (Get-RepoRoot) 'tests/AzMLK8s.Benchmarks'
    $script:Module = Get-BuiltModulePath

    # Runs a benchmark script in a fresh pwsh with its parameters; returns ExitCode, Output and Error.
    function Invoke-BenchmarkScript([string] $Name, [hashtable] $Parameters, [int] $TimeoutSeconds = 120) {
        $arguments = ($Parameters.GetEnumerator() | ForEach-Object { "-$($_.Key) '$("$($_.Value)".Replace("'", "''"))'" }) -join ' '
        Invoke-Pwsh -Script "& '$(Join-Path $Scripts $Name)' $arguments`nexit `$LASTEXITCODE" -NonInteractive -TimeoutSeconds $TimeoutSeconds
    }
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'Measure-ColdStart.ps1' {
    It 'imports the built module, signs in and reports each phase up to the first cluster answer, with one extension read per call' {
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $run = Invoke-BenchmarkScript 'Measure-ColdStart.ps1' @{
            ArmEndpoint       = $Emulator.BaseAddress
            Thumbprint        = $Emulator.Thumbprint
            ClusterResourceId = $Emulator.ClusterId['aks-demo']
            ModulePath        = $Module
        }

        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Error | Should -BeNullOrEmpty
        foreach ($phase in 'phase Import-Module', 'phase Set-AzMLK8sContext', 'phase Get-AzMLK8sExtension, first request', 'phase Get-AzMLK8sExtension again',
            'phase Test-AzMLK8sPrerequisite, first cluster call', 'cold start in the script (import to first answer)',
            'cold start in the script (import to the first cluster answer)', 'cold start cpu time') {
            $run.Output | Should -Match "(?m)^$([regex]::Escape($phase))[^:\r\n]*: \d+\.\d ms\r?$"
        }
        $run.Output | Should -Match '(?m)^timestamp script-start: \d+'
        $run.Output | Should -Match '(?m)^errors: 0'
        $requests = @(Get-EmulatorRequest -Emulator $Emulator -Since $before)
        $extensionReads = @($requests | Where-Object path -like '*/managedClusters/aks-demo/providers/Microsoft.KubernetesConfiguration/extensions')
        $extensionReads | Should -HaveCount 2
        $extensionReads.method | Select-Object -Unique | Should -Be 'GET'
        @($requests | Where-Object path -like '*/managedClusters/aks-demo/listClusterUserCredential') | Should -HaveCount 1
        @($requests | Where-Object path -match '^/k8s/' | Where-Object path -like '*/api/v1/nodes*') | Should -Not -BeNullOrEmpty -Because 'the cluster call reads the nodes from the cluster''s API'
        @(Get-EmulatorWrite -Emulator $Emulator -Since $before) | Should -BeNullOrEmpty
    }
}

Describe 'Invoke-FaultSoak.ps1' {
    It 'rides out faults on ARM and the cluster APIs on a small fleet: no error, every extension and setting there, one AcrPull per compute' {
        Invoke-EmulatorControl -Emulator $Emulator -Method POST -Path 'faults/seed?value=7' | Out-Null
        foreach ($rule in '429=0.03,retry-after=1', '500=0.03', '503=0.03,retry-after=1', 'reset=0.03', 'latency=0.03,latency-ms=100') {
            Invoke-EmulatorControl -Emulator $Emulator -Method POST -Path 'faults' -Body $rule | Out-Null
        }
        $resultPath = Join-Path $TestDrive 'soak.json'

        try {
            $run = Invoke-BenchmarkScript 'Invoke-FaultSoak.ps1' @{
                ArmEndpoint  = $Emulator.BaseAddress
                ModulePath   = $Module
                ClusterCount = 2
                ComputeCount = 1
                Prefix       = 'pestersoak'
                ResultPath   = $resultPath
            } -TimeoutSeconds 180
        }
        finally {
            Invoke-EmulatorControl -Emulator $Emulator -Method DELETE -Path 'faults' | Out-Null
        }

        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'result: PASS'
        $result = Get-Content -Raw $resultPath | ConvertFrom-Json
        $result.operations | Should -Be (9 * 2 + 4 * 1)
        $result.errors | Should -Be 0
        $result.extensionsSucceeded | Should -Be 2
        $result.settingsLost | Should -Be 0
        $result.computesSucceeded | Should -Be 1
        $result.acrPullAssignments | Should -Be 1
        $result.duplicated | Should -Be 0
        $result.phases | Should -HaveCount 13
        $result.armRequests | Should -BeGreaterThan 0
        # The emulator's word beside the script's: the last cluster's extension carries both updated settings.
        $extension = Get-EmulatorResource -Emulator $Emulator -ApiVersion '2023-05-01' `
            -ResourceId "/subscriptions/$($Emulator.SubscriptionId)/resourceGroups/$($Emulator.ResourceGroup)/providers/Microsoft.ContainerService/managedClusters/pestersoak-001/providers/Microsoft.KubernetesConfiguration/extensions/azureml"
        $extension.properties.configurationSettings.clusterPurpose | Should -Be 'FastProd'
        $extension.properties.configurationSettings.'amloperator.skipResourceValidation' | Should -Be 'true'
    }
}
