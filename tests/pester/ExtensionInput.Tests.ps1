#Requires -Version 7.4
# What New/Update-AzMLK8sExtension take besides their own parameters, as teams who also use the Azure CLI have it: the
# settings files of --configuration-settings-file / --config-protected-file (a protected file's values are secrets,
# canary-tested), any release train, and an inference install that leaves the router's exposure to the default,
# which is public and is said to be.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-TestEmulator
    $null = Connect-TestEmulator -Emulator $Emulator
    $script:Secret = 'Endpoint=sb://canary-relay.servicebus.windows.net/;SharedAccessKeyName=azureml_rw;SharedAccessKey=pr0t3cted-F1le-C4nary'
    $script:SecretPart = 'pr0t3cted-F1le-C4nary'

    function Write-Json([string] $Name, [string] $Json) {
        $path = Join-Path $TestDrive $Name
        Set-Content -LiteralPath $path -Value $Json -Encoding utf8NoBOM
        $path
    }
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'Settings files in the Azure CLI''s format' {
    It 'installs from a settings file and a protected settings file, whose values reach no stream, transcript, $Error, JSON or CliXml' {
        $cluster = Add-EmulatorCluster -Emulator $Emulator -Name 'arc-files' -Kind Connected
        $settings = Write-Json 'settings.json' '{ "enableTraining": "true", "installDcgmExporter": true, "nodeSelector.pool": "gpu", "clusterPurpose": "DevTest" }'
        $protected = Write-Json 'protected.json' "{ `"relayServerConnectionString`": `"$Secret`" }"
        $transcript = Join-Path $TestDrive 'files.txt'
        $clixml = Join-Path $TestDrive 'extension.xml'
        $Error.Clear()

        Start-Transcript -Path $transcript | Out-Null
        try {
            $all = & {
                New-AzMLK8sExtension -ClusterResourceId $cluster -ConfigurationSettingFile $settings -ConfigurationProtectedSettingFile $protected -Verbose -Debug
                Update-AzMLK8sExtension -ClusterResourceId $cluster -ConfigurationProtectedSettingFile $protected -WhatIf -Verbose
                Update-AzMLK8sExtension -ClusterResourceId $cluster -ConfigurationProtectedSettingFile $protected -Force -Verbose -Debug
                # A broken protected file: its error must not quote the file.
                $broken = Write-Json 'broken.json' "{ `"relayServerConnectionString`": $Secret }"
                New-AzMLK8sExtension -ClusterResourceId $cluster -ConfigurationProtectedSettingFile $broken -EnableTraining -ErrorAction SilentlyContinue
            } *>&1 | ForEach-Object { $_ }
        }
        finally {
            Stop-Transcript | Out-Null
        }
        $extensions = @($all | Where-Object { $_ -is [AzMLK8s.Model.Extensions.AzMLK8sExtension] })
        $extensions | Export-Clixml -Path $clixml

        $extensions | Should -HaveCount 2
        $extensions[0].ConfigurationSettings['enableTraining'] | Should -Be 'true'
        $extensions[0].ConfigurationSettings['installDcgmExporter'] | Should -Be 'true'
        $extensions[0].ConfigurationSettings['nodeSelector.pool'] | Should -Be 'gpu'
        $extensions[0].ProtectedSettingKeys | Should -Contain 'relayserver.relayConnectionString'
        $Error | Where-Object { "$($_.FullyQualifiedErrorId)" -like 'Settings.FileInvalidJson,*' } | Should -Not -BeNullOrEmpty
        # The protected file's value is what the extension got (read as a user's own REST call would not show it: the
        # emulator's log of writes says which request carried it; here the key is enough: no relay was made for it).
        Get-EmulatorWrite -Emulator $Emulator | Where-Object { $_.path -like '*Microsoft.Relay*' -and $_.path -like '*arcfiles*' } | Should -BeNullOrEmpty

        foreach ($canary in $Secret, $SecretPart) {
            $all | Out-String -Width 4096 | Assert-NoCanary -Canary $canary
            Get-Content -Raw $transcript | Assert-NoCanary -Canary $canary
            Get-Content -Raw $clixml | Assert-NoCanary -Canary $canary
            $extensions | ConvertTo-Json -Depth 6 | Assert-NoCanary -Canary $canary
            $Error | Out-String -Width 4096 | Assert-NoCanary -Canary $canary
            $Error | ForEach-Object { $_.Exception.ToString(); $_.ErrorDetails.RecommendedAction; "$($_.TargetObject)" } | Out-String | Assert-NoCanary -Canary $canary
        }
    }

    It 'refuses a file the CLI would send broken, before anything is sent: <Case>' -ForEach @(
        @{ Case = 'a nested object'; Json = '{ "enableTraining": "true", "nodeSelector": { "pool": "gpu" } }'; ErrorId = 'Settings.FileValueNotScalar' }
        @{ Case = 'an empty object'; Json = '{}'; ErrorId = 'Settings.FileEmpty' }
        @{ Case = 'a key twice'; Json = '{ "enableTraining": "true", "enableTraining": "false" }'; ErrorId = 'Settings.FileDuplicateKey' }
        @{ Case = 'not JSON'; Json = 'enableTraining=true'; ErrorId = 'Settings.FileInvalidJson' }
    ) {
        $file = Write-Json 'bad.json' $Json
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        { New-AzMLK8sExtension -ClusterResourceId $Emulator.ClusterId['aks-demo'] -ConfigurationSettingFile $file -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,AzMLK8s.Cmdlets.Extensions.NewAzMLK8sExtensionCommand"
        Get-EmulatorRequestCount -Emulator $Emulator | Should -Be $before
    }

    It 'reads a relative path from the PowerShell location and refuses a key the file and a parameter give differently' {
        $cluster = Add-EmulatorCluster -Emulator $Emulator -Name 'aks-files' -Kind Managed
        $null = Write-Json 'training.json' '{ "enableTraining": "true" }'

        Push-Location $TestDrive
        try {
            $extension = New-AzMLK8sExtension -ClusterResourceId $cluster -ConfigurationSettingFile 'training.json' -ErrorAction Stop
            { Update-AzMLK8sExtension -ClusterResourceId $cluster -ConfigurationSettingFile 'training.json' -EnableTraining $false -ErrorAction Stop } |
                Should -Throw -ErrorId 'Extension.ParameterConflict,AzMLK8s.Cmdlets.Extensions.UpdateAzMLK8sExtensionCommand'
        }
        finally {
            Pop-Location
        }

        $extension.TrainingEnabled | Should -BeTrue
    }
}

Describe '-ReleaseTrain' {
    It 'takes any train name and completes Stable and Preview' {
        $cluster = Add-EmulatorCluster -Emulator $Emulator -Name 'aks-staging' -Kind Managed

        $extension = New-AzMLK8sExtension -ClusterResourceId $cluster -EnableTraining -ReleaseTrain staging -ErrorAction Stop
        $line = 'New-AzMLK8sExtension -ReleaseTrain '
        $completions = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null).CompletionMatches.CompletionText

        $extension.ReleaseTrain | Should -Be 'staging'
        (Get-EmulatorResource -Emulator $Emulator -ResourceId "$cluster/providers/Microsoft.KubernetesConfiguration/extensions/azureml" -ApiVersion 2023-05-01).properties.releaseTrain | Should -Be 'staging'
        $completions | Should -Be @('Stable', 'Preview')
        { New-AzMLK8sExtension -ClusterResourceId $cluster -EnableTraining -ReleaseTrain 'two words' -ErrorAction Stop } |
            Should -Throw -ErrorId 'Settings.InvalidReleaseTrain,AzMLK8s.Cmdlets.Extensions.NewAzMLK8sExtensionCommand'
    }
}

Describe 'Inference without a router service type' {
    It 'keeps the public load balancer and says so in the warning stream' {
        $cluster = Add-EmulatorCluster -Emulator $Emulator -Name 'aks-public' -Kind Managed

        $extension = New-AzMLK8sExtension -ClusterResourceId $cluster -EnableInference -AllowInsecureConnection -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction Stop

        $extension.ConfigurationSettings['inferenceRouterServiceType'] | Should -Be 'LoadBalancer'
        $public = @($warnings | Where-Object { "$_" -match 'PUBLIC load balancer' })
        $public | Should -HaveCount 1
        "$($public[0])" | Should -Match 'reachable from the internet'
        "$($public[0])" | Should -Match '-InternalLoadBalancer'
        "$($public[0])" | Should -Match 'NodePort'
        "$($public[0])" | Should -Match 'ClusterIP'
    }

    It 'says so under -WhatIf too: in the warning stream and in the WhatIf text' {
        $cluster = Add-EmulatorCluster -Emulator $Emulator -Name 'aks-public-whatif' -Kind Managed
        $transcript = Join-Path $TestDrive 'router.txt'
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        Start-Transcript -Path $transcript | Out-Null
        try {
            $warnings = New-AzMLK8sExtension -ClusterResourceId $cluster -EnableInference -AllowInsecureConnection -WhatIf 3>&1
        }
        finally {
            Stop-Transcript | Out-Null
        }

        @($warnings | Where-Object { $_ -is [System.Management.Automation.WarningRecord] -and $_.Message -match 'PUBLIC load balancer' }) | Should -HaveCount 1
        $text = (Get-Content -Raw $transcript) -replace '\s+', ' '
        $text | Should -Match ([regex]::Escape('What if: '))
        $text | Should -Match ([regex]::Escape('inferenceRouterServiceType: (not set) -> LoadBalancer (default, not chosen: a PUBLIC load balancer, the inference router will be reachable from the internet'))
        Get-EmulatorWrite -Emulator $Emulator -Since $before | Should -BeNullOrEmpty
    }

    It 'says nothing when the exposure was chosen' {
        $cluster = Add-EmulatorCluster -Emulator $Emulator -Name 'aks-chosen' -Kind Managed

        $null = New-AzMLK8sExtension -ClusterResourceId $cluster -EnableInference -AllowInsecureConnection -InferenceRouterServiceType LoadBalancer -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction Stop

        $warnings | Where-Object { "$_" -match 'PUBLIC' } | Should -BeNullOrEmpty
    }
}
