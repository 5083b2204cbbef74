#Requires -Version 7.4
# Errors of the five extension cmdlets as the caller asks for them: -ErrorAction Stop, Continue, SilentlyContinue and
# Ignore, -ErrorVariable (and +name to append), and a bare cluster id string piped in, which binds as -ClusterResourceId.

BeforeDiscovery {
    # Each cmdlet with a call that fails on its own (a non-terminating error) and sends no write.
    $failing = @(
        @{ Cmdlet = 'New-AzMLK8sExtension'; ErrorId = 'Extension.ClusterNotFound'; Parameters = @{ ClusterName = 'nope'; ResourceGroupName = 'rg-demo'; ClusterType = 'Aks'; EnableTraining = $true } }
        @{ Cmdlet = 'Get-AzMLK8sExtension'; ErrorId = 'Extension.NotFound'; Parameters = @{ ClusterName = 'aks-demo'; ResourceGroupName = 'rg-demo'; ClusterType = 'Aks'; Name = 'nothing' } }
        @{ Cmdlet = 'Update-AzMLK8sExtension'; ErrorId = 'Extension.NotFound'; Parameters = @{ ClusterName = 'aks-demo'; ResourceGroupName = 'rg-demo'; ClusterType = 'Aks'; InstallVolcano = $false } }
        @{ Cmdlet = 'Remove-AzMLK8sExtension'; ErrorId = 'Extension.InvalidName'; Parameters = @{ ClusterName = 'aks-demo'; ResourceGroupName = 'rg-demo'; ClusterType = 'Aks'; Name = '-x'; Confirm = $false } }
        @{ Cmdlet = 'Test-AzMLK8sExtension'; ErrorId = 'Extension.NotFound'; Parameters = @{ ClusterName = 'aks-demo'; ResourceGroupName = 'rg-demo'; ClusterType = 'Aks' } }
    )
    $script:Cases = foreach ($case in $failing) {
        foreach ($action in 'Stop', 'Continue', 'SilentlyContinue', 'Ignore') { $case + @{ Action = $action } }
    }
    $script:Cmdlets = $failing
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/Extensions.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-ExtensionTestEmulator
    $script:Aks = $Emulator.ClusterId['aks-demo']
    Connect-TestEmulator -Emulator $Emulator | Out-Null
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'Errors of the extension cmdlets' {
    It '<Cmdlet> with -ErrorAction <Action> handles <ErrorId> as PowerShell does' -ForEach $Cases {
        $Error.Clear()
        $since = Get-EmulatorRequestCount -Emulator $Emulator
        $commandName = $Cmdlet
        $arguments = $Parameters

        switch ($Action) {
            'Stop' {
                { & $commandName @arguments -ErrorAction Stop; 'not reached' } |
                    Should -Throw -ErrorId "$ErrorId,AzMLK8s.Cmdlets.Extensions.$($Cmdlet -replace '-', '')Command"
                $Error[0] | Get-ErrorId | Should -Be $ErrorId
            }
            'Continue' {
                $records = & { & $commandName @arguments -ErrorAction Continue -ErrorVariable failure; 'next statement' } 2>&1
                $records | Should -HaveCount 2
                $records[0] | Should -BeOfType [Management.Automation.ErrorRecord]
                $records[0] | Get-ErrorId | Should -Be $ErrorId
                $records[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
                $records[1] | Should -Be 'next statement'
                $failure | Should -HaveCount 1
                $Error | Should -HaveCount 1
            }
            'SilentlyContinue' {
                $records = & $commandName @arguments -ErrorAction SilentlyContinue -ErrorVariable failure 2>&1
                $records | Should -BeNullOrEmpty
                $failure | Should -HaveCount 1
                $failure[0] | Get-ErrorId | Should -Be $ErrorId
                $Error | Should -HaveCount 1
            }
            'Ignore' {
                $records = & $commandName @arguments -ErrorAction Ignore -ErrorVariable failure 2>&1
                $records | Should -BeNullOrEmpty
                $failure | Should -BeNullOrEmpty
                $Error | Should -BeNullOrEmpty
            }
        }
        Get-EmulatorWrite -Emulator $Emulator -Since $since | Should -BeNullOrEmpty
    }

    It '-ErrorVariable +name appends the errors of the next calls to what the variable held' {
        $failure = [Collections.ArrayList]::new()

        Get-AzMLK8sExtension -ClusterResourceId $Aks -Name nothing -ErrorAction SilentlyContinue -ErrorVariable failure
        Test-AzMLK8sExtension -ClusterResourceId $Aks -ErrorAction SilentlyContinue -ErrorVariable +failure
        Remove-AzMLK8sExtension -ClusterResourceId $Aks -Name '-x' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable +failure

        ($failure | Get-ErrorId) | Should -Be @('Extension.NotFound', 'Extension.NotFound', 'Extension.InvalidName')
    }

    It '<Cmdlet> binds a bare cluster id string from the pipeline as -ClusterResourceId: the same error as the id given by name' -ForEach $Cmdlets {
        $commandName = $Cmdlet
        $arguments = @{}
        foreach ($key in $Parameters.Keys | Where-Object { $_ -notin 'ClusterName', 'ResourceGroupName', 'ClusterType' }) { $arguments[$key] = $Parameters[$key] }

        # New-AzMLK8sExtension fails on a cluster that does not exist; the others on aks-demo's missing extension.
        $cluster = if ($Cmdlet -eq 'New-AzMLK8sExtension') { $Aks -replace 'aks-demo$', 'nope' } else { $Aks }

        & $commandName -ClusterResourceId $cluster @arguments -ErrorAction SilentlyContinue -ErrorVariable byName | Out-Null
        $cluster | & $commandName @arguments -ErrorAction SilentlyContinue -ErrorVariable piped | Out-Null

        $byName | Should -Not -BeNullOrEmpty
        @($piped | ForEach-Object FullyQualifiedErrorId) | Should -Be @($byName | ForEach-Object FullyQualifiedErrorId)
    }
}
