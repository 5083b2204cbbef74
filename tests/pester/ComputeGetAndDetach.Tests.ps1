#Requires -Version 7.4
# Get-AzMLK8sCompute and Disconnect-AzMLK8sCompute as a user calls them: the three ways to find computes (a
# workspace by name or id, a cluster across a resource group or the subscription, Get-AzMLK8sExtension's output),
# the table view, detaching one or a pipeline of computes (-WhatIf, -Confirm, -PassThru, -NoWait, non-interactive),
# idempotence, -ErrorAction, streams and secrets.
# Other compute types (which the emulator's ARM API cannot create), Confirm answered by a host and Stop() during the
# detach wait are in tests/AzMLK8s.PowerShellHost.Tests/Computes.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/Computes.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-TestEmulator
    Set-TestFastOperation -Emulator $Emulator
    Connect-TestEmulator -Emulator $Emulator | Out-Null
    $script:Id = Get-TestId -Emulator $Emulator
    Install-TestAzureML -ClusterResourceId $Id.Aks
    Install-TestAzureML -ClusterResourceId $Id.Arc
    $null = New-TestRelayNamespace -Emulator $Emulator
    $null = Grant-AzMLWorkspaceIdentityRole -WorkspaceResourceId $Id.UaiWorkspace -ClusterResourceId $Id.Aks

    # Attaches a compute to ws-demo (or -Workspace), as Connect-AzMLK8sCompute does.
    function script:Add-Compute([string] $Name, [string] $Cluster, [string] $Workspace = $Id.Workspace) {
        Connect-AzMLK8sCompute -Name $Name -WorkspaceResourceId $Workspace -ClusterResourceId $Cluster -ErrorAction Stop
    }

    # The compute as ARM has it now (null when it is gone).
    function script:Get-StoredCompute([string] $Name, [string] $Workspace = $Id.Workspace) {
        Get-EmulatorResource -Emulator $Emulator -ResourceId "$Workspace/computes/$Name" -ApiVersion 2024-10-01
    }
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'Get-AzMLK8sCompute' {
    BeforeAll {
        $null = Add-Compute team-a $Id.Aks
        $null = Add-Compute team-b $Id.Arc
        $null = Add-Compute shared $Id.Aks $Id.UaiWorkspace
    }

    AfterAll {
        Disconnect-AzMLK8sCompute -Name shared -WorkspaceResourceId $Id.UaiWorkspace -Confirm:$false
    }

    It 'lists the Kubernetes computes of a workspace by name and resource group' {
        $computes = Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo

        $computes.Name | Sort-Object | Should -Be @('team-a', 'team-b')
        $computes | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'AzMLK8s.Model.Computes.AzMLK8sCompute' }
    }

    It 'gets one compute by -Name (positional) from a workspace given by its id' {
        $compute = Get-AzMLK8sCompute team-b -WorkspaceResourceId $Id.Workspace

        $compute | Should -HaveCount 1
        $compute.ClusterResourceId | Should -Be $Id.Arc
        $compute.WorkspaceResourceId | Should -Be $Id.Workspace
        $compute.ProvisioningState | Should -Be 'Succeeded'
    }

    It 'finds the computes bound to a cluster across the workspaces of a resource group' {
        $computes = Get-AzMLK8sCompute -ClusterResourceId $Id.Aks -ResourceGroupName rg-demo

        $computes.Name | Sort-Object | Should -Be @('shared', 'team-a')
    }

    It 'finds the computes of each cluster Get-AzMLK8sExtension writes, across the subscription with one workspace list' {
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $computes = Get-AzMLK8sExtension -ClusterResourceId $Id.Aks | Get-AzMLK8sCompute

        $computes.Name | Sort-Object | Should -Be @('shared', 'team-a')
        Get-EmulatorRouteCount -Emulator $Emulator -Since $before -Route Workspaces_ListBySubscription | Should -Be 1
    }

    It 'shows computes through the module''s table view' {
        $text = Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo | Sort-Object Name | Out-String -Width 300

        $text | Should -Match 'Name\s+Workspace\s+Namespace\s+State\s+Identity\s+Cluster'
        $text | Should -Match 'team-a\s+ws-demo\s+default\s+Succeeded\s+SystemAssigned\s+aks-demo'
    }

    It 'reports a compute that is not there as ComputeNotFound (ObjectNotFound) and writes nothing' {
        $output = Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo -Name nothing -ErrorAction SilentlyContinue -ErrorVariable failed

        $output | Should -BeNullOrEmpty
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'ComputeNotFound,AzMLK8s.Cmdlets.Computes.GetAzMLK8sComputeCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failed[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'honours -ErrorAction: Stop throws, Continue writes and goes on, SilentlyContinue keeps it in $Error, Ignore drops it' {
        $Error.Clear()

        { Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo -Name nothing -ErrorAction Stop } | Should -Throw -ErrorId 'ComputeNotFound,AzMLK8s.Cmdlets.Computes.GetAzMLK8sComputeCommand'
        $Error.Clear()
        $continued = & { Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo -Name nothing -ErrorAction Continue; 'went on' } 2>&1
        $silent = & { Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo -Name nothing -ErrorAction SilentlyContinue; 'went on' } 2>&1
        $inError = $Error.Count
        $ignored = & { Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo -Name nothing -ErrorAction Ignore; 'went on' } 2>&1

        $continued[0].FullyQualifiedErrorId | Should -BeLike 'ComputeNotFound,*'
        $continued[-1] | Should -Be 'went on'
        $silent | Should -Be 'went on'
        $inError | Should -Be 2
        $ignored | Should -Be 'went on'
        $Error.Count | Should -Be 2
    }
}

Describe 'Disconnect-AzMLK8sCompute' {
    It 'detaches a compute, waits until it is gone, leaves the cluster and writes it with -PassThru' {
        $null = Add-Compute detach-me $Id.Aks
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $detached = Disconnect-AzMLK8sCompute detach-me -WorkspaceName ws-demo -ResourceGroupName rg-demo -PassThru -Confirm:$false

        $detached.Name | Should -Be 'detach-me'
        $detached.PSObject.TypeNames[0] | Should -Be 'AzMLK8s.Model.Computes.AzMLK8sCompute'
        Get-StoredCompute detach-me | Should -BeNullOrEmpty
        Get-EmulatorRouteCount -Emulator $Emulator -Since $before -Method DELETE -Route Compute_Delete | Should -Be 1
        (Get-EmulatorRequest -Emulator $Emulator -Since $before | Where-Object route -EQ Compute_Delete).path | Should -Not -BeNullOrEmpty
        Get-EmulatorResource -Emulator $Emulator -ResourceId $Id.Aks -ApiVersion 2024-05-01 | Should -Not -BeNullOrEmpty
        Get-AzMLK8sExtension -ClusterResourceId $Id.Aks | Should -Not -BeNullOrEmpty
    }

    It 'writes nothing without -PassThru' {
        $null = Add-Compute quiet $Id.Aks

        $output = Disconnect-AzMLK8sCompute -Name quiet -WorkspaceResourceId $Id.Workspace -Confirm:$false

        $output | Should -BeNullOrEmpty
        Get-StoredCompute quiet | Should -BeNullOrEmpty
    }

    It 'under -WhatIf names the compute and says the cluster stays, and detaches nothing' {
        $null = Add-Compute kept $Id.Aks
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $run = Invoke-WithTranscript { Disconnect-AzMLK8sCompute -Name kept -WorkspaceName ws-demo -ResourceGroupName rg-demo -WhatIf }

        $run.Output | Should -BeNullOrEmpty
        $run.Host | Should -Match ([regex]::Escape("What if: Performing the operation `"Detach Kubernetes compute 'kept' from workspace 'ws-demo' (cluster '$($Id.Aks)' and its namespace stay; jobs running on the compute stop)`" on target `"$($Id.Workspace)/computes/kept`""))
        Get-EmulatorWrite -Emulator $Emulator -Since $before | Should -BeNullOrEmpty
        Get-StoredCompute kept | Should -Not -BeNullOrEmpty
    }

    It 'is not an error for a compute that is already gone: nothing is sent, and the verbose stream says so' {
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $all = Disconnect-AzMLK8sCompute -Name never-there -WorkspaceResourceId $Id.Workspace -Confirm:$false -Verbose 4>&1

        @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) | Should -BeNullOrEmpty
        ($all.Message -join "`n") | Should -Match "Compute 'never-there' is not attached to workspace 'ws-demo'; nothing to detach"
        Get-EmulatorRouteCount -Emulator $Emulator -Since $before -Method DELETE -Route Compute_Delete | Should -Be 0
    }

    It 'honours -ErrorAction: Stop throws, Continue writes and goes on, SilentlyContinue keeps it in $Error, Ignore drops it' {
        $parameters = @{ Name = 'team-a'; WorkspaceName = 'w'; ResourceGroupName = 'rg-demo'; Confirm = $false }
        $Error.Clear()

        { Disconnect-AzMLK8sCompute @parameters -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidWorkspaceName,AzMLK8s.Cmdlets.Computes.DisconnectAzMLK8sComputeCommand'
        $Error.Clear()
        $continued = & { Disconnect-AzMLK8sCompute @parameters -ErrorAction Continue; 'went on' } 2>&1
        $silent = & { Disconnect-AzMLK8sCompute @parameters -ErrorAction SilentlyContinue; 'went on' } 2>&1
        $inError = $Error.Count
        $ignored = & { Disconnect-AzMLK8sCompute @parameters -ErrorAction Ignore; 'went on' } 2>&1

        $continued[0].FullyQualifiedErrorId | Should -BeLike 'InvalidWorkspaceName,*'
        $continued[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $continued[-1] | Should -Be 'went on'
        $silent | Should -Be 'went on'
        $inError | Should -Be 2
        $ignored | Should -Be 'went on'
        $Error.Count | Should -Be 2
    }

    It '-NoWait starts the detach and returns without polling' {
        $null = Add-Compute nowait $Id.Aks
        $null = Invoke-EmulatorControl -Emulator $Emulator -Method PATCH -Path options -Body @{ operationMs = -1 }
        try {
            $before = Get-EmulatorRequestCount -Emulator $Emulator

            Disconnect-AzMLK8sCompute -Name nowait -WorkspaceName ws-demo -ResourceGroupName rg-demo -NoWait -Confirm:$false

            Get-EmulatorRouteCount -Emulator $Emulator -Since $before -Method DELETE -Route Compute_Delete | Should -Be 1
            Get-EmulatorRouteCount -Emulator $Emulator -Since $before -Route ComputeOperationsStatus_Get | Should -Be 0
            Get-StoredCompute nowait | Should -Not -BeNullOrEmpty
        }
        finally {
            $null = Invoke-EmulatorControl -Emulator $Emulator -Method POST -Path operations/complete
            Set-TestFastOperation -Emulator $Emulator
        }
        Get-StoredCompute nowait | Should -BeNullOrEmpty
    }
}

Describe 'Get-AzMLK8sCompute piped to Disconnect-AzMLK8sCompute' {
    BeforeAll {
        $null = Connect-AzMLK8sCompute -Name p-one -WorkspaceResourceId $Id.UaiWorkspace -ClusterResourceId $Id.Aks
        $null = Connect-AzMLK8sCompute -Name p-two -WorkspaceResourceId $Id.UaiWorkspace -ClusterResourceId $Id.Aks -Namespace team-a
    }

    It 'under -WhatIf asks about each compute and detaches none' {
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $run = Invoke-WithTranscript { Get-AzMLK8sCompute -WorkspaceResourceId $Id.UaiWorkspace | Disconnect-AzMLK8sCompute -WhatIf }

        ([regex]::Matches($run.Host, 'What if: Performing the operation "Detach Kubernetes compute')).Count | Should -Be 2
        $run.Host | Should -Match "compute 'p-one'"
        $run.Host | Should -Match "compute 'p-two'"
        Get-EmulatorWrite -Emulator $Emulator -Since $before | Should -BeNullOrEmpty
        @(Get-AzMLK8sCompute -WorkspaceResourceId $Id.UaiWorkspace) | Should -HaveCount 2
    }

    It 'in a non-interactive session asks (ConfirmImpact High), which raises an error and detaches nothing' {
        # Today the refused question ends in a generic error; issue #12 gives it its own id. Only the outcome is asserted.
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $run = Invoke-Pwsh -NonInteractive -Script @"
$(Get-TestEmulatorSignIn -Emulator $Emulator)
try { Get-AzMLK8sCompute -WorkspaceResourceId '$($Id.UaiWorkspace)' | Disconnect-AzMLK8sCompute -ErrorAction Stop; 'detached' }
catch { 'refused' }
"@

        $run.Output | Should -Match 'refused'
        Get-EmulatorWrite -Emulator $Emulator -Since $before | Should -BeNullOrEmpty
        @(Get-AzMLK8sCompute -WorkspaceResourceId $Id.UaiWorkspace) | Should -HaveCount 2
    }

    It 'with -Confirm:$false detaches every compute it is given' {
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $detached = Get-AzMLK8sCompute -WorkspaceResourceId $Id.UaiWorkspace | Disconnect-AzMLK8sCompute -Confirm:$false -PassThru

        $detached.Name | Sort-Object | Should -Be @('p-one', 'p-two')
        Get-EmulatorRouteCount -Emulator $Emulator -Since $before -Method DELETE -Route Compute_Delete | Should -Be 2
        Get-AzMLK8sCompute -WorkspaceResourceId $Id.UaiWorkspace | Should -BeNullOrEmpty
    }

    It 'changes nothing when run again: every compute is already gone' {
        $computes = @(
            [AzMLK8s.Model.Computes.AzMLK8sCompute]@{ Name = 'p-one'; ResourceId = "$($Id.UaiWorkspace)/computes/p-one"; WorkspaceName = 'ws-uai'; WorkspaceResourceId = $Id.UaiWorkspace; ResourceGroupName = 'rg-demo'; SubscriptionId = $Emulator.SubscriptionId }
            [AzMLK8s.Model.Computes.AzMLK8sCompute]@{ Name = 'p-two'; ResourceId = "$($Id.UaiWorkspace)/computes/p-two"; WorkspaceName = 'ws-uai'; WorkspaceResourceId = $Id.UaiWorkspace; ResourceGroupName = 'rg-demo'; SubscriptionId = $Emulator.SubscriptionId }
        )
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $output = $computes | Disconnect-AzMLK8sCompute -Confirm:$false -PassThru -ErrorVariable failed

        $output | Should -BeNullOrEmpty
        $failed | Should -BeNullOrEmpty
        Get-EmulatorWrite -Emulator $Emulator -Since $before | Should -BeNullOrEmpty
    }
}

Describe 'Secrets never show' {
    It 'keeps the token out of every stream, the transcript, $Error, JSON and CliXml of what Get and Disconnect write' {
        $null = Add-Compute secret $Id.Aks
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $clixml = Join-Path $TestDrive 'computes.xml'

        Start-Transcript -Path $transcript | Out-Null
        try {
            $all = & {
                $DebugPreference = 'Continue'
                Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo -Verbose
                Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo -Name nothing -ErrorAction SilentlyContinue
                Disconnect-AzMLK8sCompute -Name secret -WorkspaceName ws-demo -ResourceGroupName rg-demo -PassThru -Confirm:$false -Verbose
            } *>&1
        }
        finally {
            Stop-Transcript | Out-Null
        }
        $all | Where-Object { $_ -is [AzMLK8s.Model.Computes.AzMLK8sCompute] } | Export-Clixml -Path $clixml

        $all | Out-String -Width 4096 | Assert-NoCanary
        Get-Content -Raw $transcript | Assert-NoCanary
        Get-Content -Raw $clixml | Assert-NoCanary
        $all | Where-Object { $_ -is [AzMLK8s.Model.Computes.AzMLK8sCompute] } | ConvertTo-Json -Depth 5 | Assert-NoCanary
        $Error | Out-String -Width 4096 | Assert-NoCanary
    }
}
