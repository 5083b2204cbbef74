#Requires -Version 7.4
# Connect-AzMLK8sCompute to a workspace that runs as a user-assigned identity: the roles Azure ML acts with on the
# cluster, its Relay and its Service Bus are checked before anything is written (the service would only fail late),
# roles that include the needed permissions are accepted (Owner for Kubernetes Extension Contributor, not for Azure
# Relay Owner's data actions), and the error names each missing role and the command that grants them.
# Custom roles and AKS without local accounts (state the emulator's ARM API cannot create) are in
# tests/AzMLK8s.PowerShellHost.Tests/Computes/ComputeSeededStateTests.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/Computes.TestSupport.psm1') -Force
    Import-BuiltModule
}

Describe 'A user-assigned workspace identity and its roles' {
    BeforeEach {
        # A fresh emulator per test: the roles one test assigns must not help the next.
        $script:Emulator = Start-TestEmulator
        Set-TestFastOperation -Emulator $Emulator
        Connect-TestEmulator -Emulator $Emulator | Out-Null
        $script:Id = Get-TestId -Emulator $Emulator
        Install-TestAzureML -ClusterResourceId $Id.Aks
    }

    AfterEach {
        $script:Emulator | Stop-TestEmulator
    }

    It 'refuses the attach, naming each missing role and the grant command, and attaches nothing' {
        $null = Add-TestRoleAssignment -Emulator $Emulator -RoleName Reader -Scope $Id.ResourceGroup
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $raised = Get-RaisedError { Connect-AzMLK8sCompute -Name aks-compute -WorkspaceResourceId $Id.UaiWorkspace -ClusterResourceId $Id.Aks -ErrorAction Stop }

        $raised.FullyQualifiedErrorId | Should -Be 'WorkspaceIdentityRoleMissing,AzMLK8s.Cmdlets.Computes.ConnectAzMLK8sComputeCommand'
        $raised.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $raised.ErrorDetails.Message | Should -Match 'Kubernetes Extension Contributor'
        $raised.ErrorDetails.Message | Should -Match 'Azure Kubernetes Service Cluster Admin Role'
        $raised.ErrorDetails.Message | Should -Not -Match '  - Reader'
        $raised.ErrorDetails.RecommendedAction | Should -Be "Grant them, then attach again: Grant-AzMLWorkspaceIdentityRole -WorkspaceName 'ws-uai' -ResourceGroupName 'rg-demo' -ClusterResourceId '$($Id.Aks)'"
        Get-EmulatorRouteCount -Emulator $Emulator -Since $before -Method PUT -Route Compute_CreateOrUpdate | Should -Be 0
    }

    It 'accepts Owner on the resource group for the cluster roles and says so on the verbose stream' {
        $null = Add-TestRoleAssignment -Emulator $Emulator -RoleName Owner -Scope $Id.ResourceGroup

        $all = Connect-AzMLK8sCompute -Name aks-compute -WorkspaceResourceId $Id.UaiWorkspace -ClusterResourceId $Id.Aks -Verbose 4>&1

        @($all | Where-Object { $_ -is [AzMLK8s.Model.Computes.AzMLK8sCompute] }).ProvisioningState | Should -Be 'Succeeded'
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        $verbose | Where-Object { $_.StartsWith('Kubernetes Extension Contributor on') -and $_.Contains("'Owner'") } | Should -Not -BeNullOrEmpty
    }

    It 'does not accept Owner for Azure Relay Owner on an Arc cluster''s relay, whose data actions Owner lacks' {
        Install-TestAzureML -ClusterResourceId $Id.Arc
        $relay = New-TestRelayNamespace -Emulator $Emulator
        $null = Add-TestRoleAssignment -Emulator $Emulator -RoleName Owner -Scope $Id.ResourceGroup
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $raised = Get-RaisedError { Connect-AzMLK8sCompute -Name arc-compute -WorkspaceResourceId $Id.UaiWorkspace -ClusterResourceId $Id.Arc -ErrorAction Stop }

        $raised.FullyQualifiedErrorId | Should -BeLike 'WorkspaceIdentityRoleMissing,*'
        $raised.ErrorDetails.Message | Should -Match ([regex]::Escape("Azure Relay Owner on $relay"))
        $raised.ErrorDetails.Message | Should -Not -Match 'Kubernetes Extension Contributor'
        Get-EmulatorRouteCount -Emulator $Emulator -Since $before -Method PUT -Route Compute_CreateOrUpdate | Should -Be 0
    }

    It 'needs Azure Relay Owner on an Arc cluster''s relay even with the cluster roles' {
        Install-TestAzureML -ClusterResourceId $Id.Arc
        $relay = New-TestRelayNamespace -Emulator $Emulator
        $null = Add-TestRoleAssignment -Emulator $Emulator -RoleName Reader -Scope $Id.Arc
        $null = Add-TestRoleAssignment -Emulator $Emulator -RoleName 'Kubernetes Extension Contributor' -Scope $Id.Arc
        $null = Add-TestRoleAssignment -Emulator $Emulator -RoleName 'Azure Kubernetes Service Cluster Admin Role' -Scope $Id.Arc
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $raised = Get-RaisedError { Connect-AzMLK8sCompute -Name arc-compute -WorkspaceResourceId $Id.UaiWorkspace -ClusterResourceId $Id.Arc -ErrorAction Stop }

        $raised.FullyQualifiedErrorId | Should -BeLike 'WorkspaceIdentityRoleMissing,*'
        $raised.ErrorDetails.Message | Should -Match ([regex]::Escape("Azure Relay Owner on $relay"))
        $raised.ErrorDetails.Message | Should -Match 'lacks 1 role'
        $raised.ErrorDetails.Message | Should -Not -Match 'Cluster Admin|Kubernetes Extension Contributor'
        Get-EmulatorRouteCount -Emulator $Emulator -Since $before -Method PUT -Route Compute_CreateOrUpdate | Should -Be 0
    }

    It 'needs Azure Service Bus Data Owner on the namespace the extension''s Service Bus setting names, attaches once it is granted, and never shows the connection string' {
        $serviceBus = "$($Id.ResourceGroup)/providers/Microsoft.ServiceBus/namespaces/aksdemobus"
        $connectionString = 'Endpoint=sb://aksdemobus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=sb-canary-3c9e1f0a-DO-NOT-PRINT'
        $cluster = Add-TestCluster -Emulator $Emulator -Prefix bus
        $null = New-AzMLK8sExtension -ClusterResourceId $cluster -EnableTraining -ConfigurationSetting @{ 'servicebus.enabled' = 'true'; 'servicebus.resourceID' = $serviceBus } `
            -ConfigurationProtectedSetting @{ serviceBusConnectionString = (ConvertTo-SecureString $connectionString -AsPlainText -Force) } -WarningAction SilentlyContinue -ErrorAction Stop
        # The cluster roles as an admin grants them by hand; Grant-AzMLWorkspaceIdentityRole would grant the Service Bus role too.
        foreach ($role in 'Reader', 'Kubernetes Extension Contributor', 'Azure Kubernetes Service Cluster Admin Role') {
            $null = Add-TestRoleAssignment -Emulator $Emulator -RoleName $role -Scope $cluster
        }

        $refused = Connect-AzMLK8sCompute -Name bus-compute -WorkspaceResourceId $Id.UaiWorkspace -ClusterResourceId $cluster -Verbose -ErrorAction Continue *>&1
        $failed = @($refused | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $null = Add-TestRoleAssignment -Emulator $Emulator -RoleName 'Azure Service Bus Data Owner' -Scope $serviceBus
        $attached = Connect-AzMLK8sCompute -Name bus-compute -WorkspaceResourceId $Id.UaiWorkspace -ClusterResourceId $cluster -Verbose *>&1

        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'WorkspaceIdentityRoleMissing,*'
        $failed[0].ErrorDetails.Message | Should -Match ([regex]::Escape("Azure Service Bus Data Owner on $serviceBus"))
        @($attached | Where-Object { $_ -is [AzMLK8s.Model.Computes.AzMLK8sCompute] }).ProvisioningState | Should -Be 'Succeeded'
        @($refused) + @($attached) | Out-String -Width 4096 | Assert-NoCanary -Canary $connectionString, 'sb-canary-3c9e1f0a', (Get-CanaryToken)
        $Error | Out-String -Width 4096 | Assert-NoCanary -Canary 'sb-canary-3c9e1f0a'
    }
}
