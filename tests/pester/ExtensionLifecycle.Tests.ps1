#Requires -Version 7.4
# New-AzMLK8sExtension as a user runs it: running it again, -NoWait, a removal under way, a failed deployment, the
# parameter sets and pipeline binding, warnings, and the supporting resources (Relay, Log Analytics) it finds or
# creates. Each scenario of the seed is in ExtensionScenarios.Tests.ps1; a second New while the same install is under
# way needs the install held while it waits, so it is in tests/AzMLK8s.PowerShellHost.Tests/Extensions/ExtensionWaitTests.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/Extensions.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-ExtensionTestEmulator
    $script:Aks = $Emulator.ClusterId['aks-demo']
    $script:Arc = $Emulator.ClusterId['arc-demo']
    $script:Ocp = $Emulator.ClusterId['arc-ocp']
    Connect-TestEmulator -Emulator $Emulator | Out-Null

    # The parameters of a seed scenario, as a user types them.
    function Get-ScenarioParameter {
        param([string] $Type, [string] $Scenario, $Pem)
        $parameters = @{ ClusterResourceId = if ($Type -eq 'Aks') { $Aks } else { $Arc } }
        if ($Scenario -in 'training', 'both') { $parameters.EnableTraining = $true }
        if ($Scenario -ne 'training') { $parameters.EnableInference = $true }
        if ($Scenario -match 'https' -or $Scenario -eq 'both') {
            $parameters.SslCertificatePath = $Pem.Certificate
            $parameters.SslKeyPath = $Pem.Key
            $parameters.SslCname = 'ml.contoso.com'
        }
        if ($Scenario -match '-http$') { $parameters.AllowInsecureConnection = $true }
        if ($Scenario -match 'nodeport') { $parameters.InferenceRouterServiceType = 'NodePort' }
        if ($Scenario -match 'ilb') { $parameters.InternalLoadBalancer = $true }
        $parameters
    }

}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'New-AzMLK8sExtension run again' {
    AfterEach {
        Reset-TestExtension -Emulator $Emulator -ClusterId $Aks, $Arc
    }

    It 'with the same settings on <Type> writes nothing more, asks nothing and returns the installed extension' -ForEach @(
        @{ Type = 'Aks' }
        @{ Type = 'Arc' }
    ) {
        $pem = New-TestPemPair -Directory $TestDrive -Name "again-$Type"
        $parameters = Get-ScenarioParameter -Type $Type -Scenario both -Pem $pem
        New-AzMLK8sExtension @parameters -WarningAction SilentlyContinue | Out-Null
        $since = Get-EmulatorRequestCount -Emulator $Emulator

        # With -Verbose, a ShouldProcess shows as "Performing the operation" on the verbose stream.
        $run = Invoke-Captured { New-AzMLK8sExtension @parameters -Verbose }

        $run.Errors | Should -BeNullOrEmpty
        $run.Output.ProvisioningState | Should -Be 'Succeeded'
        Get-EmulatorWrite -Emulator $Emulator -Since $since | Should -BeNullOrEmpty
        $run.Verbose -match 'Performing the operation' | Should -BeNullOrEmpty
        $run.Verbose -match 'nothing was sent' | Should -Not -BeNullOrEmpty
    }

    It 'with different settings points to Update-AzMLK8sExtension and writes nothing' {
        New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Out-Null
        $since = Get-EmulatorRequestCount -Emulator $Emulator

        New-AzMLK8sExtension -ClusterResourceId $Aks -EnableInference -AllowInsecureConnection -ErrorVariable failure -ErrorAction SilentlyContinue -WarningAction SilentlyContinue |
            Should -BeNullOrEmpty

        $failure | Should -HaveCount 1
        $failure[0] | Get-ErrorId | Should -Be 'Extension.AlreadyExists'
        $failure[0].ErrorDetails.RecommendedAction | Should -Match 'Update-AzMLK8sExtension'
        Get-EmulatorWrite -Emulator $Emulator -Since $since | Should -BeNullOrEmpty
    }

    It 'while the extension is being deleted is refused with what to do, and sends no PUT' {
        Set-EmulatorOption -Emulator $Emulator -Option @{ operationMs = -1 }
        try {
            New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining -NoWait | Out-Null
            Complete-EmulatorOperation -Emulator $Emulator
            Remove-AzMLK8sExtension -ClusterResourceId $Aks -NoWait -Confirm:$false
            (Get-StoredExtension -Emulator $Emulator -ClusterId $Aks).properties.provisioningState | Should -Be 'Deleting'
            $since = Get-EmulatorRequestCount -Emulator $Emulator

            New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        finally {
            Set-EmulatorOption -Emulator $Emulator -Option @{ operationMs = 300 }
        }

        $failure | Should -HaveCount 1
        $failure[0] | Get-ErrorId | Should -Be 'Extension.OperationInProgress'
        $failure[0].ErrorDetails.RecommendedAction | Should -Match 'Get-AzMLK8sExtension'
        Get-EmulatorRequest -Emulator $Emulator -Since $since | Where-Object method -eq 'PUT' | Should -BeNullOrEmpty
    }
}

Describe 'New-AzMLK8sExtension -NoWait' {
    AfterEach {
        Reset-TestExtension -Emulator $Emulator -ClusterId $Aks
    }

    It 'returns the extension while it is still Creating and polls nothing' {
        Set-EmulatorOption -Emulator $Emulator -Option @{ operationMs = -1 }
        try {
            $since = Get-EmulatorRequestCount -Emulator $Emulator
            $extension = New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining -NoWait
        }
        finally {
            Set-EmulatorOption -Emulator $Emulator -Option @{ operationMs = 300 }
        }

        $extension.ProvisioningState | Should -Be 'Creating'
        Get-EmulatorRequest -Emulator $Emulator -Since $since | Where-Object route -eq 'OperationStatus_Get' | Should -BeNullOrEmpty
    }
}

Describe 'New-AzMLK8sExtension warnings as the caller asks' {
    AfterEach {
        Reset-TestExtension -Emulator $Emulator -ClusterId $Arc
    }

    It 'with -WarningAction Stop ends at the small-cluster warning, before anything is written' {
        $since = Get-EmulatorRequestCount -Emulator $Emulator

        { New-AzMLK8sExtension -ClusterResourceId $Arc -EnableTraining -WarningAction Stop } |
            Should -Throw -ErrorId 'ActionPreferenceStop,AzMLK8s.Cmdlets.Extensions.NewAzMLK8sExtensionCommand'

        Get-EmulatorWrite -Emulator $Emulator -Since $since | Should -BeNullOrEmpty
        Get-StoredExtension -Emulator $Emulator -ClusterId $Arc | Should -BeNullOrEmpty
    }

    It 'with -WarningAction SilentlyContinue and -WarningVariable shows no warning but keeps it in the variable' {
        $shown = New-AzMLK8sExtension -ClusterResourceId $Arc -EnableTraining -WarningAction SilentlyContinue -WarningVariable warned 3>&1

        @($shown | Where-Object { $_ -is [Management.Automation.WarningRecord] }) | Should -BeNullOrEmpty
        $warned | Should -HaveCount 1
        "$($warned[0])" | Should -Match 'fewer than the 3'
    }
}

Describe 'A failed deployment' {
    AfterEach {
        Reset-TestExtension -Emulator $Emulator -ClusterId $Arc
    }

    It 'is an error with the service''s code and the health check''s message, and the extension stays Failed' {
        # A highly available router asked for on a two-node cluster: the chart's health check fails the release.
        New-AzMLK8sExtension -ClusterResourceId $Arc -EnableInference -AllowInsecureConnection -ConfigurationSetting @{ inferenceRouterHA = $true } `
            -ErrorVariable failure -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Should -BeNullOrEmpty

        $failure | Should -HaveCount 1
        $failure[0] | Get-ErrorId | Should -Be 'Arm.ExtensionOperationFailed'
        $failure[0].ToString() | Should -Match 'InferenceRouterUnschedulable'
        (Get-StoredExtension -Emulator $Emulator -ClusterId $Arc).properties.provisioningState | Should -Be 'Failed'
    }
}

Describe 'New-AzMLK8sExtension parameter sets' {
    AfterEach {
        Reset-TestExtension -Emulator $Emulator -ClusterId $Aks, $Arc, $Ocp
    }

    It 'takes the extension''s resource id instead of the cluster and a name, and Get reads it back the same way' {
        $id = Get-ExtensionId -ClusterId $Arc -Name 'ml-by-id'

        $created = New-AzMLK8sExtension -ResourceId $id -EnableTraining -WarningAction SilentlyContinue
        $read = Get-AzMLK8sExtension -ResourceId $id

        $created.Name | Should -Be 'ml-by-id'
        $read.ClusterResourceId | Should -Be $Arc
        $read.ResourceId | Should -Be $id
    }

    It 'takes the cluster by name, resource group and type, and the cluster''s facts come from ARM: OpenShift with three nodes keeps the HA router' {
        $run = Invoke-Captured { New-AzMLK8sExtension -ClusterName arc-ocp -ResourceGroupName rg-demo -ClusterType Arc -EnableInference -AllowInsecureConnection }

        $run.Errors | Should -BeNullOrEmpty
        $settings = $run.Output[0].ConfigurationSettings
        $run.Output[0].ClusterResourceId | Should -Be $Ocp
        $settings['openshift'] | Should -Be 'true'
        $settings['clusterPurpose'] | Should -Not -Be 'DevTest'
        $settings['inferenceRouterHA'] | Should -Not -Be 'false'
        $run.Warnings -match 'fewer than 3' | Should -BeNullOrEmpty
    }

    It 'names a cluster that does not exist in its error and writes nothing' {
        $since = Get-EmulatorRequestCount -Emulator $Emulator

        New-AzMLK8sExtension -ClusterName nope -ResourceGroupName rg-demo -ClusterType Aks -EnableTraining -ErrorVariable failure -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty

        $failure | Should -HaveCount 1
        $failure[0] | Get-ErrorId | Should -Be 'Extension.ClusterNotFound'
        $failure[0].ToString() | Should -Match 'nope'
        Get-EmulatorWrite -Emulator $Emulator -Since $since | Should -BeNullOrEmpty
    }

    It 'offers Aks and Arc to complete -ClusterType, and names the three parameter sets' {
        $command = Get-Command New-AzMLK8sExtension
        $command.ParameterSets.Name | Sort-Object | Should -Be @('ByClusterId', 'ByClusterName', 'ByResourceId')
        $command.DefaultParameterSet | Should -Be 'ByClusterId'
        $completions = [System.Management.Automation.CommandCompletion]::CompleteInput('New-AzMLK8sExtension -ClusterType A', 35, $null)
        $completions.CompletionMatches.CompletionText | Should -Be @('Aks', 'Arc')
    }

    It 'takes clusters from the pipeline by property name: any object with a ClusterResourceId' {
        $run = Invoke-Captured { [pscustomobject]@{ ClusterResourceId = $Aks }, [pscustomobject]@{ ClusterId = $Ocp } | New-AzMLK8sExtension -EnableTraining }

        $run.Errors | Should -BeNullOrEmpty
        $run.Output.ClusterName | Sort-Object | Should -Be @('aks-demo', 'arc-ocp')
    }
}

Describe 'Supporting resources' {
    AfterEach {
        Reset-TestExtension -Emulator $Emulator -ClusterId $Aks, $Arc
    }

    It 'logAnalyticsWS finds or creates the workspace and sends its key only as a protected setting, never shown' {
        $since = Get-EmulatorRequestCount -Emulator $Emulator

        $run = Invoke-Captured { New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining -ConfigurationSetting @{ logAnalyticsWS = $true } }

        $run.Errors | Should -BeNullOrEmpty
        $stored = (Get-StoredExtension -Emulator $Emulator -ClusterId $Aks).properties.configurationSettings
        $stored.'azure_log_analytics.enabled' | Should -Be 'true'
        $stored.'azure_log_analytics.customer_id' | Should -Not -BeNullOrEmpty
        $run.Output[0].ProtectedSettingKeys | Should -Contain 'azure_log_analytics.connection_string'
        Get-StoredProtectedSettingKey -Emulator $Emulator -ClusterId $Aks | Should -Contain 'azure_log_analytics.connection_string'
        $created = @(Get-EmulatorRequest -Emulator $Emulator -Since $since | Where-Object { $_.method -eq 'PUT' -and $_.path -match 'Microsoft\.OperationalInsights/workspaces/aksdemo0+1rgdemo$' })  # the Azure CLI's name
        $created | Should -HaveCount 1
        $keys = Invoke-EmulatorArm -Emulator $Emulator -Method POST -Path "$($created[0].path)/sharedKeys" -ApiVersion '2022-10-01'
        $run.Text | Assert-NoCanary -Canary @($keys.primarySharedKey, $keys.secondarySharedKey | Where-Object { $_ })
    }

    It 'uses a relay connection string given as a SecureString instead of making a Relay, and never shows it' {
        $canary = 'relay-canary-Endpoint=sb://canary/;SharedAccessKey=c4n4ry'
        $since = Get-EmulatorRequestCount -Emulator $Emulator

        $run = Invoke-Captured {
            New-AzMLK8sExtension -ClusterResourceId $Arc -EnableTraining -ConfigurationProtectedSetting @{ relayServerConnectionString = (ConvertTo-SecureString $canary -AsPlainText -Force) }
        }

        $run.Errors | Should -BeNullOrEmpty
        $run.Output[0].ProtectedSettingKeys | Should -Contain 'relayserver.relayConnectionString'
        Get-EmulatorRequest -Emulator $Emulator -Since $since | Where-Object path -match 'Microsoft\.Relay' | Should -BeNullOrEmpty
        $run.Text | Assert-NoCanary -Canary $canary, 'c4n4ry'
    }
}
