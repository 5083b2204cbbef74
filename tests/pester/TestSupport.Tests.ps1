#Requires -Version 7.4
# The shared helpers observe the emulator as the suites rely on them to: a helper that sees nothing would make every
# "nothing was written" assertion pass whatever the cmdlet did.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-TestEmulator
    Connect-TestEmulator -Emulator $Emulator | Out-Null
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'The request log helpers' {
    It 'write one object per request, so a pipeline sees each request' {
        $before = Get-EmulatorRequestCount -Emulator $Emulator
        Get-AzMLK8sExtension -ClusterResourceId $Emulator.ClusterId['aks-demo'] | Out-Null
        Get-AzMLK8sExtension -ClusterResourceId $Emulator.ClusterId['arc-demo'] | Out-Null

        $piped = Get-EmulatorRequest -Emulator $Emulator -Since $before | Measure-Object

        $piped.Count | Should -Be 2
        Get-EmulatorRequestCount -Emulator $Emulator | Should -Be ($before + 2)
        Get-EmulatorRequest -Emulator $Emulator -Since $before | ForEach-Object { $_.method } | Should -Be @('GET', 'GET')
    }

    It 'count an install''s PUT as a write and its reads and credential listing as none' {
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        New-AzMLK8sExtension -ClusterResourceId $Emulator.ClusterId['aks-demo'] -EnableTraining | Out-Null
        Test-AzMLK8sPrerequisite -ClusterResourceId $Emulator.ClusterId['aks-demo'] | Out-Null

        $writes = @(Get-EmulatorWrite -Emulator $Emulator -Since $before)
        $writes | Should -HaveCount 1
        $writes[0].method | Should -Be 'PUT'
        $writes[0].route | Should -Be 'Extensions_Create'
        @(Get-EmulatorRequest -Emulator $Emulator -Since $before | Where-Object method -EQ 'POST').Count | Should -BeGreaterThan 0
    }
}
