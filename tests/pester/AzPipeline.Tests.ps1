#Requires -Version 7.4
# The pipeline from what users already have: resource-id strings, and objects shaped exactly as Get-AzAksCluster
# (Az.Aks), Get-AzConnectedKubernetes (Az.ConnectedKubernetes) and Get-AzMLWorkspace (Az.MachineLearningServices) write
# them, into the cluster and compute cmdlets; and the module's own objects, which bind as themselves. Each case shows,
# through PowerShell's own parameter-binding trace, what bound and which parameter set PowerShell chose.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/CrossCutting.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-TestEmulator
    $null = Connect-TestEmulator -Emulator $Emulator
    $script:Group = $Emulator.ResourceGroup
    $script:Sub = $Emulator.SubscriptionId
    $null = New-AzMLK8sExtension -ClusterResourceId $Emulator.ClusterId['aks-demo'] -EnableTraining -ErrorAction Stop

    # The properties (and type name) of Az.Aks's PSKubernetesCluster, as Get-AzAksCluster writes it.
    function New-AzAksClusterObject([string] $Id) {
        $name = Split-Path -Leaf $Id
        [pscustomobject]@{
            PSTypeName              = 'Microsoft.Azure.Commands.Aks.Models.PSKubernetesCluster'
            Id                      = $Id
            Name                    = $name
            ResourceGroupName       = $Group
            Location                = 'eastus'
            Type                    = 'Microsoft.ContainerService/ManagedClusters'
            ProvisioningState       = 'Succeeded'
            KubernetesVersion       = '1.30.4'
            DnsPrefix               = "$name-dns"
            Fqdn                    = "$name-dns.hcp.eastus.azmk8s.io"
            NodeResourceGroup       = "MC_$($Group)_$($name)_eastus"
            EnableRBAC              = $true
            AgentPoolProfiles       = @([pscustomobject]@{ Name = 'nodepool1'; Count = 3; VmSize = 'Standard_D4s_v3' })
            Tags                    = @{}
        }
    }

    # Az.ConnectedKubernetes's ConnectedCluster, as Get-AzConnectedKubernetes writes it.
    function New-AzConnectedClusterObject([string] $Id) {
        [pscustomobject]@{
            PSTypeName         = 'Microsoft.Azure.PowerShell.Cmdlets.ConnectedKubernetes.Models.Api20240101.ConnectedCluster'
            Id                 = $Id
            Name               = Split-Path -Leaf $Id
            ResourceGroupName  = $Group
            Location           = 'eastus'
            Type               = 'microsoft.kubernetes/connectedclusters'
            Distribution       = 'k3s'
            Infrastructure     = 'generic'
            ConnectivityStatus = 'Connected'
            ProvisioningState  = 'Succeeded'
            KubernetesVersion  = '1.30.4'
        }
    }

    # Az.MachineLearningServices's Workspace, as Get-AzMLWorkspace writes it.
    function New-AzMLWorkspaceObject([string] $Name) {
        [pscustomobject]@{
            PSTypeName        = 'Microsoft.Azure.PowerShell.Cmdlets.MachineLearningServices.Models.Api20240401.Workspace'
            Id                = "/subscriptions/$Sub/resourceGroups/$Group/providers/Microsoft.MachineLearningServices/workspaces/$Name"
            Name              = $Name
            ResourceGroupName = $Group
            Location          = 'eastus'
            Type              = 'Microsoft.MachineLearningServices/workspaces'
            Kind              = 'Default'
            IdentityType      = 'SystemAssigned'
            DiscoveryUrl      = 'https://eastus.api.azureml.ms/discovery'
        }
    }
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'Resource-id strings' {
    It 'a cluster id string binds -ClusterResourceId by value in <Command>, set <Set>' -ForEach @(
        @{ Command = 'New-AzMLK8sExtension'; Set = 'ByClusterId'; Run = { $Emulator.ClusterId['aks-demo'] | New-AzMLK8sExtension -EnableTraining -WhatIf } }
        @{ Command = 'Get-AzMLK8sExtension'; Set = 'ByClusterId'; Run = { $Emulator.ClusterId['aks-demo'] | Get-AzMLK8sExtension } }
        @{ Command = 'Test-AzMLK8sPrerequisite'; Set = 'ByClusterId'; Run = { $Emulator.ClusterId['aks-demo'] | Test-AzMLK8sPrerequisite } }
        @{ Command = 'Register-AzMLK8sPrerequisite'; Set = '__AllParameterSets'; Run = { $Emulator.ClusterId['aks-demo'] | Register-AzMLK8sPrerequisite -WhatIf } }
        @{ Command = 'Connect-AzMLK8sCompute'; Set = 'WorkspaceName'; Run = { $Emulator.ClusterId['aks-demo'] | Connect-AzMLK8sCompute -Name by-string -WorkspaceName ws-demo -ResourceGroupName $Group -WhatIf } }
    ) {
        $binding = @(Get-PipelineBinding -CommandName $Command -ScriptBlock $Run)

        $binding | Should -HaveCount 1
        $binding[0].InputType | Should -Be 'System.String'
        $binding[0].Bound.Keys | Should -Be @('ClusterResourceId')
        $binding[0].Bound['ClusterResourceId'] | Should -Be 'ValueFromPipeline'
        Get-ParameterSetOf -CommandName $Command -Parameter @('ClusterResourceId') | Should -Contain $Set
    }

    It 'twenty cluster id strings roll out in one call, every extension Succeeded' {
        $ids = @(Invoke-EmulatorControl -Emulator $Emulator -Method POST -Path 'fleet?count=20&prefix=strings&nodes=3' | ForEach-Object { $_ })

        $installed = @($ids | New-AzMLK8sExtension -EnableTraining -ErrorVariable failed)

        $failed | Should -BeNullOrEmpty
        $installed | Should -HaveCount 20
        $installed.ProvisioningState | Select-Object -Unique | Should -Be 'Succeeded'
        $installed.ClusterResourceId | Sort-Object | Should -Be ($ids | Sort-Object)
    }
}

Describe 'Objects of the Az modules' {
    It 'a fleet of twenty Get-AzAksCluster objects piped into New-AzMLK8sExtension all succeed, bound through Id' {
        $ids = @(Invoke-EmulatorControl -Emulator $Emulator -Method POST -Path 'fleet?count=20&prefix=azaks&nodes=3' | ForEach-Object { $_ })
        $clusters = $ids | ForEach-Object { New-AzAksClusterObject $_ }
        $binding = @(Get-PipelineBinding -CommandName New-AzMLK8sExtension -ScriptBlock { $clusters[0] | New-AzMLK8sExtension -EnableTraining -WhatIf })

        $installed = @($clusters | New-AzMLK8sExtension -EnableTraining -ErrorVariable failed)

        $binding[0].Bound.Keys | Should -Be @('ClusterResourceId') -Because 'the cluster''s Name must not become the extension''s'
        $binding[0].Bound['ClusterResourceId'] | Should -Be 'ValueFromPipelineByPropertyName'
        $failed | Should -BeNullOrEmpty
        $installed | Should -HaveCount 20
        $installed.Name | Select-Object -Unique | Should -Be 'azureml'
        $installed.ProvisioningState | Select-Object -Unique | Should -Be 'Succeeded'
    }

    It 'a Get-AzConnectedKubernetes object binds the Arc cluster through Id into <Command>' -ForEach @(
        @{ Command = 'Test-AzMLK8sPrerequisite'; Run = { New-AzConnectedClusterObject $Emulator.ClusterId['arc-demo'] | Test-AzMLK8sPrerequisite } }
        @{ Command = 'Get-AzMLK8sExtension'; Run = { New-AzConnectedClusterObject $Emulator.ClusterId['arc-demo'] | Get-AzMLK8sExtension } }
        @{ Command = 'Grant-AzMLWorkspaceIdentityRole'; Run = { New-AzConnectedClusterObject $Emulator.ClusterId['arc-demo'] | Grant-AzMLWorkspaceIdentityRole -WorkspaceName ws-uai -ResourceGroupName $Group -WhatIf } }
    ) {
        $binding = @(Get-PipelineBinding -CommandName $Command -ScriptBlock $Run)

        $binding[0].InputType | Should -Be 'Microsoft.Azure.PowerShell.Cmdlets.ConnectedKubernetes.Models.Api20240101.ConnectedCluster'
        $binding[0].Bound.Keys | Should -Be @('ClusterResourceId')
        $binding[0].Bound['ClusterResourceId'] | Should -Be 'ValueFromPipelineByPropertyName'
    }

    It 'an AKS object into Remove-AzMLK8sExtension removes the cluster''s azureml extension, not one named after the cluster' {
        $id = @(Invoke-EmulatorControl -Emulator $Emulator -Method POST -Path 'fleet?count=1&prefix=azremove&nodes=3' | ForEach-Object { $_ })[0]
        $null = New-AzMLK8sExtension -ClusterResourceId $id -EnableTraining -ErrorAction Stop

        New-AzAksClusterObject $id | Remove-AzMLK8sExtension -Confirm:$false -ErrorAction Stop

        Get-AzMLK8sExtension -ClusterResourceId $id | Should -BeNullOrEmpty
    }

    It 'a Get-AzMLWorkspace object binds -WorkspaceResourceId through Id into Get-AzMLK8sCompute and lists its Kubernetes computes' {
        $null = Connect-AzMLK8sCompute -Name az-ws-compute -WorkspaceName ws-demo -ResourceGroupName $Group -ClusterResourceId $Emulator.ClusterId['aks-demo'] -Namespace team-a -ErrorAction Stop
        $workspace = New-AzMLWorkspaceObject ws-demo
        $binding = @(Get-PipelineBinding -CommandName Get-AzMLK8sCompute -ScriptBlock { $workspace | Get-AzMLK8sCompute })

        $computes = @($workspace | Get-AzMLK8sCompute)

        $binding[0].Bound.Keys | Should -Be @('WorkspaceResourceId')
        Get-ParameterSetOf -CommandName Get-AzMLK8sCompute -Parameter @('WorkspaceResourceId') | Should -Be 'WorkspaceResourceId'
        $computes.Name | Should -Contain 'az-ws-compute'
    }
}

Describe 'The module''s own objects' {
    It 'an extension piped into <Command> binds as itself (-InputObject), so a non-default name is kept' -ForEach @(
        @{ Command = 'Get-AzMLK8sExtension' }
        @{ Command = 'Test-AzMLK8sExtension' }
        @{ Command = 'Update-AzMLK8sExtension' }
        @{ Command = 'Remove-AzMLK8sExtension' }
    ) {
        $id = @(Invoke-EmulatorControl -Emulator $Emulator -Method POST -Path "fleet?count=1&prefix=own-$($Command.ToLowerInvariant().Split('-')[0])&nodes=3" | ForEach-Object { $_ })[0]
        $extension = New-AzMLK8sExtension -ClusterResourceId $id -Name aml-named -EnableTraining -ErrorAction Stop
        $run = switch ($Command) {
            'Get-AzMLK8sExtension' { { $extension | Get-AzMLK8sExtension } }
            'Test-AzMLK8sExtension' { { $extension | Test-AzMLK8sExtension } }
            'Update-AzMLK8sExtension' { { $extension | Update-AzMLK8sExtension -ConfigurationSetting @{ clusterPurpose = 'FastProd' } -Force } }
            'Remove-AzMLK8sExtension' { { $extension | Remove-AzMLK8sExtension -Confirm:$false } }
        }

        $binding = @(Get-PipelineBinding -CommandName $Command -ScriptBlock $run)

        $binding[0].InputType | Should -Be 'AzMLK8s.Model.Extensions.AzMLK8sExtension'
        $binding[0].Bound.Keys | Should -Be @('InputObject')
        (Get-Command $Command).DefaultParameterSet | Should -Be 'ByInputObject'
        if ($Command -eq 'Remove-AzMLK8sExtension') {
            Get-AzMLK8sExtension -ClusterResourceId $id | Should -BeNullOrEmpty -Because 'aml-named was removed'
        }
        elseif ($Command -eq 'Update-AzMLK8sExtension') {
            (Get-AzMLK8sExtension -ClusterResourceId $id -Name aml-named).ConfigurationSettings['clusterPurpose'] | Should -Be 'FastProd'
        }
    }

    It 'the documented chain Get-AzMLK8sExtension | Connect-AzMLK8sCompute | Grant-AzMLComputeRole still binds end to end' {
        $compute = Get-AzMLK8sExtension -ClusterResourceId $Emulator.ClusterId['aks-demo'] |
            Connect-AzMLK8sCompute -Name chain-compute -WorkspaceName ws-demo -ResourceGroupName $Group -Namespace team-a -ErrorAction Stop
        $grant = $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -ErrorAction Stop

        $compute.ClusterResourceId | Should -Be $Emulator.ClusterId['aks-demo']
        $grant.RoleDefinitionName | Should -Be 'AcrPull'
    }
}
