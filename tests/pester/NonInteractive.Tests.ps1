#Requires -Version 7.4
# A change that needs an answer, in a pwsh that cannot ask (-NonInteractive as Azure Automation and CI run it, or a
# console whose standard input has ended), fails with ConfirmationRequired and names the switch that proceeds;
# nothing is changed. -Debug in such a pwsh shows its records and does not fail. Each case runs in a fresh pwsh.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-TestEmulator
    $null = Connect-TestEmulator -Emulator $Emulator
    $script:Aks = $Emulator.ClusterId['aks-demo']
    $script:Arc = $Emulator.ClusterId['arc-demo']

    # Runs $Script in a fresh pwsh signed in to the emulator; -NonInteractive unless -StdinOnly (then only standard
    # input is closed). Returns the child's output, its errors' ids, and the writes it sent.
    function Invoke-Child([string] $Script, [switch] $StdinOnly) {
        $before = Get-EmulatorRequestCount -Emulator $Emulator
        $run = Invoke-Pwsh -NonInteractive:(-not $StdinOnly) -Script @"
$(Get-TestEmulatorSignIn -Emulator $Emulator)
`$aks = '$Aks'; `$arc = '$Arc'
$Script
"IDS: `$((`$Error | ForEach-Object FullyQualifiedErrorId) -join ' ')"
"@
        [pscustomobject]@{
            Output = $run.Output + $run.Error
            Ids    = ([regex]::Match($run.Output, 'IDS: (.*)').Groups[1].Value -split ' ') | Where-Object { $_ }
            Writes = @(Get-EmulatorWrite -Emulator $Emulator -Since $before | Where-Object path -notmatch '^/k8s/')
        }
    }

    $null = New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining -EnableInference -InferenceRouterServiceType NodePort `
        -AllowInsecureConnection -ErrorAction Stop -WarningAction SilentlyContinue
    $null = Get-AzMLK8sExtension -ClusterResourceId $Aks | Connect-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo `
        -Name noninteractive -Namespace team-a -IdentityType SystemAssigned -ErrorAction Stop
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'A question the host cannot ask' {
    It 'Remove-AzMLK8sExtension (ConfirmImpact High) refuses with ConfirmationRequired naming -Confirm:$false, and deletes nothing' {
        $run = Invoke-Child 'Remove-AzMLK8sExtension -ClusterResourceId $aks'

        $run.Ids | Should -Be @('ConfirmationRequired,AzMLK8s.Cmdlets.Extensions.RemoveAzMLK8sExtensionCommand')
        $run.Output | Should -Match 'cannot ask'
        $run.Output | Should -Match 'add -Confirm:\$false'
        $run.Output | Should -Not -Match 'UnexpectedError|failed unexpectedly'
        $run.Writes | Should -BeNullOrEmpty
    }

    It 'Disconnect-AzMLK8sCompute refuses the same way with standard input at its end (no -NonInteractive)' {
        $run = Invoke-Child -StdinOnly 'Disconnect-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo -Name noninteractive'

        $run.Ids | Should -Be @('ConfirmationRequired,AzMLK8s.Cmdlets.Computes.DisconnectAzMLK8sComputeCommand')
        $run.Writes | Should -BeNullOrEmpty
    }

    It 'a disruptive Update-AzMLK8sExtension refuses with ConfirmationRequired naming -Force, and -Force makes the change' {
        $refused = Invoke-Child 'Update-AzMLK8sExtension -ClusterResourceId $aks -InferenceRouterServiceType LoadBalancer'
        $forced = Invoke-Child 'Update-AzMLK8sExtension -ClusterResourceId $aks -InferenceRouterServiceType LoadBalancer -Force | Out-Null'

        $refused.Ids | Should -Be @('ConfirmationRequired,AzMLK8s.Cmdlets.Extensions.UpdateAzMLK8sExtensionCommand')
        $refused.Output | Should -Match 'add -Force'
        $refused.Writes | Should -BeNullOrEmpty
        $forced.Ids | Should -BeNullOrEmpty
        $forced.Writes.method | Should -Contain 'PATCH'
    }

    It 'Connect-AzMLK8sCompute re-pointing a compute refuses with ConfirmationRequired, and changes nothing' {
        $run = Invoke-Child 'Connect-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo -Name noninteractive -ClusterResourceId $aks -Namespace default -IdentityType SystemAssigned'

        $run.Ids | Should -Be @('ConfirmationRequired,AzMLK8s.Cmdlets.Computes.ConnectAzMLK8sComputeCommand')
        $run.Writes | Should -BeNullOrEmpty
    }

    It 'with -Confirm:$false the same Remove goes ahead without a question' {
        $null = New-AzMLK8sExtension -ClusterResourceId $Arc -EnableTraining -ErrorAction Stop
        $run = Invoke-Child 'Remove-AzMLK8sExtension -ClusterResourceId $arc -Confirm:$false'

        $run.Ids | Should -BeNullOrEmpty
        $run.Writes.method | Should -Contain 'DELETE'
    }
}

Describe '-Debug in a pwsh that cannot ask' {
    It 'shows the debug records and the warnings and goes on (PowerShell''s inquiry after each is not a failure)' {
        $run = Invoke-Child 'New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining -EnableInference -InferenceRouterServiceType LoadBalancer -AllowInsecureConnection -Debug | Out-Null'

        $run.Ids | Should -BeNullOrEmpty
        $run.Output | Should -Match 'DEBUG: ARM GET https://'
        $run.Output | Should -Match 'WARNING:'
        $run.Output | Assert-NoCanary
    }
}
