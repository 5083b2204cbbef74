#Requires -Version 7.4
# Get-AzMLK8sExtension and Remove-AzMLK8sExtension as a user runs them: by name, all of a cluster's, by cluster name,
# by resource id, from the pipeline; the table view; JSON and CliXml; removal that waits
# until the extension and its components are gone, -Force (forceDelete), -NoWait, -PassThru, -WhatIf; and the
# documented pipelines: Get | Test, Update, Remove, and Get | Connect-AzMLK8sCompute | Grant-AzMLComputeRole.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/Extensions.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-ExtensionTestEmulator
    $script:Aks = $Emulator.ClusterId['aks-demo']
    $script:Arc = $Emulator.ClusterId['arc-demo']
    Connect-TestEmulator -Emulator $Emulator | Out-Null
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'Get-AzMLK8sExtension' {
    BeforeAll {
        New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Out-Null
        New-AzMLK8sExtension -ClusterResourceId $Aks -Name ml-two -EnableTraining | Out-Null
        New-ForeignExtension -Emulator $Emulator -ClusterId $Aks -Name flux
    }

    AfterAll {
        Reset-TestExtension -Emulator $Emulator -ClusterId $Aks
    }

    It 'returns the one extension named, as the module''s type' {
        $one = Get-AzMLK8sExtension -ClusterResourceId $Aks -Name azureml

        $one | Should -HaveCount 1
        $one.PSObject.TypeNames[0] | Should -Be 'AzMLK8s.Model.Extensions.AzMLK8sExtension'
        $one.Name | Should -Be 'azureml'
        $one.ResourceId | Should -Be (Get-ExtensionId -ClusterId $Aks)
    }

    It 'lists every AzureML extension of a cluster and leaves other extension types out' {
        (Get-AzMLK8sExtension -ClusterResourceId $Aks).Name | Sort-Object | Should -Be @('azureml', 'ml-two')
    }

    It 'takes the cluster by name, resource group and type' {
        (Get-AzMLK8sExtension -ClusterName aks-demo -ResourceGroupName rg-demo -ClusterType Aks).Name | Sort-Object | Should -Be @('azureml', 'ml-two')
    }

    It 'takes the extension''s resource id' {
        (Get-AzMLK8sExtension -ResourceId (Get-ExtensionId -ClusterId $Aks -Name ml-two)).Name | Should -Be 'ml-two'
    }

    It 'takes a piped extension (or its health report) as that extension, read again' {
        $one = Get-AzMLK8sExtension -ClusterResourceId $Aks -Name azureml

        @($one | Get-AzMLK8sExtension).Name | Should -Be @('azureml')
        @(Test-AzMLK8sExtension -ClusterResourceId $Aks -Name ml-two | Get-AzMLK8sExtension).Name | Should -Be @('ml-two')
    }

    It 'takes the cluster from an object in the pipeline by property name, and lists that cluster''s extensions' {
        ([pscustomobject]@{ ClusterId = $Aks } | Get-AzMLK8sExtension).Name | Sort-Object | Should -Be @('azureml', 'ml-two')
        ([pscustomobject]@{ ClusterResourceId = $Aks } | Get-AzMLK8sExtension).Name | Sort-Object | Should -Be @('azureml', 'ml-two')
    }

    It 'says on the verbose stream that a cluster has no AzureML extension, and returns nothing' {
        $run = Invoke-Captured -NoTranscript { Get-AzMLK8sExtension -ClusterResourceId $Arc }

        $run.Output | Should -BeNullOrEmpty
        $run.Errors | Should -BeNullOrEmpty
        $run.Verbose -match 'has no AzureML extension' | Should -Not -BeNullOrEmpty
    }

    It 'refuses <Name> with <ErrorId> and the next step' -ForEach @(
        @{ Name = 'a name that is not there'; Extension = 'nothing'; ErrorId = 'Extension.NotFound'; Next = 'New-AzMLK8sExtension' }
        @{ Name = 'an extension of another type'; Extension = 'flux'; ErrorId = 'Extension.NotAzureML'; Next = '.' }
    ) {
        Get-AzMLK8sExtension -ClusterResourceId $Aks -Name $Extension -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        $failure | Should -HaveCount 1
        $failure[0] | Get-ErrorId | Should -Be $ErrorId
        $failure[0].ErrorDetails.RecommendedAction | Should -Match $Next
    }

    It 'shows the module''s table view by default: Name, ClusterName, ClusterType, ProvisioningState, Version, TrainingEnabled, InferenceEnabled' {
        $text = Get-AzMLK8sExtension -ClusterResourceId $Aks -Name azureml | Out-String -Width 200

        $text | Should -Match 'Name\s+Cluster\s+Type\s+State\s+Version\s+Training\s+Inference'
        $text | Should -Match 'azureml\s+aks-demo\s+Aks\s+Succeeded\s+\S+\s+True\s+False'
        $text | Should -Not -Match 'ConfigurationSettings'
    }

    It 'converts to JSON and CliXml with its settings and the names of its protected settings' {
        $one = Get-AzMLK8sExtension -ClusterResourceId $Aks -Name azureml
        $path = Join-Path $TestDrive extension.xml

        $json = $one | ConvertTo-Json -Depth 5 | ConvertFrom-Json
        $one | Export-Clixml -Path $path
        $back = Import-Clixml -Path $path

        $json.ClusterResourceId | Should -Be $Aks
        $json.ConfigurationSettings.enableTraining | Should -Be 'true'
        $back.ResourceId | Should -Be $one.ResourceId
        $back.PSObject.TypeNames | Should -Contain 'Deserialized.AzMLK8s.Model.Extensions.AzMLK8sExtension'
    }
}

Describe 'Remove-AzMLK8sExtension' {
    AfterEach {
        Reset-TestExtension -Emulator $Emulator -ClusterId $Aks, $Arc
    }

    It 'with -Confirm:$false removes the extension and its components, waits until it is gone, and -PassThru returns it as it was' {
        New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Out-Null
        Invoke-ClusterApi -Emulator $Emulator -ClusterId $Aks -Path /apis/apps/v1/namespaces/azureml/statefulsets/frameworkcontroller | Should -Not -BeNullOrEmpty

        $run = Invoke-Captured { Remove-AzMLK8sExtension -ClusterResourceId $Aks -PassThru -Confirm:$false }

        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -HaveCount 1
        $run.Output[0].Name | Should -Be 'azureml'
        $run.Output[0].ProvisioningState | Should -Be 'Succeeded'
        $run.Verbose -match "Extension 'azureml' was removed" | Should -Not -BeNullOrEmpty
        Get-StoredExtension -Emulator $Emulator -ClusterId $Aks | Should -BeNullOrEmpty
        Invoke-ClusterApi -Emulator $Emulator -ClusterId $Aks -Path /apis/apps/v1/namespaces/azureml/statefulsets/frameworkcontroller | Should -BeNullOrEmpty
    }

    It 'without -PassThru returns nothing' {
        New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Out-Null

        Remove-AzMLK8sExtension -ClusterResourceId $Aks -Confirm:$false | Should -BeNullOrEmpty

        Get-StoredExtension -Emulator $Emulator -ClusterId $Aks | Should -BeNullOrEmpty
    }

    It 'a second time is not an error and says there is nothing to remove' {
        New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Out-Null
        Remove-AzMLK8sExtension -ClusterResourceId $Aks -Confirm:$false

        $run = Invoke-Captured -NoTranscript { Remove-AzMLK8sExtension -ClusterResourceId $Aks -Confirm:$false }

        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -BeNullOrEmpty
        $run.Verbose -match 'nothing to remove' | Should -Not -BeNullOrEmpty
    }

    It 'with -Force sends forceDelete, takes the extension''s resource id, and says it force-deletes' {
        New-AzMLK8sExtension -ClusterResourceId $Arc -EnableTraining -WarningAction SilentlyContinue | Out-Null
        $since = Get-EmulatorRequestCount -Emulator $Emulator

        $run = Invoke-Captured -NoTranscript { Remove-AzMLK8sExtension -ResourceId (Get-ExtensionId -ClusterId $Arc) -Force -Confirm:$false -Verbose }

        $run.Errors | Should -BeNullOrEmpty
        $run.Verbose -match 'Performing the operation "Force-delete the AzureML extension' | Should -Not -BeNullOrEmpty
        @(Get-EmulatorRequest -Emulator $Emulator -Since $since | Where-Object { $_.method -eq 'DELETE' -and $_.path -match 'extensions/azureml$' }) | Should -HaveCount 1
        Get-StoredExtension -Emulator $Emulator -ClusterId $Arc | Should -BeNullOrEmpty
    }

    It 'takes the cluster by name, resource group and type, and a name' {
        New-AzMLK8sExtension -ClusterResourceId $Arc -Name ml-two -EnableTraining -WarningAction SilentlyContinue | Out-Null

        Remove-AzMLK8sExtension -ClusterName arc-demo -ResourceGroupName rg-demo -ClusterType Arc -Name ml-two -Confirm:$false

        Get-StoredExtension -Emulator $Emulator -ClusterId $Arc -Name ml-two | Should -BeNullOrEmpty
    }

    It 'with -NoWait returns once the removal started, leaving the extension Deleting' {
        New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Out-Null
        Set-EmulatorOption -Emulator $Emulator -Option @{ operationMs = -1 }
        try {
            $run = Invoke-Captured -NoTranscript { Remove-AzMLK8sExtension -ClusterResourceId $Aks -NoWait -Confirm:$false }
            $state = (Get-StoredExtension -Emulator $Emulator -ClusterId $Aks).properties.provisioningState
        }
        finally {
            Set-EmulatorOption -Emulator $Emulator -Option @{ operationMs = 300 }
        }

        $run.Errors | Should -BeNullOrEmpty
        $run.Verbose -match 'Removal of extension ''azureml'' started' | Should -Not -BeNullOrEmpty
        $state | Should -Be 'Deleting'
    }

    It 'with -WhatIf shows what it would remove and that running work stops, and sends no DELETE' {
        New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Out-Null
        $since = Get-EmulatorRequestCount -Emulator $Emulator

        $run = Invoke-Captured { Remove-AzMLK8sExtension -ClusterResourceId $Aks -WhatIf }

        $run.Host | Should -Match ([regex]::Escape('What if: Performing the operation "Remove the AzureML extension ''azureml'' and its components from the cluster; running jobs and inference endpoints stop"'))
        $run.Host | Should -Match ([regex]::Escape("on target ""$(Get-ExtensionId -ClusterId $Aks)"""))
        Get-EmulatorWrite -Emulator $Emulator -Since $since | Should -BeNullOrEmpty
        Get-StoredExtension -Emulator $Emulator -ClusterId $Aks | Should -Not -BeNullOrEmpty
    }
}

Describe 'The documented pipelines' {
    AfterEach {
        Reset-TestExtension -Emulator $Emulator -ClusterId $Aks, $Arc
    }

    It 'Get-AzMLK8sExtension output binds by property name to Test-, Update- and Remove-AzMLK8sExtension' {
        New-AzMLK8sExtension -ClusterResourceId $Arc -EnableTraining -WarningAction SilentlyContinue | Out-Null
        $extension = Get-AzMLK8sExtension -ClusterResourceId $Arc -Name azureml

        $health = $extension | Test-AzMLK8sExtension
        $updated = $extension | Update-AzMLK8sExtension -InstallVolcano $false -Force
        $removed = $extension | Remove-AzMLK8sExtension -Confirm:$false -PassThru

        $health.Status | Should -Be 'Healthy'
        $updated.ConfigurationSettings['installVolcano'] | Should -Be 'false'
        $removed.Name | Should -Be 'azureml'
        Get-StoredExtension -Emulator $Emulator -ClusterId $Arc | Should -BeNullOrEmpty
    }

    It 'Get-AzMLK8sExtension | Connect-AzMLK8sCompute | Grant-AzMLComputeRole attaches the extension''s cluster and grants the compute''s identity a role' {
        New-AzMLK8sExtension -ClusterResourceId $Arc -EnableTraining -WarningAction SilentlyContinue | Out-Null

        $assignment = Get-AzMLK8sExtension -ClusterResourceId $Arc |
            Connect-AzMLK8sCompute -Name k8s-arc -WorkspaceName ws-demo -ResourceGroupName rg-demo -Namespace team-a -Confirm:$false |
            Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -Confirm:$false

        $assignment | Should -HaveCount 1
        $assignment.RoleDefinitionName | Should -Be 'AcrPull'
        $assignment.Scope | Should -Match '/Microsoft\.ContainerRegistry/registries/acrdemo$'
        $compute = Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo | Where-Object Name -eq 'k8s-arc'
        $compute.ClusterResourceId | Should -Be $Arc
        $assignment.PrincipalId | Should -Be $compute.PrincipalId
    }
}
