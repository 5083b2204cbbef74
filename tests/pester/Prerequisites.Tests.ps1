#Requires -Version 7.4
# Test-AzMLK8sPrerequisite and Register-AzMLK8sPrerequisite as a user calls them against the emulator: what each check
# finds and the command that fixes it, the parameter sets, the pipeline, -WhatIf and confirmation, errors under each
# -ErrorAction, the streams and the table view, and that no token or kubeconfig credential ever shows.
# The checks that need the emulator's state changed by hand (registrations, nodes, conflicting workloads) and the
# registration's progress and Ctrl+C are in tests/AzMLK8s.PowerShellHost.Tests/Prerequisites.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/CrossCutting.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Canary = Get-CanaryToken
}

Describe 'Test-AzMLK8sPrerequisite' {
    BeforeAll {
        $script:Emulator = Start-TestEmulator
        Connect-TestEmulator -Emulator $Emulator | Out-Null
        $script:Group = $Emulator.ResourceGroup
        $script:Aks = $Emulator.ClusterId['aks-demo']
        $script:Arc = $Emulator.ClusterId['arc-demo']
        $script:UaiWorkspaceId = "/subscriptions/$($Emulator.SubscriptionId)/resourceGroups/$Group/providers/Microsoft.MachineLearningServices/workspaces/ws-uai"
        $script:Kubeconfig = Save-TestKubeconfig -Emulator $Emulator -ClusterResourceId $Aks -Path (Join-Path $TestDrive 'aks.kubeconfig') -ArmToken $Canary

        function script:Test-Checks {
            param([hashtable] $Arguments)
            $checks = @{}
            foreach ($check in Test-AzMLK8sPrerequisite @Arguments -ErrorAction Stop) { $checks[$check.Name] = $check }
            $checks
        }
    }

    AfterAll {
        $script:Emulator | Stop-TestEmulator
    }

    BeforeEach {
        $script:Before = Get-EmulatorRequestCount -Emulator $Emulator
    }

    It 'passes a ready AKS cluster but for the unregistered AKS-ExtensionManager feature, whose check names the command that registers it' {
        $all = @(Test-AzMLK8sPrerequisite -ClusterResourceId $Aks -Namespace team-a)
        $checks = @{}; $all | ForEach-Object { $checks[$_.Name] = $_ }

        $all[0].PSObject.TypeNames[0] | Should -Be 'AzMLK8s.Model.Prerequisites.AzMLK8sPrerequisiteCheck'
        $feature = $checks['Feature.Microsoft.ContainerService/AKS-ExtensionManager']
        $feature.Status | Should -Be 'Fail'
        $feature.Fix | Should -Be "Register-AzMLK8sPrerequisite -ClusterResourceId '$Aks'"
        $all | Where-Object Name -NotLike 'Feature.*' | ForEach-Object { "$($_.Name)=$($_.Status)" | Should -Be "$($_.Name)=Pass" }
        $all | Where-Object Status -EQ 'Pass' | ForEach-Object { $_.Fix | Should -BeNullOrEmpty -Because "$($_.Name) passed" }
        @($all.Name | Where-Object { $_ -like 'Provider.*' }) |
            Should -Be @('Provider.Microsoft.KubernetesConfiguration', 'Provider.Microsoft.ContainerService', 'Provider.Microsoft.MachineLearningServices')
        $checks.Keys | Should -Contain 'Cluster.SchedulableNodes'
        $checks['Cluster.ComputeNamespace'].Detail | Should -Match 'team-a'
        $checks['Cluster.OpenShiftSccGrants'].Detail | Should -Match 'Not an OpenShift'
        $checks['Cluster.Exists'].Target | Should -Be $Aks
    }

    It 'checks an Arc cluster for Microsoft.Kubernetes and Microsoft.Relay, without the AKS provider and feature' {
        $checks = Test-Checks @{ ClusterResourceId = $Arc }

        $checks['Provider.Microsoft.Kubernetes'].Status | Should -Be 'Pass'
        $checks['Provider.Microsoft.Relay'].Status | Should -Be 'Pass'
        $checks.Keys | Should -Not -Contain 'Provider.Microsoft.ContainerService'
        $checks.Keys | Where-Object { $_ -like 'Feature.*' } | Should -BeNullOrEmpty
    }

    It 'warns about two nodes without inference, fails them for the highly available inference router and passes them with -InferenceRouterHA $false' {
        (Test-Checks @{ ClusterResourceId = $Arc })['Cluster.SchedulableNodes'].Status | Should -Be 'Warn'

        $inference = (Test-Checks @{ ClusterResourceId = $Arc; EnableInference = $true })['Cluster.SchedulableNodes']
        $inference.Status | Should -Be 'Fail'
        $inference.Detail | Should -Match '2 of 2'
        $inference.Fix | Should -Be "New-AzMLK8sExtension -ClusterResourceId '$Arc' -ConfigurationSetting @{ inferenceRouterHA = 'False' }"

        (Test-Checks @{ ClusterResourceId = $Arc; EnableInference = $true; InferenceRouterHA = $false })['Cluster.SchedulableNodes'].Status | Should -Be 'Pass'
    }

    It 'counts only the nodes that match -NodeSelector' {
        $nodes = (Test-Checks @{ ClusterResourceId = $Aks; EnableInference = $true; NodeSelector = @{ pool = 'gpu' } })['Cluster.SchedulableNodes']

        $nodes.Status | Should -Be 'Fail'
        $nodes.Detail | Should -Match '0 of 3'
        $nodes.Detail | Should -Match 'pool=gpu'
    }

    It 'fails a compute namespace that does not exist with the command that creates it' {
        $namespace = (Test-Checks @{ ClusterResourceId = $Aks; Namespace = 'team-z' })['Cluster.ComputeNamespace']

        $namespace.Status | Should -Be 'Fail'
        $namespace.Fix | Should -Be 'kubectl create namespace team-z'
    }

    It 'fails each role a user-assigned workspace identity lacks until Grant-AzMLWorkspaceIdentityRole, passes a system-assigned one and fails a missing workspace' {
        $uai = Test-Checks @{ ClusterResourceId = $Aks; WorkspaceName = 'ws-uai' }
        $uai['Workspace.Identity'].Status | Should -Be 'Pass'
        foreach ($role in 'Reader', 'KubernetesExtensionContributor', 'AzureKubernetesServiceClusterAdminRole') {
            $uai["Workspace.Role.$role"].Status | Should -Be 'Fail' -Because $role
        }
        $uai['Workspace.Role.Reader'].Fix | Should -Be "Grant-AzMLWorkspaceIdentityRole -WorkspaceResourceId '$UaiWorkspaceId' -ClusterResourceId '$Aks'"

        Grant-AzMLWorkspaceIdentityRole -WorkspaceResourceId $UaiWorkspaceId -ClusterResourceId $Aks -ErrorAction Stop | Out-Null
        $after = Test-Checks @{ ClusterResourceId = $Aks; WorkspaceResourceId = $UaiWorkspaceId }
        $after.Values | Where-Object Name -Like 'Workspace.*' | ForEach-Object { "$($_.Name)=$($_.Status)" | Should -Be "$($_.Name)=Pass" }

        $system = Test-Checks @{ ClusterResourceId = $Aks; WorkspaceName = 'ws-demo'; ResourceGroupName = $Group }
        $system['Workspace.Identity'].Status | Should -Be 'Pass'
        $system['Workspace.Identity'].Detail | Should -Match 'system-assigned'
        $system.Keys | Where-Object { $_ -like 'Workspace.Role.*' } | Should -BeNullOrEmpty

        (Test-Checks @{ ClusterResourceId = $Aks; WorkspaceName = 'nope' })['Workspace.Identity'].Status | Should -Be 'Fail'
    }

    It 'finds the cluster by -ClusterName, -ResourceGroupName and -ClusterType in the context''s subscription' {
        $checks = Test-Checks @{ ClusterName = 'aks-demo'; ResourceGroupName = $Group; ClusterType = 'Aks' }

        $checks['Cluster.Exists'].Status | Should -Be 'Pass'
        $checks['Cluster.Exists'].Target | Should -Be $Aks
    }

    It 'fails Cluster.Exists for a cluster that does not exist, skips the checks that need it and asks no credential for it' {
        $since = Get-EmulatorRequestCount -Emulator $Emulator
        $checks = Test-Checks @{ ClusterName = 'nope'; ResourceGroupName = $Group; ClusterType = 'Aks' }

        $checks['Cluster.Exists'].Status | Should -Be 'Fail'
        $checks['Cluster.SchedulableNodes'].Status | Should -Be 'Skipped'
        $checks['Provider.Microsoft.KubernetesConfiguration'].Status | Should -Be 'Pass'
        @(Get-EmulatorRequest -Emulator $Emulator -Since $since | Where-Object path -match '/list[A-Za-z]*Credential') | Should -BeNullOrEmpty
    }

    It 'skips every cluster check with the reason when the cluster''s API cannot be reached, and still checks Azure' {
        $unreachable = New-UnreachableKubeconfig -Path (Join-Path $TestDrive 'unreachable.kubeconfig')
        $checks = Test-Checks @{ ClusterResourceId = $Aks; Namespace = 'team-a'; KubeconfigPath = $unreachable }

        $cluster = @($checks.Values | Where-Object { $_.Name -like 'Cluster.*' -and $_.Name -ne 'Cluster.Exists' })
        $cluster | Should -HaveCount 7
        $cluster | ForEach-Object { $_.Status | Should -Be 'Skipped' -Because $_.Name; $_.Detail | Should -Not -BeNullOrEmpty }
        $checks['Provider.Microsoft.KubernetesConfiguration'].Status | Should -Be 'Pass'
    }

    It 'refuses a -KubeconfigPath that does not exist before it checks anything' {
        $since = Get-EmulatorRequestCount -Emulator $Emulator
        { Test-AzMLK8sPrerequisite -ClusterResourceId $Aks -KubeconfigPath (Join-Path $TestDrive 'missing.kubeconfig') -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileNotFound,AzMLK8s.Cmdlets.Prerequisites.TestAzMLK8sPrerequisiteCommand'
        $Error[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-EmulatorRequest -Emulator $Emulator -Since $since | Should -BeNullOrEmpty
    }

    It 'reads a relative -KubeconfigPath from the PowerShell location, and then asks Azure for no credential' {
        Push-Location $TestDrive
        try {
            $checks = Test-Checks @{ ClusterResourceId = $Aks; KubeconfigPath = './aks.kubeconfig' }
        }
        finally {
            Pop-Location
        }

        $checks['Cluster.SchedulableNodes'].Status | Should -Be 'Pass'
        Get-EmulatorRequest -Emulator $Emulator -Since $Before | Where-Object path -Like '*/listClusterUserCredential' | Should -BeNullOrEmpty
    }

    It 'writes only check objects, a verbose summary, and changes nothing' {
        $all = Test-AzMLK8sPrerequisite -ClusterResourceId $Aks -Verbose *>&1

        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $checks = @($all | Where-Object { $_ -is [AzMLK8s.Model.Prerequisites.AzMLK8sPrerequisiteCheck] })
        $checks.Count | Should -BeGreaterThan 5
        $verbose[-1].Message | Should -Be "$(@($checks | Where-Object Status -EQ 'Pass').Count) passed, 0 warnings, 1 failed, 0 skipped."
        $all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -or $_ -is [System.Management.Automation.WarningRecord] -or $_ -is [System.Management.Automation.InformationRecord] } |
            Should -BeNullOrEmpty
        $all.Count | Should -Be ($checks.Count + $verbose.Count)
        Get-EmulatorWrite -Emulator $Emulator -Since $Before | Should -BeNullOrEmpty
    }

    It 'shows Status, Name, Detail and Fix in its default table view' {
        $text = Test-AzMLK8sPrerequisite -ClusterResourceId $Aks | Out-String -Width 400

        $text | Should -Match '(?m)^Status\s+Name\s+Detail\s+Fix\s*$'
        $text | Should -Match '(?m)^Fail\s+Feature\.Microsoft\.ContainerService/AKS-ExtensionManager\s'
    }

    It 'refuses a resource id that is not a cluster before anything is sent, under -ErrorAction <Action>' -ForEach @(
        @{ Action = 'Stop'; Throws = $true; InError = 1; InVariable = 1 }
        @{ Action = 'Continue'; Throws = $false; InError = 1; InVariable = 1 }
        @{ Action = 'SilentlyContinue'; Throws = $false; InError = 1; InVariable = 1 }
        @{ Action = 'Ignore'; Throws = $false; InError = 0; InVariable = 0 }
    ) {
        $workspace = "/subscriptions/$($Emulator.SubscriptionId)/resourceGroups/$Group/providers/Microsoft.MachineLearningServices/workspaces/ws-demo"
        $Error.Clear()
        $captured = $null
        $written = $null

        $threw = $false
        try {
            $written = Test-AzMLK8sPrerequisite -ClusterResourceId $workspace -ErrorAction $Action -ErrorVariable captured 2>$null
        }
        catch {
            $threw = $true
            $_.FullyQualifiedErrorId | Should -Be 'InvalidClusterResourceId,AzMLK8s.Cmdlets.Prerequisites.TestAzMLK8sPrerequisiteCommand'
            $_.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        $threw | Should -Be $Throws
        $written | Should -BeNullOrEmpty
        $Error.Count | Should -Be $InError
        @($captured).Count | Should -Be $InVariable
        # Under Stop the records come wrapped in the exception that stopped the command.
        @($captured) + @($Error) | ForEach-Object { $record = if ($_ -is [System.Management.Automation.ErrorRecord]) { $_ } else { $_.ErrorRecord }
            $record.FullyQualifiedErrorId | Should -Be 'InvalidClusterResourceId,AzMLK8s.Cmdlets.Prerequisites.TestAzMLK8sPrerequisiteCommand' }
        Get-EmulatorRequestCount -Emulator $Emulator | Should -Be $Before
    }

    It 'goes on with the next piped cluster after one input''s error, and -ErrorVariable holds that error' {
        $inputs = $Aks, '/subscriptions/nope', $Arc | ConvertTo-ClusterInput

        $checks = $inputs | Test-AzMLK8sPrerequisite -ErrorAction SilentlyContinue -ErrorVariable failed

        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'InvalidClusterResourceId,AzMLK8s.Cmdlets.Prerequisites.TestAzMLK8sPrerequisiteCommand'
        $failed[0].TargetObject | Should -Be '/subscriptions/nope'
        ($checks | Where-Object Name -EQ 'Cluster.Exists').Target | Sort-Object | Should -Be (@($Aks, $Arc) | Sort-Object)
    }

    It 'never shows the ARM token or the kubeconfig''s credential: streams, transcript, $Error, JSON and CliXml of the checks' {
        $transcript = Join-Path $TestDrive 'test-prerequisite.txt'
        $clixml = Join-Path $TestDrive 'checks.xml'
        $canaries = @($Canary, $Kubeconfig.Secret)
        $Error.Clear()

        $run = Invoke-Transcribed -Path $transcript -ScriptBlock {
            $DebugPreference = 'Continue'
            $script:Checks = Test-AzMLK8sPrerequisite -ClusterResourceId $Aks -KubeconfigPath $Kubeconfig.Path -Namespace team-a -Verbose
            Test-AzMLK8sPrerequisite -ClusterResourceId $Aks -KubeconfigPath $Kubeconfig.Path -WorkspaceName nope -Verbose *>&1 | Out-String -Width 4096
            Test-AzMLK8sPrerequisite -ClusterResourceId '/subscriptions/nope' -ErrorAction SilentlyContinue
        }
        $Checks | Export-Clixml -Path $clixml

        $Checks | Should -Not -BeNullOrEmpty
        ($Checks | Where-Object Name -EQ 'Cluster.SchedulableNodes').Status | Should -Be 'Pass' -Because 'the kubeconfig was used'
        $run.Output | Assert-NoCanary -Canary $canaries
        $run.Transcript | Assert-NoCanary -Canary $canaries
        Get-Content -Raw $clixml | Assert-NoCanary -Canary $canaries
        $Checks | ConvertTo-Json -Depth 5 | Assert-NoCanary -Canary $canaries
        $Error | Out-String -Width 4096 | Assert-NoCanary -Canary $canaries
    }
}

Describe 'Register-AzMLK8sPrerequisite' {
    BeforeAll {
        # Its own emulator: registering changes the subscription's registrations for good.
        $script:Emulator = Start-TestEmulator
        Connect-TestEmulator -Emulator $Emulator | Out-Null
        $script:Aks = $Emulator.ClusterId['aks-demo']
        $script:Subscription = "/subscriptions/$($Emulator.SubscriptionId)"
    }

    AfterAll {
        $script:Emulator | Stop-TestEmulator
    }

    BeforeEach {
        $script:Before = Get-EmulatorRequestCount -Emulator $Emulator
    }

    It 'with -WhatIf registers nothing, says what it would register on the subscription, and reports the feature as not registered' {
        $run = Invoke-Transcribed -Path (Join-Path $TestDrive 'register-whatif.txt') -ScriptBlock {
            Register-AzMLK8sPrerequisite -ClusterResourceId $Aks -WhatIf
        }

        Get-EmulatorWrite -Emulator $Emulator -Since $Before | Should -BeNullOrEmpty
        $lines = @($run.Transcript -split "`r?`n" | Where-Object { $_ -like 'What if:*' })
        $lines | Should -HaveCount 1
        $lines[0] | Should -Be ('What if: Performing the operation "Register feature Microsoft.ContainerService/AKS-ExtensionManager (now NotRegistered), ' +
            "wait until it is Registered, then register Microsoft.ContainerService again`" on target `"$Subscription`".")
        $feature = $run.Output | Where-Object Name -EQ 'Feature.Microsoft.ContainerService/AKS-ExtensionManager'
        $feature.Status | Should -Be 'Skipped'
        $feature.Detail | Should -Match 'not registered \(-WhatIf, or answered No\)'
    }

    It 'in a process that cannot ask, under $ConfirmPreference = ''Medium'', registers nothing and raises an error' {
        $result = Invoke-Pwsh -NonInteractive -Script ((Get-TestEmulatorSignIn -Emulator $Emulator) + @"

`$ConfirmPreference = 'Medium'
Register-AzMLK8sPrerequisite -ClusterResourceId '$Aks' -ErrorVariable failed -ErrorAction SilentlyContinue | Out-Null
"errors=`$(@(`$failed).Count)"
"@)

        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Output | Should -Match 'errors=1'
        Get-EmulatorWrite -Emulator $Emulator -Since $Before | Should -BeNullOrEmpty
        $result.Output + $result.Error | Assert-NoCanary
    }

    It 'registers the AKS-ExtensionManager feature when -Confirm:$false answers $ConfirmPreference, waits until Registered and registers Microsoft.ContainerService again' {
        $ConfirmPreference = 'Medium'

        $results = @(Register-AzMLK8sPrerequisite -ClusterResourceId $Aks -Confirm:$false)

        $results.Name | Should -Be @('Provider.Microsoft.KubernetesConfiguration', 'Provider.Microsoft.ContainerService',
            'Provider.Microsoft.MachineLearningServices', 'Feature.Microsoft.ContainerService/AKS-ExtensionManager')
        $results | ForEach-Object { "$($_.Name)=$($_.Status)" | Should -Be "$($_.Name)=Pass"; $_.Target | Should -Be $Subscription }
        $results[-1].Detail | Should -Match 'registered \(was NotRegistered\) and Microsoft.ContainerService registered again'
        $writes = @(Get-EmulatorWrite -Emulator $Emulator -Since $Before)
        $writes.route | Should -Be @('Features_Register', 'Providers_Register')
        $writes[1].path | Should -Match '/providers/Microsoft.ContainerService/register$'
        $feature = Get-EmulatorResource -Emulator $Emulator -ApiVersion '2021-07-01' `
            -ResourceId "$Subscription/providers/Microsoft.Features/providers/Microsoft.ContainerService/features/AKS-ExtensionManager"
        $feature.properties.state | Should -Be 'Registered'
    }

    It 'changes nothing when run again: everything is already registered' {
        $results = @(Register-AzMLK8sPrerequisite -ClusterResourceId $Aks)

        $results | ForEach-Object { $_.Status | Should -Be 'Pass'; $_.Detail | Should -Match 'already registered' }
        Get-EmulatorWrite -Emulator $Emulator -Since $Before | Should -BeNullOrEmpty
    }

    It 'registers for -ClusterType Arc the Arc providers and Relay, and no AKS feature' {
        $results = @(Register-AzMLK8sPrerequisite -ClusterType Arc)

        $results.Name | Should -Contain 'Provider.Microsoft.Kubernetes'
        $results.Name | Should -Contain 'Provider.Microsoft.Relay'
        $results.Name | Should -Not -Contain 'Provider.Microsoft.ContainerService'
        $results.Name | Where-Object { $_ -like 'Feature.*' } | Should -BeNullOrEmpty
    }

    It 'registers what both cluster types need when given neither a cluster nor a type' {
        $results = @(Register-AzMLK8sPrerequisite)

        foreach ($name in 'Provider.Microsoft.ContainerService', 'Provider.Microsoft.Kubernetes', 'Provider.Microsoft.Relay', 'Feature.Microsoft.ContainerService/AKS-ExtensionManager') {
            $results.Name | Should -Contain $name
        }
    }

    It 'takes the cluster from a piped object''s ClusterResourceId' {
        $results = @([pscustomobject]@{ ClusterResourceId = $Aks } | Register-AzMLK8sPrerequisite)

        $results.Name | Should -Contain 'Feature.Microsoft.ContainerService/AKS-ExtensionManager'
    }

    It 'refuses <Case> with <ErrorId> before anything is sent' -ForEach @(
        @{ Case = 'a -ClusterType that contradicts the cluster id'; Arguments = { @{ ClusterResourceId = $Aks; ClusterType = 'Arc' } }; ErrorId = 'ClusterTypeMismatch' }
        @{ Case = 'an id that is not a cluster'; Arguments = { @{ ClusterResourceId = "$Subscription/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st" } }; ErrorId = 'InvalidClusterResourceId' }
    ) {
        $arguments = & $Arguments

        { Register-AzMLK8sPrerequisite @arguments -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,AzMLK8s.Cmdlets.Prerequisites.RegisterAzMLK8sPrerequisiteCommand"

        $Error[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $Error[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Get-EmulatorRequestCount -Emulator $Emulator | Should -Be $Before
    }

    It 'never shows the token: streams, transcript, $Error and the results as JSON' {
        $Error.Clear()

        $run = Invoke-Transcribed -Path (Join-Path $TestDrive 'register.txt') -ScriptBlock {
            $DebugPreference = 'Continue'
            Register-AzMLK8sPrerequisite -ClusterResourceId $Aks -Verbose *>&1 | Out-String -Width 4096
            Register-AzMLK8sPrerequisite -ClusterResourceId $Aks -ClusterType Arc -ErrorAction SilentlyContinue
        }

        $run.Output | Assert-NoCanary
        $run.Transcript | Assert-NoCanary
        $Error | Out-String -Width 4096 | Assert-NoCanary
        Register-AzMLK8sPrerequisite -ClusterResourceId $Aks | ConvertTo-Json -Depth 5 | Assert-NoCanary
    }
}
