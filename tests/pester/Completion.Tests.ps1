#Requires -Version 7.4
# Tab completion of live names, as PowerShell completes them (TabExpansion2): resource groups, clusters, workspaces
# and computes of the signed-in subscription, narrowed by what the line already holds; one list call, cached per
# session; no names (and no error) when the subscription cannot be reached.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-TestEmulator
    $null = Connect-TestEmulator -Emulator $Emulator

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
    }
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'Live names' {
    It 'completes -ResourceGroupName from the subscription' {
        Get-Completion 'New-AzMLK8sExtension -ResourceGroupName ' | Should -Be @('rg-demo')
    }

    It 'completes -ClusterName with the AKS and Arc clusters, narrowed by -ClusterType and by what was typed' {
        Get-Completion 'New-AzMLK8sExtension -ResourceGroupName rg-demo -ClusterName ' | Should -Be @('aks-demo', 'arc-demo', 'arc-ocp')
        Get-Completion 'New-AzMLK8sExtension -ResourceGroupName rg-demo -ClusterType Aks -ClusterName ' | Should -Be @('aks-demo')
        Get-Completion 'Test-AzMLK8sPrerequisite -ClusterName arc-o' | Should -Be @('arc-ocp')
    }

    It 'completes -WorkspaceName, and a compute''s -Name with the Kubernetes computes of that workspace only' {
        $null = New-AzMLK8sExtension -ClusterResourceId $Emulator.ClusterId['aks-demo'] -EnableTraining -ErrorAction Stop
        $null = Connect-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo -Name completion-k8s `
            -ClusterResourceId $Emulator.ClusterId['aks-demo'] -Namespace team-a -IdentityType SystemAssigned -ErrorAction Stop

        Get-Completion 'Get-AzMLK8sCompute -ResourceGroupName rg-demo -WorkspaceName ' | Should -Be @('ws-demo', 'ws-uai')
        Get-Completion 'Disconnect-AzMLK8sCompute -ResourceGroupName rg-demo -WorkspaceName ws-demo -Name comp' | Should -Be @('completion-k8s')
        Get-Completion 'Grant-AzMLComputeRole -ResourceGroupName rg-demo -WorkspaceName ws-demo -ComputeName ' | Should -Contain 'completion-k8s'
    }

    It 'asks ARM once per list and session: the same completion again sends no request' {
        $null = Get-Completion 'Get-AzMLK8sCompute -WorkspaceName '
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $again = Get-Completion 'Connect-AzMLK8sCompute -WorkspaceName w'

        $again | Should -Be @('ws-demo', 'ws-uai')
        Get-EmulatorRequestCount -Emulator $Emulator | Should -Be $before
    }
}

Describe 'When the subscription cannot be reached' {
    It 'completes nothing, shows no error, and does not retry' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $null = Set-AzMLK8sContext -ArmEndpoint "https://127.0.0.1:$port/" -TrustedCertificateThumbprint $Emulator.Thumbprint `
            -SubscriptionId $Emulator.SubscriptionId -AuthMethod AccessToken -AccessToken (ConvertTo-SecureString x -AsPlainText -Force)
        $Error.Clear()

        $names = Get-Completion 'New-AzMLK8sExtension -ResourceGroupName '

        $names | Where-Object { $_ -and $_ -notmatch '^\.[\\/]' } | Should -BeNullOrEmpty
        $Error | Should -BeNullOrEmpty
    }
}
