#Requires -Version 7.4
# What Connect-AzMLK8sCompute refuses or warns about before it attaches: bad input (nothing sent at all), a cluster
# without the AzureML extension, a missing namespace, an unreachable cluster API, training turned off; and how its
# errors honour -ErrorAction. The workspace identity's roles are in ComputeAttachWorkspaceIdentity.Tests.ps1.

BeforeDiscovery {
    # The emulator's default seed, for the test cases' data (the emulator starts after discovery).
    $group = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-demo/providers'
    $script:SeedId = @{
        Workspace = "$group/Microsoft.MachineLearningServices/workspaces/ws-demo"
        Aks       = "$group/Microsoft.ContainerService/managedClusters/aks-demo"
        Identity  = "$group/Microsoft.ManagedIdentity/userAssignedIdentities/id-demo"
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/Computes.TestSupport.psm1') -Force
    Import-BuiltModule

    # An emulator with AzureML on aks-demo (and on the given clusters), signed in.
    function script:Start-ChecksEmulator {
        $emulator = Start-TestEmulator
        Set-TestFastOperation -Emulator $emulator
        Connect-TestEmulator -Emulator $emulator | Out-Null
        Install-TestAzureML -ClusterResourceId $emulator.ClusterId['aks-demo']
        $emulator
    }
}

Describe 'Refusals and warnings about the cluster' {
    BeforeAll {
        $script:Emulator = Start-ChecksEmulator
        $script:Id = Get-TestId -Emulator $Emulator
    }

    AfterAll {
        $script:Emulator | Stop-TestEmulator
    }

    It 'refuses a cluster without the AzureML extension with the command that installs it, and writes nothing' {
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $raised = Get-RaisedError { Connect-AzMLK8sCompute -Name arc-compute -WorkspaceName ws-demo -ResourceGroupName rg-demo -ClusterResourceId $Id.Arc -ErrorAction Stop }

        $raised.FullyQualifiedErrorId | Should -Be 'AzureMLExtensionNotFound,AzMLK8s.Cmdlets.Computes.ConnectAzMLK8sComputeCommand'
        $raised.ErrorDetails.RecommendedAction | Should -BeLike "*New-AzMLK8sExtension -ClusterResourceId '$($Id.Arc)'*"
        Get-EmulatorWrite -Emulator $Emulator -Since $before | Should -BeNullOrEmpty
    }

    It 'refuses a namespace that does not exist, naming -CreateNamespace and kubectl, and writes nothing' {
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $output = Connect-AzMLK8sCompute -Name aks-compute -WorkspaceName ws-demo -ResourceGroupName rg-demo -ClusterResourceId $Id.Aks -Namespace no-such-ns `
            -ErrorAction SilentlyContinue -ErrorVariable failed

        $output | Should -BeNullOrEmpty
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'KubernetesNamespaceNotFound,AzMLK8s.Cmdlets.Computes.ConnectAzMLK8sComputeCommand'
        $failed[0].ErrorDetails.RecommendedAction | Should -BeLike '*-CreateNamespace*'
        $failed[0].ErrorDetails.RecommendedAction | Should -BeLike '*kubectl create namespace no-such-ns*'
        Get-EmulatorWrite -Emulator $Emulator -Since $before | Should -BeNullOrEmpty
    }

    It 'creates a missing namespace with -CreateNamespace, says so under -WhatIf, and then attaches into it' {
        $before = Get-EmulatorRequestCount -Emulator $Emulator
        $whatIf = Invoke-WithTranscript { Connect-AzMLK8sCompute -Name ml-jobs -WorkspaceName ws-demo -ResourceGroupName rg-demo -ClusterResourceId $Id.Aks -Namespace ml-jobs -CreateNamespace -WhatIf }
        $nothingWritten = @(Get-EmulatorWrite -Emulator $Emulator -Since $before)
        $stillMissing = Get-RaisedError { Connect-AzMLK8sCompute -Name ml-jobs -WorkspaceName ws-demo -ResourceGroupName rg-demo -ClusterResourceId $Id.Aks -Namespace ml-jobs -WhatIf -ErrorAction Stop }

        $compute = Connect-AzMLK8sCompute -Name ml-jobs -WorkspaceName ws-demo -ResourceGroupName rg-demo -ClusterResourceId $Id.Aks -Namespace ml-jobs -CreateNamespace
        $next = Connect-AzMLK8sCompute -Name ml-jobs-2 -WorkspaceName ws-demo -ResourceGroupName rg-demo -ClusterResourceId $Id.Aks -Namespace ml-jobs

        $whatIf.Output | Should -BeNullOrEmpty
        $whatIf.Host | Should -Match "in namespace 'ml-jobs' with identity SystemAssigned, creating the namespace"
        $nothingWritten | Should -BeNullOrEmpty
        $stillMissing.FullyQualifiedErrorId | Should -BeLike 'KubernetesNamespaceNotFound,*'
        $compute.Namespace | Should -Be 'ml-jobs'
        $compute.ProvisioningState | Should -Be 'Succeeded'
        $next.Namespace | Should -Be 'ml-jobs'
    }

    It 'warns that training is turned off and attaches all the same' {
        $cluster = Add-TestCluster -Emulator $Emulator -Prefix infer
        Install-TestAzureML -ClusterResourceId $cluster -InferenceOnly

        $all = Connect-AzMLK8sCompute -Name aks-infer -WorkspaceName ws-demo -ResourceGroupName rg-demo -ClusterResourceId $cluster 3>&1

        $warnings = @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        ($warnings.Message -join "`n") | Should -Match 'training turned off'
        @($all | Where-Object { $_ -is [AzMLK8s.Model.Computes.AzMLK8sCompute] }).ProvisioningState | Should -Be 'Succeeded'
    }

    It 'warns that an unreachable cluster API left the namespace unchecked, attaches, and never shows the kubeconfig''s token' {
        $kubeconfig = Join-Path $TestDrive 'unreachable.yaml'
        Set-Content -Path $kubeconfig -Value @'
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: { server: "https://127.0.0.1:1", insecure-skip-tls-verify: true }
users:
- name: u
  user: { token: "compute-unreachable-canary" }
contexts:
- name: ctx
  context: { cluster: c, user: u }
current-context: ctx
'@

        $all = & {
            # -Debug would turn the warning into a question, which this session cannot answer.
            $DebugPreference = 'Continue'
            Connect-AzMLK8sCompute -Name aks-far -WorkspaceName ws-demo -ResourceGroupName rg-demo -ClusterResourceId $Id.Aks -Namespace maybe-there `
                -KubeconfigPath $kubeconfig -Verbose
        } *>&1

        $warnings = @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        ($warnings.Message -join "`n") | Should -Match "Namespace 'maybe-there' was not checked"
        @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        @($all | Where-Object { $_ -is [AzMLK8s.Model.Computes.AzMLK8sCompute] }).ProvisioningState | Should -Be 'Succeeded'
        $all | Out-String -Width 4096 | Assert-NoCanary -Canary 'compute-unreachable-canary', (Get-CanaryToken)
    }
}

Describe 'Bad input' {
    BeforeAll {
        $script:Emulator = Start-ChecksEmulator
        $script:Id = Get-TestId -Emulator $Emulator
    }

    AfterAll {
        $script:Emulator | Stop-TestEmulator
    }

    It 'refuses <Case> with <ErrorId> before any request' -ForEach @(
        @{ Case = 'a workspace id as the cluster'; ErrorId = 'InvalidClusterResourceId'; Arguments = @{ ClusterResourceId = $SeedId.Workspace } }
        @{ Case = 'a cluster name instead of its id'; ErrorId = 'InvalidClusterResourceId'; Arguments = @{ ClusterResourceId = 'aks-demo' } }
        @{ Case = 'a cluster id as the workspace'; ErrorId = 'InvalidWorkspaceResourceId'; Arguments = @{ WorkspaceName = $null; ResourceGroupName = $null; WorkspaceResourceId = $SeedId.Aks } }
        @{ Case = 'two user-assigned identities'; ErrorId = 'TooManyUserAssignedIdentities'; Arguments = @{ UserAssignedIdentity = $SeedId.Identity, ($SeedId.Identity -replace 'id-demo', 'id-other') } }
        @{ Case = 'a cluster id as the identity'; ErrorId = 'InvalidUserAssignedIdentityId'; Arguments = @{ UserAssignedIdentity = $SeedId.Aks } }
        @{ Case = 'a user-assigned identity with SystemAssigned'; ErrorId = 'ComputeIdentityMismatch'; Arguments = @{ IdentityType = 'SystemAssigned'; UserAssignedIdentity = $SeedId.Identity } }
        @{ Case = 'UserAssigned without an identity'; ErrorId = 'ComputeIdentityMismatch'; Arguments = @{ IdentityType = 'UserAssigned' } }
        @{ Case = 'a one-letter compute name'; ErrorId = 'InvalidComputeName'; Arguments = @{ Name = 'x' } }
        @{ Case = 'a compute name with an underscore'; ErrorId = 'InvalidComputeName'; Arguments = @{ Name = 'name_with_underscore' } }
        @{ Case = 'a 17-character compute name'; ErrorId = 'InvalidComputeName'; Arguments = @{ Name = 'seventeen-chars-x' } }
        @{ Case = 'a namespace with capitals and an underscore'; ErrorId = 'InvalidKubernetesNamespaceName'; Arguments = @{ Namespace = 'Team_A' } }
        @{ Case = 'a one-letter workspace name'; ErrorId = 'InvalidWorkspaceName'; Arguments = @{ WorkspaceName = 'w' } }
        @{ Case = 'an instance type without a memory request'; ErrorId = 'InvalidInstanceType'; Arguments = @{ InstanceType = @{ small = @{ resources = @{ requests = @{ cpu = '1' }; limits = @{ cpu = '1'; memory = '1Gi' } } } } } }
        @{ Case = 'an instance type with a misspelt key'; ErrorId = 'InvalidInstanceType'; Arguments = @{ InstanceType = @{ small = @{ resource = @{} } } } }
    ) {
        $parameters = @{ Name = 'aks-compute'; WorkspaceName = 'ws-demo'; ResourceGroupName = 'rg-demo'; ClusterResourceId = $Id.Aks; Namespace = 'default' }
        foreach ($entry in $Arguments.GetEnumerator()) {
            if ($null -eq $entry.Value) { $parameters.Remove($entry.Key) } else { $parameters[$entry.Key] = $entry.Value }
        }
        $null = Invoke-EmulatorControl -Emulator $Emulator -Method DELETE -Path requests

        $raised = Get-RaisedError { Connect-AzMLK8sCompute @parameters -ErrorAction Stop }

        $raised.FullyQualifiedErrorId | Should -Be "$ErrorId,AzMLK8s.Cmdlets.Computes.ConnectAzMLK8sComputeCommand"
        $raised.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $raised.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Get-EmulatorRequest -Emulator $Emulator | Should -BeNullOrEmpty
    }

    It 'honours -ErrorAction: Stop throws, Continue writes and goes on, SilentlyContinue keeps it in $Error, Ignore drops it' {
        $parameters = @{ Name = 'x'; WorkspaceName = 'ws-demo'; ResourceGroupName = 'rg-demo'; ClusterResourceId = $Id.Aks }
        $Error.Clear()

        { Connect-AzMLK8sCompute @parameters -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidComputeName,AzMLK8s.Cmdlets.Computes.ConnectAzMLK8sComputeCommand'
        $Error.Clear()
        $continued = & { Connect-AzMLK8sCompute @parameters -ErrorAction Continue; 'went on' } 2>&1
        $silent = & { Connect-AzMLK8sCompute @parameters -ErrorAction SilentlyContinue; 'went on' } 2>&1
        $inError = $Error.Count
        $ignored = & { Connect-AzMLK8sCompute @parameters -ErrorAction Ignore; 'went on' } 2>&1
        $null = Connect-AzMLK8sCompute @parameters -ErrorAction SilentlyContinue -ErrorVariable kept

        $continued[0].FullyQualifiedErrorId | Should -BeLike 'InvalidComputeName,*'
        $continued[-1] | Should -Be 'went on'
        $silent | Should -Be 'went on'
        $inError | Should -Be 2
        $ignored | Should -Be 'went on'
        $Error.Count | Should -Be 3
        $kept | Should -HaveCount 1
        $kept[0].FullyQualifiedErrorId | Should -BeLike 'InvalidComputeName,*'
    }
}
