#Requires -Version 7.4
# Grant-AzMLComputeRole and Revoke-AzMLComputeRole as a user calls them: the pipeline Connect-AzMLK8sCompute |
# Grant-AzMLComputeRole (by value) and objects with the names (by property name), each scope (registry, storage
# account, blob container, any scope), idempotence (Existing, nothing to remove), Grant | Revoke, -WhatIf, questions in
# a non-interactive session, errors with their fixes, tab completion, the table view and secrets.
# The wait for a new identity to replicate (the emulator's clock) and Stop() during it are in
# tests/AzMLK8s.PowerShellHost.Tests/Computes.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/Computes.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-TestEmulator
    Set-TestFastOperation -Emulator $Emulator
    Connect-TestEmulator -Emulator $Emulator | Out-Null
    $script:Id = Get-TestId -Emulator $Emulator
    Install-TestAzureML -ClusterResourceId $Id.Aks

    # A freshly attached compute of ws-demo with a system-assigned identity.
    function script:New-Compute([string] $Name) {
        Connect-AzMLK8sCompute -Name $Name -WorkspaceName ws-demo -ResourceGroupName rg-demo -ClusterResourceId $Id.Aks -ErrorAction Stop
    }

    # A compute object without an identity, which is not in Azure either.
    $script:NoIdentity = [AzMLK8s.Model.Computes.AzMLK8sCompute]@{
        Name = 'no-identity'; ResourceId = "$($Id.Workspace)/computes/no-identity"; WorkspaceName = 'ws-demo'
        WorkspaceResourceId = $Id.Workspace; ResourceGroupName = 'rg-demo'; SubscriptionId = $Emulator.SubscriptionId
    }
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'Grant-AzMLComputeRole' {
    It 'grants once: the second run finds the assignment (Existing) and writes nothing' {
        $compute = New-Compute twice
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $first = $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo
        $second = $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo

        $first.PSObject.TypeNames[0] | Should -Be 'AzMLK8s.Model.Roles.AzMLRoleAssignment'
        $first.Status | Should -Be 'Created'
        $second.Status | Should -Be 'Existing'
        $second.Name | Should -Be $first.Name
        $first.Scope | Should -Be $Id.Registry
        $first.RoleDefinitionId | Should -Be (Get-TestRoleGuid -Emulator $Emulator -RoleName AcrPull)
        $first.RoleDefinitionName | Should -Be 'AcrPull'
        $first.PrincipalId | Should -Be $compute.PrincipalId
        $first.PrincipalType | Should -Be 'ServicePrincipal'
        $stored = @(Get-TestRoleAssignment -Emulator $Emulator -Scope $Id.Registry -PrincipalId $compute.PrincipalId)
        $stored | Should -HaveCount 1
        $stored[0].name | Should -Be $first.Name
        $stored[0].properties.principalType | Should -Be 'ServicePrincipal'
        Get-EmulatorRouteCount -Emulator $Emulator -Since $before -Method PUT -Route RoleAssignments_Create | Should -Be 1
    }

    It 'names the assignment after its scope, principal and role: granted again after a revoke, it has the same name' {
        $compute = New-Compute same-name
        $first = $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo
        $null = $first | Revoke-AzMLComputeRole

        $again = $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo
        $other = $compute | Grant-AzMLComputeRole -Role StorageBlobDataReader -Scope $Id.Registry

        $again.Status | Should -Be 'Created'
        $again.Name | Should -Be $first.Name
        $other.Name | Should -Not -Be $first.Name
    }

    It 'uses a piped compute as it is (by value), without reading it again' {
        $compute = New-Compute by-value
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $granted = $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo

        $granted.PrincipalId | Should -Be $compute.PrincipalId
        Get-EmulatorRouteCount -Emulator $Emulator -Since $before -Route Compute_Get | Should -Be 0
    }

    It 'chains from Connect-AzMLK8sCompute in one pipeline' {
        $granted = Connect-AzMLK8sCompute -Name chained -WorkspaceName ws-demo -ResourceGroupName rg-demo -ClusterResourceId $Id.Aks |
            Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo

        $granted.Status | Should -Be 'Created'
        $granted.PrincipalId | Should -Be (Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo -Name chained).PrincipalId
    }

    It 'runs the documented chain Get-AzMLK8sExtension | Connect-AzMLK8sCompute | Grant-AzMLComputeRole, and run again it changes nothing' {
        $chain = {
            Get-AzMLK8sExtension -ClusterResourceId $Id.Aks |
                Connect-AzMLK8sCompute -Name full-chain -WorkspaceName ws-demo -ResourceGroupName rg-demo |
                Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo
        }

        $first = & $chain
        $before = Get-EmulatorRequestCount -Emulator $Emulator
        $second = & $chain

        $first.Status | Should -Be 'Created'
        $first.Scope | Should -Be $Id.Registry
        $second.Status | Should -Be 'Existing'
        $second.Name | Should -Be $first.Name
        Get-EmulatorWrite -Emulator $Emulator -Since $before | Should -BeNullOrEmpty
    }

    It 'binds an object with WorkspaceName, ResourceGroupName and Name by property name' {
        $compute = New-Compute by-name

        $granted = [pscustomobject]@{ WorkspaceName = 'ws-demo'; ResourceGroupName = 'rg-demo'; Name = 'by-name' } |
            Grant-AzMLComputeRole -Role StorageBlobDataReader -StorageAccount stdemo

        $granted.Scope | Should -Be $Id.Storage
        $granted.PrincipalId | Should -Be $compute.PrincipalId
        $granted.RoleDefinitionName | Should -Be 'Storage Blob Data Reader'
    }

    It 'takes workspace and compute by name, with a blob container of a storage account as the scope' {
        $compute = New-Compute named

        $granted = Grant-AzMLComputeRole -WorkspaceName ws-demo -ResourceGroupName rg-demo -ComputeName named -Role 'Storage Blob Data Contributor' -StorageAccount stdemo -Container training-data

        $granted.Scope | Should -Be "$($Id.Storage)/blobServices/default/containers/training-data"
        $granted.RoleDefinitionId | Should -Be (Get-TestRoleGuid -Emulator $Emulator -RoleName 'Storage Blob Data Contributor')
        $granted.PrincipalId | Should -Be $compute.PrincipalId
    }

    It 'gives a user-assigned compute identity the role, looking up a role given by display name in Azure' {
        $null = Grant-AzMLWorkspaceIdentityRole -WorkspaceResourceId $Id.UaiWorkspace -ClusterResourceId $Id.Aks
        $compute = Connect-AzMLK8sCompute -Name uai -WorkspaceResourceId $Id.UaiWorkspace -ClusterResourceId $Id.Aks -UserAssignedIdentity $Id.Identity
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $granted = $compute | Grant-AzMLComputeRole -Role Contributor -Scope $Id.Registry
        $roleLookups = Get-EmulatorRouteCount -Emulator $Emulator -Since $before -Route RoleDefinitions_List

        $granted.PrincipalId | Should -Be $Id.IdentityPrincipalId
        $granted.RoleDefinitionName | Should -Be 'Contributor'
        $granted.RoleDefinitionId | Should -Be (Get-TestRoleGuid -Emulator $Emulator -RoleName Contributor)
        $roleLookups | Should -Be 1
    }

    It 'reports an assignment made elsewhere under another name as Existing, with that name' {
        $compute = New-Compute elsewhere
        $otherName = Add-TestRoleAssignment -Emulator $Emulator -RoleName 'Storage Blob Data Reader' -Scope $Id.Storage -PrincipalId $compute.PrincipalId

        $granted = $compute | Grant-AzMLComputeRole -Role StorageBlobDataReader -StorageAccount stdemo

        $granted.Status | Should -Be 'Existing'
        $granted.Name | Should -Be $otherName
        $granted.RoleDefinitionName | Should -Be 'Storage Blob Data Reader'
        @(Get-TestRoleAssignment -Emulator $Emulator -Scope $Id.Storage -PrincipalId $compute.PrincipalId) | Should -HaveCount 1
    }

    It 'reports an assignment made elsewhere moments ago, which lists do not show yet, as Existing and not as an error' {
        $compute = New-Compute lagging
        $otherName = Add-TestRoleAssignment -Emulator $Emulator -RoleName AcrPull -Scope $Id.Registry -PrincipalId $compute.PrincipalId
        $null = Invoke-EmulatorControl -Emulator $Emulator -Method PATCH -Path options -Body @{ roleAssignmentListDelayMs = 300000 }
        try {
            $before = Get-EmulatorRequestCount -Emulator $Emulator

            $granted = $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -ErrorVariable failed

            $conflicts = @(Get-EmulatorRequest -Emulator $Emulator -Since $before | Where-Object { $_.route -eq 'RoleAssignments_Create' -and $_.status -eq 409 })
        }
        finally {
            $null = Invoke-EmulatorControl -Emulator $Emulator -Method PATCH -Path options -Body @{ roleAssignmentListDelayMs = 0 }
        }

        $failed | Should -BeNullOrEmpty
        $granted.Status | Should -Be 'Existing'
        $granted.Name | Should -Be $otherName
        $granted.Scope | Should -Be $Id.Registry
        $conflicts | Should -HaveCount 1
        @(Get-TestRoleAssignment -Emulator $Emulator -Scope $Id.Registry -PrincipalId $compute.PrincipalId) | Should -HaveCount 1
    }

    It 'under -WhatIf names the scope, the role and the identity, and writes nothing' {
        $compute = New-Compute whatif
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $run = Invoke-WithTranscript { $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -WhatIf }

        $run.Output | Should -BeNullOrEmpty
        $run.Host | Should -Match ([regex]::Escape("What if: Performing the operation `"Grant role 'AcrPull' to the system-assigned identity of compute 'whatif' (principal $($compute.PrincipalId))`" on target `"$($Id.Registry)`""))
        Get-EmulatorWrite -Emulator $Emulator -Since $before | Should -BeNullOrEmpty
    }

    It 'asks under $ConfirmPreference Medium, which a non-interactive session refuses with an error and nothing granted' {
        # Today the refused question ends in a generic error; issue #12 gives it its own id. Only the outcome is asserted.
        $compute = New-Compute confirm-ni
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $run = Invoke-Pwsh -NonInteractive -Script @"
$(Get-TestEmulatorSignIn -Emulator $Emulator)
`$ConfirmPreference = 'Medium'
try { Grant-AzMLComputeRole -WorkspaceName ws-demo -ResourceGroupName rg-demo -ComputeName confirm-ni -Role AcrPull -ContainerRegistry acrdemo -ErrorAction Stop; 'granted' }
catch { 'refused' }
"@

        $run.Output | Should -Match 'refused'
        Get-EmulatorWrite -Emulator $Emulator -Since $before | Should -BeNullOrEmpty
        Get-TestRoleAssignment -Emulator $Emulator -Scope $Id.Registry -PrincipalId $compute.PrincipalId | Should -BeNullOrEmpty
    }

    It 'refuses <Case> with <ErrorId> before any request' -ForEach @(
        @{ Case = 'no scope'; ErrorId = 'RoleScopeMissing'; Arguments = @{} }
        @{ Case = 'a registry and a storage account'; ErrorId = 'RoleScopeAmbiguous'; Arguments = @{ ContainerRegistry = 'acrdemo'; StorageAccount = 'stdemo' } }
        @{ Case = 'a container without a storage account'; ErrorId = 'RoleScopeContainerWithoutStorageAccount'; Arguments = @{ Scope = '/subscriptions/x/resourceGroups/y'; Container = 'c' } }
        @{ Case = 'a scope that is not an id'; ErrorId = 'InvalidRoleScope'; Arguments = @{ Scope = 'acrdemo' } }
    ) {
        $null = Invoke-EmulatorControl -Emulator $Emulator -Method DELETE -Path requests

        $raised = Get-RaisedError { $NoIdentity | Grant-AzMLComputeRole -Role AcrPull @Arguments -ErrorAction Stop }

        $raised.FullyQualifiedErrorId | Should -Be "$ErrorId,AzMLK8s.Cmdlets.Roles.GrantAzMLComputeRoleCommand"
        $raised.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Get-EmulatorRequest -Emulator $Emulator | Should -BeNullOrEmpty
    }

    It 'names an unknown registry, role and compute, and a compute without an identity, each with its fix, and grants nothing' {
        $compute = New-Compute unknowns
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $failed = [System.Collections.ArrayList]::new()
        $output = @(
            $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry nosuchacr -ErrorAction SilentlyContinue -ErrorVariable +failed
            $compute | Grant-AzMLComputeRole -Role 'Made Up Role' -ContainerRegistry acrdemo -ErrorAction SilentlyContinue -ErrorVariable +failed
            Grant-AzMLComputeRole -WorkspaceName ws-demo -ResourceGroupName rg-demo -ComputeName missing -Role AcrPull -ContainerRegistry acrdemo -ErrorAction SilentlyContinue -ErrorVariable +failed
            $NoIdentity | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -ErrorAction SilentlyContinue -ErrorVariable +failed
        )

        $output | Should -BeNullOrEmpty

        $failed.FullyQualifiedErrorId | Should -Be @(
            'RoleScopeNotFound,AzMLK8s.Cmdlets.Roles.GrantAzMLComputeRoleCommand'
            'RoleNotFound,AzMLK8s.Cmdlets.Roles.GrantAzMLComputeRoleCommand'
            'ComputeNotFound,AzMLK8s.Cmdlets.Roles.GrantAzMLComputeRoleCommand'
            'ComputeHasNoIdentity,AzMLK8s.Cmdlets.Roles.GrantAzMLComputeRoleCommand')
        $failed | ForEach-Object { $_.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty }
        Get-EmulatorRouteCount -Emulator $Emulator -Since $before -Method PUT -Route RoleAssignments_Create | Should -Be 0
    }

    It 'completes -Role with the roles a compute typically needs' {
        $line = "Grant-AzMLComputeRole -Role 'Storage"
        $completions = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)

        $completions.CompletionMatches.CompletionText | Should -Be @('StorageBlobDataReader', 'StorageBlobDataContributor')
        $all = [System.Management.Automation.CommandCompletion]::CompleteInput('Revoke-AzMLComputeRole -Role ', 29, $null)
        $all.CompletionMatches.CompletionText | Should -Be @('AcrPull', 'StorageBlobDataReader', 'StorageBlobDataContributor')
    }

    It 'knows every role it completes' {
        $compute = New-Compute completed
        $suggested = [System.Management.Automation.CommandCompletion]::CompleteInput('Grant-AzMLComputeRole -Role ', 28, $null).CompletionMatches.CompletionText

        $run = Invoke-WithTranscript { $suggested | ForEach-Object { $compute | Grant-AzMLComputeRole -Role $_ -Scope $Id.Registry -WhatIf -ErrorAction Stop } }

        ([regex]::Matches($run.Host, 'What if: Performing the operation "Grant role')).Count | Should -Be $suggested.Count
    }

    It 'shows assignments through the module''s table view' {
        $compute = New-Compute viewed

        $text = $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo | Out-String -Width 300

        $text | Should -Match 'Status\s+Role\s+PrincipalId\s+Scope'
        $text | Should -Match "Created\s+AcrPull\s+$($compute.PrincipalId)"
    }
}

Describe 'Revoke-AzMLComputeRole' {
    It 'removes the role once and then finds nothing to remove, which is not an error' {
        $compute = New-Compute revoke-twice
        $null = $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo

        $first = $compute | Revoke-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -ErrorVariable failed
        $second = $compute | Revoke-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -Verbose -ErrorVariable failedAgain 4>&1

        $failed | Should -BeNullOrEmpty
        $failedAgain | Should -BeNullOrEmpty
        $first.Status | Should -Be 'Removed'
        $first.PrincipalId | Should -Be $compute.PrincipalId
        @($second | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) | Should -BeNullOrEmpty
        ($second.Message -join "`n") | Should -Match 'nothing to remove'
        Get-TestRoleAssignment -Emulator $Emulator -Scope $Id.Registry -PrincipalId $compute.PrincipalId | Should -BeNullOrEmpty
    }

    It 'removes what Grant-AzMLComputeRole wrote when it is piped in, and a second removal is not an error' {
        $compute = New-Compute grant-revoke
        $granted = $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo

        $removed = $granted | Revoke-AzMLComputeRole -Confirm:$false -ErrorVariable failed
        $again = $granted | Revoke-AzMLComputeRole -Verbose -ErrorVariable failedAgain 4>&1

        $failed | Should -BeNullOrEmpty
        $failedAgain | Should -BeNullOrEmpty
        $removed.Status | Should -Be 'Removed'
        $removed.Name | Should -Be $granted.Name
        @($again | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) | Should -BeNullOrEmpty
        ($again.Message -join "`n") | Should -Match 'does not exist'
        Get-TestRoleAssignment -Emulator $Emulator -Scope $Id.Registry -PrincipalId $compute.PrincipalId | Should -BeNullOrEmpty
    }

    It 'takes workspace and compute by name' {
        $compute = New-Compute revoke-named
        $null = $compute | Grant-AzMLComputeRole -Role StorageBlobDataReader -StorageAccount stdemo

        $removed = Revoke-AzMLComputeRole -WorkspaceName ws-demo -ResourceGroupName rg-demo -ComputeName revoke-named -Role StorageBlobDataReader -StorageAccount stdemo

        $removed.Status | Should -Be 'Removed'
        $removed.Scope | Should -Be $Id.Storage
    }

    It 'under -WhatIf names the scope and the identity, and removes nothing' {
        $compute = New-Compute revoke-whatif
        $granted = $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $run = Invoke-WithTranscript { $granted | Revoke-AzMLComputeRole -WhatIf; $compute | Revoke-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -WhatIf }

        $run.Output | Should -BeNullOrEmpty
        $run.Host | Should -Match ([regex]::Escape("What if: Performing the operation `"Revoke role 'AcrPull' from principal $($compute.PrincipalId) (assignment $($granted.Name))`" on target `"$($Id.Registry)`""))
        $run.Host | Should -Match ([regex]::Escape("What if: Performing the operation `"Revoke role 'AcrPull' from the system-assigned identity of compute 'revoke-whatif' (principal $($compute.PrincipalId))`""))
        Get-EmulatorWrite -Emulator $Emulator -Since $before | Should -BeNullOrEmpty
        @(Get-TestRoleAssignment -Emulator $Emulator -Scope $Id.Registry -PrincipalId $compute.PrincipalId) | Should -HaveCount 1
    }
}

Describe 'Errors' {
    It '<Command> honours -ErrorAction: Stop throws, Continue writes and goes on, SilentlyContinue keeps it in $Error, Ignore drops it' -ForEach @(
        @{ Command = 'Grant-AzMLComputeRole' }
        @{ Command = 'Revoke-AzMLComputeRole' }
    ) {
        $parameters = @{ WorkspaceName = 'ws-demo'; ResourceGroupName = 'rg-demo'; ComputeName = 'missing'; Role = 'AcrPull'; ContainerRegistry = 'acrdemo' }
        $Error.Clear()

        { & $Command @parameters -ErrorAction Stop } | Should -Throw -ErrorId 'ComputeNotFound,*'
        $Error.Clear()
        $continued = & { & $Command @parameters -ErrorAction Continue; 'went on' } 2>&1
        $silent = & { & $Command @parameters -ErrorAction SilentlyContinue; 'went on' } 2>&1
        $inError = $Error.Count
        $ignored = & { & $Command @parameters -ErrorAction Ignore; 'went on' } 2>&1
        $null = & $Command @parameters -ErrorAction SilentlyContinue -ErrorVariable kept

        $continued[0].FullyQualifiedErrorId | Should -BeLike 'ComputeNotFound,*'
        $continued[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $continued[-1] | Should -Be 'went on'
        $silent | Should -Be 'went on'
        $inError | Should -Be 2
        $ignored | Should -Be 'went on'
        $Error.Count | Should -Be 3
        $kept | Should -HaveCount 1
    }
}

Describe 'Secrets never show' {
    It 'keeps the token out of every stream, the transcript, $Error, JSON and CliXml of grants and revokes' {
        $compute = New-Compute secret
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $clixml = Join-Path $TestDrive 'assignments.xml'

        Start-Transcript -Path $transcript | Out-Null
        try {
            $all = & {
                $DebugPreference = 'Continue'
                $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -Verbose
                $compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry nosuchacr -Verbose -ErrorAction SilentlyContinue
                $compute | Revoke-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -Verbose
            } *>&1
        }
        finally {
            Stop-Transcript | Out-Null
        }
        $all | Where-Object { $_ -is [AzMLK8s.Model.Roles.AzMLRoleAssignment] } | Export-Clixml -Path $clixml

        @($all | Where-Object { $_ -is [AzMLK8s.Model.Roles.AzMLRoleAssignment] }) | Should -HaveCount 2
        $all | Out-String -Width 4096 | Assert-NoCanary
        Get-Content -Raw $transcript | Assert-NoCanary
        Get-Content -Raw $clixml | Assert-NoCanary
        $all | Where-Object { $_ -is [AzMLK8s.Model.Roles.AzMLRoleAssignment] } | ConvertTo-Json -Depth 5 | Assert-NoCanary
        $Error | Out-String -Width 4096 | Assert-NoCanary
    }
}
