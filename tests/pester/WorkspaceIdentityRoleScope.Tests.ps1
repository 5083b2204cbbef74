#Requires -Version 7.4
# The roles of a user-assigned workspace identity, as the seed documents' table gives them ("Attach a Kubernetes
# cluster to Azure Machine Learning workspace"): Reader, Kubernetes Extension Contributor and Azure Kubernetes Service
# Cluster Admin on the cluster, for Arc-enabled and AKS clusters alike, and Azure Relay Owner on the Arc cluster's
# relay - the one relay its extension uses, not every relay of the resource group. One list serves
# Grant-AzMLWorkspaceIdentityRole, Test-AzMLK8sPrerequisite and Connect-AzMLK8sCompute's pre-check.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-TestEmulator
    $null = Connect-TestEmulator -Emulator $Emulator
    $script:Sub = $Emulator.SubscriptionId
    $script:Rg = $Emulator.ResourceGroup
    $script:Group = "/subscriptions/$Sub/resourceGroups/$Rg"
    # ws-uai runs as the user-assigned identity id-demo (the emulator's seed).
    $script:Workspace = @{ WorkspaceName = 'ws-uai'; ResourceGroupName = $Rg }
    $script:Principal = '11111111-0000-0000-0000-00000000d001'
    $script:ClusterRoles = @('Reader', 'Kubernetes Extension Contributor', 'Azure Kubernetes Service Cluster Admin Role')

    # What the identity holds anywhere in the subscription, read from ARM as a user would.
    function Get-Held {
        $list = Invoke-EmulatorArm -Emulator $Emulator -ResourceId "/subscriptions/$Sub/providers/Microsoft.Authorization/roleAssignments" -ApiVersion 2022-04-01
        @($list.Body.value | Where-Object { $_.properties.principalId -eq $Principal })
    }

    function Get-CliRelayId([string] $Cluster) {
        # The Azure CLI's relay name: letters and digits of "{cluster}-{sub}-{group}-relay"; past 50, the first 44 and
        # the first 6 hex digits of its MD5 (_get_valid_name in the CLI's AzureMLKubernetes.py).
        $text = "$Cluster-$Sub-$Rg-relay"
        $kept = -join ($text.ToCharArray() | Where-Object { [char]::IsLetterOrDigit($_) })
        if ($kept.Length -gt 50) {
            $kept = $kept.Substring(0, 44) + [Convert]::ToHexString([Security.Cryptography.MD5]::HashData([Text.Encoding]::UTF8.GetBytes($text))).ToLowerInvariant().Substring(0, 6)
        }
        "$Group/providers/Microsoft.Relay/namespaces/$kept"
    }
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'Grant-AzMLWorkspaceIdentityRole' {
    It 'grants exactly the seed''s three roles on an AKS cluster, once' {
        $aks = Add-EmulatorCluster -Emulator $Emulator -Name 'aks-roles' -Kind Managed

        $granted = Grant-AzMLWorkspaceIdentityRole @Workspace -ClusterResourceId $aks -ErrorAction Stop
        $again = Grant-AzMLWorkspaceIdentityRole @Workspace -ClusterResourceId $aks -ErrorAction Stop

        $granted.RoleDefinitionName | Should -Be $ClusterRoles
        $granted.Scope | Select-Object -Unique | Should -Be $aks
        $granted.Status | Select-Object -Unique | Should -Be 'Created'
        $again.Status | Select-Object -Unique | Should -Be 'Existing'
        @(Get-Held | Where-Object { $_.properties.scope -eq $aks }).Count | Should -Be 3
    }

    It 'grants the same three on an Arc cluster and Azure Relay Owner on its own relay only' {
        $arc = Add-EmulatorCluster -Emulator $Emulator -Name 'arc-roles' -Kind Connected
        $null = New-AzMLK8sExtension -ClusterResourceId $arc -EnableTraining -ErrorAction Stop
        # Another cluster's relay in the same resource group, made by the Azure CLI.
        $other = Get-CliRelayId 'arc-neighbour'
        (Invoke-EmulatorArm -Emulator $Emulator -Method PUT -ResourceId $other -ApiVersion 2017-04-01 -Body @{ location = 'eastus'; sku = @{ name = 'Standard' } }).StatusCode | Should -Be 201

        $granted = Grant-AzMLWorkspaceIdentityRole @Workspace -ClusterResourceId $arc -ErrorAction Stop

        @($granted | Select-Object RoleDefinitionName, Scope | ForEach-Object { "$($_.RoleDefinitionName) @ $($_.Scope)" }) | Should -Be @(
            "Reader @ $arc"
            "Kubernetes Extension Contributor @ $arc"
            "Azure Kubernetes Service Cluster Admin Role @ $arc"
            "Azure Relay Owner @ $(Get-CliRelayId 'arc-roles')"
        )
        Get-Held | Where-Object { $_.properties.scope -like '*Microsoft.Relay*' } | ForEach-Object { $_.properties.scope } | Should -Not -Contain $other
    }

    It 'lists each assignment it would make, role and scope, under -WhatIf and makes none' {
        $arc = Add-EmulatorCluster -Emulator $Emulator -Name 'arc-whatif' -Kind Connected
        $null = New-AzMLK8sExtension -ClusterResourceId $arc -EnableTraining -ErrorAction Stop
        $transcript = Join-Path $TestDrive 'whatif.txt'
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        Start-Transcript -Path $transcript | Out-Null
        try { Grant-AzMLWorkspaceIdentityRole @Workspace -ClusterResourceId $arc -WhatIf } finally { Stop-Transcript | Out-Null }

        $text = (Get-Content -Raw $transcript) -replace '\s+', ' '
        foreach ($role in $ClusterRoles) { $text | Should -Match ([regex]::Escape("Grant role '$role' on scope '$arc'")) }
        $text | Should -Match ([regex]::Escape("Grant role 'Azure Relay Owner' on scope '$(Get-CliRelayId 'arc-whatif')'"))
        @([regex]::Matches($text, 'What if: ')).Count | Should -Be 4
        Get-EmulatorWrite -Emulator $Emulator -Since $before | Should -BeNullOrEmpty
    }
}

Describe 'The same list in the checks' {
    It 'Test-AzMLK8sPrerequisite and Connect-AzMLK8sCompute ask an Arc cluster''s identity for the seed''s four roles' {
        $arc = Add-EmulatorCluster -Emulator $Emulator -Name 'arc-check' -Kind Connected
        $null = New-AzMLK8sExtension -ClusterResourceId $arc -EnableTraining -ErrorAction Stop
        $relay = Get-CliRelayId 'arc-check'

        $checks = Test-AzMLK8sPrerequisite -ClusterResourceId $arc @Workspace | Where-Object Name -like 'Workspace.Role.*'
        $refused = Connect-AzMLK8sCompute -Name 'arc-check' @Workspace -ClusterResourceId $arc -Namespace default -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failure
        $null = Grant-AzMLWorkspaceIdentityRole @Workspace -ClusterResourceId $arc -ErrorAction Stop
        $attached = Connect-AzMLK8sCompute -Name 'arc-check' @Workspace -ClusterResourceId $arc -Namespace default -Confirm:$false -ErrorAction Stop

        @($checks | ForEach-Object { "$($_.Target)" }) | Should -Be @($arc, $arc, $arc, $relay)
        $checks.Status | Select-Object -Unique | Should -Be 'Fail'
        $refused | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'WorkspaceIdentityRoleMissing,*'
        $failure[0].Exception.Message | Should -Match ([regex]::Escape("Azure Kubernetes Service Cluster Admin Role on $arc"))
        $failure[0].Exception.Message | Should -Match ([regex]::Escape("Azure Relay Owner on $relay"))
        $attached.ProvisioningState | Should -Be 'Succeeded'
    }
}
