#Requires -Version 7.4
# What every AzMLK8s cmdlet promises a PowerShell user, read from the imported module as PowerShell sees it
# (Get-Command, CommandInfo, CommandMetadata): approved verbs, the module's nouns, declared output, -WhatIf/-Confirm on
# what changes anything, parameter sets PowerShell can resolve, secrets as SecureString. Then the pipelines the
# documentation promises, bound by PowerShell's own binder (Trace-Command ParameterBinding): which parameters each kind
# of input binds, and which parameter set PowerShell picks.

BeforeDiscovery {
    # The module's cmdlets, as the README's table lists them.
    $script:CmdletNames = @(
        'Set-AzMLK8sContext', 'Get-AzMLK8sContext', 'Test-AzMLK8sPrerequisite', 'Register-AzMLK8sPrerequisite',
        'New-AzMLK8sExtension', 'Get-AzMLK8sExtension', 'Update-AzMLK8sExtension', 'Test-AzMLK8sExtension',
        'Remove-AzMLK8sExtension', 'Connect-AzMLK8sCompute', 'Get-AzMLK8sCompute', 'Disconnect-AzMLK8sCompute',
        'Grant-AzMLComputeRole', 'Revoke-AzMLComputeRole', 'Grant-AzMLWorkspaceIdentityRole', 'Grant-AzMLK8sOpenShiftAccess'
    )
    $script:Cmdlets = $CmdletNames | ForEach-Object { @{ Name = $_ } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/CrossCutting.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-TestEmulator
    Connect-TestEmulator -Emulator $Emulator | Out-Null

    $script:ReadOnlyVerbs = 'Get', 'Test', 'Find', 'Search', 'Export', 'Show', 'Resolve', 'Measure', 'Compare', 'Wait'
    # Changes only the caller's session (like Set-Location), never Azure or a cluster: no -WhatIf.
    $script:SessionOnly = @('Set-AzMLK8sContext')
    $script:DestructiveVerbs = 'Remove', 'Uninstall', 'Clear'
    $script:CommonNames = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

    # The world the chains run in: an installed extension, an attached compute with a role granted.
    $script:Group = $Emulator.ResourceGroup
    $script:Aks = $Emulator.ClusterId['aks-demo']
    $script:Ocp = $Emulator.ClusterId['arc-ocp']
    $script:WorkspaceId = "/subscriptions/$($Emulator.SubscriptionId)/resourceGroups/$Group/providers/Microsoft.MachineLearningServices/workspaces/ws-demo"
    $script:UaiWorkspaceId = "/subscriptions/$($Emulator.SubscriptionId)/resourceGroups/$Group/providers/Microsoft.MachineLearningServices/workspaces/ws-uai"
    $script:Extension = New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining -ErrorAction Stop
    $script:Compute = Connect-AzMLK8sCompute -Name k8s-demo -WorkspaceName ws-demo -ResourceGroupName $Group -ClusterResourceId $Aks -ErrorAction Stop
    $script:Assignment = Grant-AzMLComputeRole -InputObject $Compute -Role AcrPull -ContainerRegistry acrdemo -ErrorAction Stop

    function script:Get-OwnParameter([System.Management.Automation.CommandInfo] $Command) {
        $Command.Parameters.Values | Where-Object Name -NotIn $CommonNames
    }
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'The module' {
    It 'exports exactly the sixteen cmdlets the README lists, as cmdlets' {
        $exported = Get-Command -Module AzMLK8s

        $exported.Name | Sort-Object | Should -Be ($CmdletNames | Sort-Object)
        $exported.CommandType | Select-Object -Unique | Should -Be 'Cmdlet'
    }

    It 'runs many pipeline inputs at once in exactly the cmdlets its help names, each with -ThrottleLimit 1 to 128 and -PreserveOrder' {
        $concurrent = 'New-AzMLK8sExtension', 'Update-AzMLK8sExtension', 'Remove-AzMLK8sExtension', 'Test-AzMLK8sExtension',
        'Get-AzMLK8sExtension', 'Connect-AzMLK8sCompute', 'Disconnect-AzMLK8sCompute', 'Grant-AzMLComputeRole',
        'Revoke-AzMLComputeRole', 'Test-AzMLK8sPrerequisite'

        (Get-Command -Module AzMLK8s | Where-Object { $_.Parameters.ContainsKey('ThrottleLimit') }).Name | Sort-Object |
            Should -Be ($concurrent | Sort-Object)
        foreach ($name in $concurrent) {
            $command = Get-Command $name
            $throttle = $command.Parameters['ThrottleLimit']
            $throttle.ParameterType | Should -Be ([int])
            $range = $throttle.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }
            "$name $($range.MinRange)..$($range.MaxRange)" | Should -Be "$name 1..128"
            $command.Parameters['PreserveOrder'].SwitchParameter | Should -BeTrue -Because "$name -PreserveOrder is a switch"
        }
    }
}

Describe '<Name>' -ForEach $Cmdlets {
    BeforeAll {
        $script:Command = Get-Command -Name $Name -Module AzMLK8s
        $script:Metadata = [System.Management.Automation.CommandMetadata]::new($Command)
    }

    It 'uses an approved verb' {
        (Get-Verb).Verb | Should -Contain $Command.Verb
    }

    It 'has a singular noun of the module''s family (AzMLK8s<Noun> or AzML<Noun>Role)' {
        $Command.Noun | Should -Match '^(AzMLK8s[A-Z][A-Za-z]*|AzML[A-Z][A-Za-z]*Role)$'
        # "-ss" is a singular ending (Access), not a plural one.
        ($Command.Noun -match 's$' -and $Command.Noun -notmatch '(K8s|ss)$') | Should -BeFalse -Because "$($Command.Noun) should be singular"
    }

    It 'declares the module type it writes' {
        $Command.OutputType | Should -Not -BeNullOrEmpty
        $Command.OutputType.Name | ForEach-Object { $_ | Should -Match '^AzMLK8s\.Model\.' }
    }

    It 'supports -WhatIf and -Confirm exactly when it changes something, asking by default only when it takes something away' {
        if ($Command.Verb -in $ReadOnlyVerbs) {
            $Metadata.SupportsShouldProcess | Should -BeFalse -Because "$Name only reads; -WhatIf would promise a change it never makes"
            $Command.Parameters.ContainsKey('WhatIf') | Should -BeFalse
            return
        }

        $Metadata.SupportsShouldProcess | Should -BeTrue -Because "$Name changes something and must support -WhatIf/-Confirm"
        $Command.Parameters.ContainsKey('WhatIf') | Should -BeTrue
        $Command.Parameters.ContainsKey('Confirm') | Should -BeTrue
        if ($Name -in $SessionOnly) {
            # As Set-AzContext: it changes only this session's choice, so it does not ask unless $ConfirmPreference is Low.
            $Metadata.ConfirmImpact | Should -Be 'Low'
        }
        elseif ($Command.Verb -in $DestructiveVerbs) {
            $Metadata.ConfirmImpact | Should -Be 'High'
        }
        else {
            $Metadata.ConfirmImpact | Should -BeIn 'Medium', 'High'
        }
    }

    It 'is a sealed cmdlet class built on the module''s base (thin, host seam, redaction)' {
        $Command.ImplementingType.IsSealed | Should -BeTrue
        $base = $Command.ImplementingType
        while ($base -and $base.FullName -ne 'AzMLK8s.Cmdlets.AzMLK8sCmdlet') { $base = $base.BaseType }
        $base | Should -Not -BeNullOrEmpty -Because "$Name derives from AzMLK8s.Cmdlets.AzMLK8sCmdlet"
    }

    It 'has parameter sets PowerShell can always tell apart' {
        $sets = @($Command.ParameterSets | Where-Object Name -NE '__AllParameterSets')
        if ($Command.DefaultParameterSet) {
            $Command.ParameterSets.Name | Should -Contain $Command.DefaultParameterSet
        }
        if ($sets.Count -le 1) { return }

        $own = @(Get-OwnParameter $Command)
        foreach ($set in $sets) {
            # A parameter that is in this set only, and mandatory there, picks the set; the default set needs none.
            $picking = @($own | Where-Object {
                    $_.ParameterSets.Keys -contains $set.Name -and $_.ParameterSets.Count -eq 1 -and $_.ParameterSets[$set.Name].IsMandatory
                })
            ($picking.Count -gt 0 -or $set.Name -eq $Command.DefaultParameterSet) | Should -BeTrue -Because "set $($set.Name) of $Name needs a mandatory parameter of its own"
        }
    }

    It 'gives each position at most one parameter in every set' {
        foreach ($set in $Command.ParameterSets) {
            $positions = @($set.Parameters | Where-Object Position -GE 0 | ForEach-Object Position)
            ($positions | Select-Object -Unique).Count | Should -Be $positions.Count -Because "set $($set.Name) of $Name"
        }
    }

    It 'has parameter names and aliases that collide neither with each other nor with the common parameters' {
        $names = @(foreach ($parameter in Get-OwnParameter $Command) { $parameter.Name; $parameter.Aliases })
        $common = @(foreach ($parameter in $Command.Parameters.Values | Where-Object Name -In $CommonNames) { $parameter.Name; $parameter.Aliases })

        ($names | Sort-Object -Unique).Count | Should -Be $names.Count
        $names | Where-Object { $_ -in $common } | Should -BeNullOrEmpty
    }

    It 'takes secrets as SecureString (or a hashtable of protected settings), never as plain strings' {
        $secretish = Get-OwnParameter $Command | Where-Object { $_.Name -match '(Token|Password|Secret|Key)$' -and $_.Name -notmatch 'File$' }
        foreach ($parameter in $secretish) {
            $parameter.ParameterType | Should -BeIn ([securestring], [hashtable]) -Because "$Name -$($parameter.Name) carries a secret"
        }
    }
}

Describe 'Each parameter set' {
    BeforeAll {
        $script:Writes = { Get-EmulatorWrite -Emulator $Emulator -Since $script:Before }
    }

    BeforeEach {
        Connect-TestEmulator -Emulator $Emulator | Out-Null
        $script:Before = Get-EmulatorRequestCount -Emulator $Emulator
    }

    It '<Command> -<Set> is chosen from its mandatory parameters and runs without a binding error' -ForEach @(
        @{ Command = 'Set-AzMLK8sContext'; Set = 'Cloud'; Arguments = { @{ Cloud = 'AzureChinaCloud'; SubscriptionId = $Emulator.SubscriptionId } } }
        @{ Command = 'Set-AzMLK8sContext'; Set = 'Endpoint'; Arguments = { @{ ArmEndpoint = $Emulator.BaseAddress; TrustedCertificateThumbprint = $Emulator.Thumbprint } } }
        @{ Command = 'Get-AzMLK8sContext'; Set = '__AllParameterSets'; Arguments = { @{} } }
        @{ Command = 'Test-AzMLK8sPrerequisite'; Set = 'ByClusterId'; Arguments = { @{ ClusterResourceId = $Aks } } }
        @{ Command = 'Test-AzMLK8sPrerequisite'; Set = 'ByClusterName'; Arguments = { @{ ClusterName = 'aks-demo'; ResourceGroupName = $Group; ClusterType = 'Aks' } } }
        @{ Command = 'Register-AzMLK8sPrerequisite'; Set = '__AllParameterSets'; Arguments = { @{ ClusterType = 'Aks'; WhatIf = $true } } }
        @{ Command = 'New-AzMLK8sExtension'; Set = 'ByClusterId'; Arguments = { @{ ClusterResourceId = $Aks; EnableTraining = $true; WhatIf = $true } } }
        @{ Command = 'New-AzMLK8sExtension'; Set = 'ByClusterName'; Arguments = { @{ ClusterName = 'aks-demo'; ResourceGroupName = $Group; ClusterType = 'Aks'; EnableTraining = $true; WhatIf = $true } } }
        @{ Command = 'New-AzMLK8sExtension'; Set = 'ByResourceId'; Arguments = { @{ ResourceId = $Extension.ResourceId; EnableTraining = $true; WhatIf = $true } } }
        @{ Command = 'Get-AzMLK8sExtension'; Set = 'ByClusterId'; Arguments = { @{ ClusterResourceId = $Aks } } }
        @{ Command = 'Get-AzMLK8sExtension'; Set = 'ByClusterName'; Arguments = { @{ ClusterName = 'aks-demo'; ResourceGroupName = $Group; ClusterType = 'Aks' } } }
        @{ Command = 'Get-AzMLK8sExtension'; Set = 'ByResourceId'; Arguments = { @{ ResourceId = $Extension.ResourceId } } }
        @{ Command = 'Update-AzMLK8sExtension'; Set = 'ByClusterId'; Arguments = { @{ ClusterResourceId = $Aks; ConfigurationSetting = @{ clusterPurpose = 'FastProd' }; WhatIf = $true } } }
        @{ Command = 'Update-AzMLK8sExtension'; Set = 'ByClusterName'; Arguments = { @{ ClusterName = 'aks-demo'; ResourceGroupName = $Group; ClusterType = 'Aks'; ConfigurationSetting = @{ clusterPurpose = 'FastProd' }; WhatIf = $true } } }
        @{ Command = 'Update-AzMLK8sExtension'; Set = 'ByResourceId'; Arguments = { @{ ResourceId = $Extension.ResourceId; ConfigurationSetting = @{ clusterPurpose = 'FastProd' }; WhatIf = $true } } }
        @{ Command = 'Test-AzMLK8sExtension'; Set = 'ByClusterId'; Arguments = { @{ ClusterResourceId = $Aks } } }
        @{ Command = 'Test-AzMLK8sExtension'; Set = 'ByClusterName'; Arguments = { @{ ClusterName = 'aks-demo'; ResourceGroupName = $Group; ClusterType = 'Aks' } } }
        @{ Command = 'Test-AzMLK8sExtension'; Set = 'ByResourceId'; Arguments = { @{ ResourceId = $Extension.ResourceId } } }
        @{ Command = 'Remove-AzMLK8sExtension'; Set = 'ByClusterId'; Arguments = { @{ ClusterResourceId = $Aks; WhatIf = $true } } }
        @{ Command = 'Remove-AzMLK8sExtension'; Set = 'ByClusterName'; Arguments = { @{ ClusterName = 'aks-demo'; ResourceGroupName = $Group; ClusterType = 'Aks'; WhatIf = $true } } }
        @{ Command = 'Remove-AzMLK8sExtension'; Set = 'ByResourceId'; Arguments = { @{ ResourceId = $Extension.ResourceId; WhatIf = $true } } }
        @{ Command = 'Connect-AzMLK8sCompute'; Set = 'WorkspaceName'; Arguments = { @{ Name = 'k8s-demo'; WorkspaceName = 'ws-demo'; ResourceGroupName = $Group; ClusterResourceId = $Aks; WhatIf = $true } } }
        @{ Command = 'Connect-AzMLK8sCompute'; Set = 'WorkspaceResourceId'; Arguments = { @{ Name = 'k8s-demo'; WorkspaceResourceId = $WorkspaceId; ClusterResourceId = $Aks; WhatIf = $true } } }
        @{ Command = 'Get-AzMLK8sCompute'; Set = 'WorkspaceName'; Arguments = { @{ WorkspaceName = 'ws-demo'; ResourceGroupName = $Group } } }
        @{ Command = 'Get-AzMLK8sCompute'; Set = 'Cluster'; Arguments = { @{ ClusterResourceId = $Aks } } }
        @{ Command = 'Get-AzMLK8sCompute'; Set = 'WorkspaceResourceId'; Arguments = { @{ WorkspaceResourceId = $WorkspaceId } } }
        @{ Command = 'Disconnect-AzMLK8sCompute'; Set = 'WorkspaceName'; Arguments = { @{ Name = 'k8s-demo'; WorkspaceName = 'ws-demo'; ResourceGroupName = $Group; WhatIf = $true } } }
        @{ Command = 'Disconnect-AzMLK8sCompute'; Set = 'WorkspaceResourceId'; Arguments = { @{ Name = 'k8s-demo'; WorkspaceResourceId = $WorkspaceId; WhatIf = $true } } }
        @{ Command = 'Disconnect-AzMLK8sCompute'; Set = 'InputObject'; Arguments = { @{ InputObject = $Compute; WhatIf = $true } } }
        @{ Command = 'Grant-AzMLComputeRole'; Set = 'ByName'; Arguments = { @{ Role = 'Storage Blob Data Reader'; StorageAccount = 'stdemo'; WorkspaceName = 'ws-demo'; ResourceGroupName = $Group; ComputeName = 'k8s-demo'; WhatIf = $true } } }
        @{ Command = 'Grant-AzMLComputeRole'; Set = 'InputObject'; Arguments = { @{ Role = 'Storage Blob Data Reader'; StorageAccount = 'stdemo'; InputObject = $Compute; WhatIf = $true } } }
        @{ Command = 'Revoke-AzMLComputeRole'; Set = 'ByName'; Arguments = { @{ Role = 'AcrPull'; ContainerRegistry = 'acrdemo'; WorkspaceName = 'ws-demo'; ResourceGroupName = $Group; ComputeName = 'k8s-demo'; WhatIf = $true } } }
        @{ Command = 'Revoke-AzMLComputeRole'; Set = 'RoleAssignment'; Arguments = { @{ RoleAssignment = $Assignment; WhatIf = $true } } }
        @{ Command = 'Revoke-AzMLComputeRole'; Set = 'InputObject'; Arguments = { @{ Role = 'AcrPull'; ContainerRegistry = 'acrdemo'; InputObject = $Compute; WhatIf = $true } } }
        @{ Command = 'Grant-AzMLWorkspaceIdentityRole'; Set = 'ByName'; Arguments = { @{ WorkspaceName = 'ws-uai'; ResourceGroupName = $Group; ClusterResourceId = $Aks; WhatIf = $true } } }
        @{ Command = 'Grant-AzMLWorkspaceIdentityRole'; Set = 'ByWorkspaceId'; Arguments = { @{ WorkspaceResourceId = $UaiWorkspaceId; ClusterResourceId = $Aks; WhatIf = $true } } }
        @{ Command = 'Grant-AzMLK8sOpenShiftAccess'; Set = 'ByClusterId'; Arguments = { @{ ClusterResourceId = $Ocp; WhatIf = $true } } }
        @{ Command = 'Grant-AzMLK8sOpenShiftAccess'; Set = 'ByClusterName'; Arguments = { @{ ClusterName = 'arc-ocp'; ResourceGroupName = $Group; ClusterType = 'Arc'; WhatIf = $true } } }
    ) {
        $arguments = & $Arguments
        $given = @($arguments.Keys | Where-Object { $_ -notin $CommonNames })
        if ($Command -eq 'Grant-AzMLK8sOpenShiftAccess' -and -not (Get-AzMLK8sExtension -ClusterResourceId $Ocp)) {
            # It grants only for an installed AzureML extension.
            New-AzMLK8sExtension -ClusterResourceId $Ocp -EnableTraining -ErrorAction Stop -WarningAction SilentlyContinue | Out-Null
            $script:Before = Get-EmulatorRequestCount -Emulator $Emulator
        }

        Get-ParameterSetOf -CommandName $Command -Parameter $given | Should -Be $Set
        $null = & $Command @arguments -ErrorVariable failed
        $failed | Should -BeNullOrEmpty
        & $Writes | Should -BeNullOrEmpty
    }

    It 'refuses parameters of two sets together with AmbiguousParameterSet before anything is sent: <Command>' -ForEach @(
        @{ Command = 'Test-AzMLK8sPrerequisite'; Arguments = { @{ ClusterResourceId = $Aks; ClusterName = 'aks-demo' } } }
        @{ Command = 'Grant-AzMLK8sOpenShiftAccess'; Arguments = { @{ ClusterResourceId = $Ocp; ClusterName = 'arc-ocp' } } }
        @{ Command = 'Set-AzMLK8sContext'; Arguments = { @{ Cloud = 'AzureCloud'; TrustedCertificateThumbprint = 'B' * 64 } } }
    ) {
        $arguments = & $Arguments

        { & $Command @arguments } | Should -Throw -ErrorId 'AmbiguousParameterSet*'
        Get-EmulatorRequestCount -Emulator $Emulator | Should -Be $Before
    }
}

Describe 'The documented pipelines' {
    BeforeEach {
        $script:Before = Get-EmulatorRequestCount -Emulator $Emulator
        $Error.Clear()
    }

    It '<Chain> binds <Expected> and PowerShell picks the <Set> set' -ForEach @(
        @{ Chain = 'Get-AzMLK8sExtension | Update-AzMLK8sExtension'; Command = 'Update-AzMLK8sExtension'; Named = @('ConfigurationSetting'); Set = 'ByInputObject'
            Expected = 'InputObject by value'; Bound = [ordered]@{ InputObject = 'ValueFromPipeline' }
            Run = { Get-AzMLK8sExtension -ClusterResourceId $Aks | Update-AzMLK8sExtension -ConfigurationSetting @{ clusterPurpose = 'FastProd' } -WhatIf } }
        @{ Chain = 'Get-AzMLK8sExtension | Remove-AzMLK8sExtension'; Command = 'Remove-AzMLK8sExtension'; Named = @(); Set = 'ByInputObject'
            Expected = 'InputObject by value'; Bound = [ordered]@{ InputObject = 'ValueFromPipeline' }
            Run = { Get-AzMLK8sExtension -ClusterResourceId $Aks | Remove-AzMLK8sExtension -WhatIf } }
        @{ Chain = 'Get-AzMLK8sExtension | Test-AzMLK8sExtension'; Command = 'Test-AzMLK8sExtension'; Named = @(); Set = 'ByInputObject'
            Expected = 'InputObject by value'; Bound = [ordered]@{ InputObject = 'ValueFromPipeline' }
            Run = { Get-AzMLK8sExtension -ClusterResourceId $Aks | Test-AzMLK8sExtension } }
        @{ Chain = 'Get-AzMLK8sExtension | Connect-AzMLK8sCompute'; Command = 'Connect-AzMLK8sCompute'; Named = @('Name', 'WorkspaceName', 'ResourceGroupName'); Set = 'WorkspaceName'
            Expected = 'ClusterResourceId by property name'; Bound = [ordered]@{ ClusterResourceId = 'ValueFromPipelineByPropertyName' }
            Run = { Get-AzMLK8sExtension -ClusterResourceId $Aks | Connect-AzMLK8sCompute -Name k8s-demo -WorkspaceName ws-demo -ResourceGroupName $Group -WhatIf } }
        @{ Chain = 'Get-AzMLK8sExtension | Get-AzMLK8sCompute'; Command = 'Get-AzMLK8sCompute'; Named = @(); Set = 'Cluster'
            Expected = 'ClusterResourceId by property name'; Bound = [ordered]@{ ClusterResourceId = 'ValueFromPipelineByPropertyName' }
            Run = { Get-AzMLK8sExtension -ClusterResourceId $Aks | Get-AzMLK8sCompute } }
        @{ Chain = 'Get-AzMLK8sCompute | Connect-AzMLK8sCompute'; Command = 'Connect-AzMLK8sCompute'; Named = @('Name'); Set = 'WorkspaceResourceId'
            Expected = 'WorkspaceResourceId, ClusterResourceId by property name'; Bound = [ordered]@{ WorkspaceResourceId = 'ValueFromPipelineByPropertyName'; ClusterResourceId = 'ValueFromPipelineByPropertyName' }
            Run = { Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName $Group | Connect-AzMLK8sCompute -Name k8s-demo -WhatIf } }
        @{ Chain = 'New-AzMLK8sExtension | Connect-AzMLK8sCompute'; Command = 'Connect-AzMLK8sCompute'; Named = @('Name', 'WorkspaceName', 'ResourceGroupName'); Set = 'WorkspaceName'
            Expected = 'ClusterResourceId by property name'; Bound = [ordered]@{ ClusterResourceId = 'ValueFromPipelineByPropertyName' }
            Run = { New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining | Connect-AzMLK8sCompute -Name k8s-demo -WorkspaceName ws-demo -ResourceGroupName $Group -WhatIf } }
        # The piped-compute set is Grant-AzMLComputeRole's default, so PowerShell binds a compute as -InputObject (the
        # object itself, no second read) rather than by its WorkspaceName, ResourceGroupName and Name.
        @{ Chain = 'Connect-AzMLK8sCompute | Grant-AzMLComputeRole'; Command = 'Grant-AzMLComputeRole'; Named = @('Role', 'ContainerRegistry'); Set = 'InputObject'
            Expected = 'InputObject by value'; Bound = [ordered]@{ InputObject = 'ValueFromPipeline' }
            Run = { Connect-AzMLK8sCompute -Name k8s-demo -WorkspaceName ws-demo -ResourceGroupName $Group -ClusterResourceId $Aks | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -WhatIf } }
        @{ Chain = 'Get-AzMLK8sCompute | Grant-AzMLComputeRole'; Command = 'Grant-AzMLComputeRole'; Named = @('Role', 'ContainerRegistry'); Set = 'InputObject'
            Expected = 'InputObject by value'; Bound = [ordered]@{ InputObject = 'ValueFromPipeline' }
            Run = { Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName $Group | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -WhatIf } }
        @{ Chain = 'Get-AzMLK8sCompute | Revoke-AzMLComputeRole'; Command = 'Revoke-AzMLComputeRole'; Named = @('Role', 'ContainerRegistry'); Set = 'InputObject'
            Expected = 'InputObject by value'; Bound = [ordered]@{ InputObject = 'ValueFromPipeline' }
            Run = { Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName $Group | Revoke-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -WhatIf } }
        @{ Chain = 'Get-AzMLK8sCompute | Disconnect-AzMLK8sCompute'; Command = 'Disconnect-AzMLK8sCompute'; Named = @(); Set = 'InputObject'
            Expected = 'InputObject by value'; Bound = [ordered]@{ InputObject = 'ValueFromPipeline' }
            Run = { Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName $Group | Disconnect-AzMLK8sCompute -WhatIf } }
        @{ Chain = 'Grant-AzMLComputeRole | Revoke-AzMLComputeRole'; Command = 'Revoke-AzMLComputeRole'; Named = @(); Set = 'RoleAssignment'
            Expected = 'RoleAssignment by value'; Bound = [ordered]@{ RoleAssignment = 'ValueFromPipeline' }
            Run = { Grant-AzMLComputeRole -InputObject $Compute -Role AcrPull -ContainerRegistry acrdemo | Revoke-AzMLComputeRole -WhatIf } }
        @{ Chain = 'Get-AzMLK8sExtension | Test-AzMLK8sPrerequisite'; Command = 'Test-AzMLK8sPrerequisite'; Named = @(); Set = 'ByClusterId'
            Expected = 'ClusterResourceId by property name'; Bound = [ordered]@{ ClusterResourceId = 'ValueFromPipelineByPropertyName' }
            Run = { Get-AzMLK8sExtension -ClusterResourceId $Aks | Test-AzMLK8sPrerequisite } }
        @{ Chain = 'Get-AzMLK8sExtension | Register-AzMLK8sPrerequisite'; Command = 'Register-AzMLK8sPrerequisite'; Named = @(); Set = '__AllParameterSets'
            Expected = 'ClusterResourceId by property name'; Bound = [ordered]@{ ClusterResourceId = 'ValueFromPipelineByPropertyName' }
            Run = { Get-AzMLK8sExtension -ClusterResourceId $Aks | Register-AzMLK8sPrerequisite -WhatIf } }
        @{ Chain = 'Get-AzMLK8sExtension | Grant-AzMLWorkspaceIdentityRole'; Command = 'Grant-AzMLWorkspaceIdentityRole'; Named = @('WorkspaceName', 'ResourceGroupName'); Set = 'ByName'
            Expected = 'ClusterResourceId by property name'; Bound = [ordered]@{ ClusterResourceId = 'ValueFromPipelineByPropertyName' }
            Run = { Get-AzMLK8sExtension -ClusterResourceId $Aks | Grant-AzMLWorkspaceIdentityRole -WorkspaceName ws-uai -ResourceGroupName $Group -WhatIf } }
        @{ Chain = 'Get-AzMLK8sExtension | Grant-AzMLK8sOpenShiftAccess'; Command = 'Grant-AzMLK8sOpenShiftAccess'; Named = @(); Set = 'ByClusterId'
            Expected = 'ClusterResourceId by property name'; Bound = [ordered]@{ ClusterResourceId = 'ValueFromPipelineByPropertyName' }
            Run = { Get-AzMLK8sExtension -ClusterResourceId $Ocp | Grant-AzMLK8sOpenShiftAccess -WhatIf } }
        @{ Chain = 'Get-AzMLK8sCompute | Test-AzMLK8sPrerequisite'; Command = 'Test-AzMLK8sPrerequisite'; Named = @(); Set = 'ByClusterId'
            Expected = 'ClusterResourceId by property name'; Bound = [ordered]@{ ClusterResourceId = 'ValueFromPipelineByPropertyName' }
            Run = { Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName $Group | Test-AzMLK8sPrerequisite } }
    ) {
        if ($Command -eq 'Grant-AzMLK8sOpenShiftAccess' -and -not (Get-AzMLK8sExtension -ClusterResourceId $Ocp)) {
            New-AzMLK8sExtension -ClusterResourceId $Ocp -EnableTraining -ErrorAction Stop | Out-Null
            $script:Before = Get-EmulatorRequestCount -Emulator $Emulator
        }

        $bindings = @(Get-PipelineBinding -CommandName $Command -ScriptBlock $Run)

        $bindings | Should -Not -BeNullOrEmpty -Because "$Chain passes at least one object"
        foreach ($binding in $bindings) {
            ($binding.Bound.Keys | Sort-Object) -join ', ' | Should -Be (($Bound.Keys | Sort-Object) -join ', ')
            foreach ($parameter in $Bound.Keys) { $binding.Bound[$parameter] | Should -Be $Bound[$parameter] -Because "-$parameter" }
            Get-ParameterSetOf -CommandName $Command -Parameter (@($Named) + @($binding.Bound.Keys)) | Should -Be $Set
        }
        $Error | Should -BeNullOrEmpty
        Get-EmulatorWrite -Emulator $Emulator -Since $Before | Should -BeNullOrEmpty
    }
}

Describe 'Binding by kind of input' {
    It 'binds -ClusterResourceId from an object''s ClusterId property through the alias, and the cmdlet uses that cluster' {
        $arc = $Emulator.ClusterId['arc-demo']
        $piped = [pscustomobject]@{ ClusterId = $arc }

        $bindings = @(Get-PipelineBinding -CommandName Test-AzMLK8sPrerequisite -ScriptBlock { $script:Checks = $piped | Test-AzMLK8sPrerequisite })

        $bindings.Bound.Keys | Should -Be 'ClusterResourceId'
        ($Checks | Where-Object Name -EQ 'Cluster.Exists').Target | Should -Be $arc
    }

    It 'binds a hand-made object''s WorkspaceName, ResourceGroupName and Name (through the ComputeName alias) to Grant-AzMLComputeRole''s ByName set' {
        $byName = [pscustomobject]@{ WorkspaceName = 'ws-demo'; ResourceGroupName = $Group; Name = 'k8s-demo' }

        $binding = Get-PipelineBinding -CommandName Grant-AzMLComputeRole -ScriptBlock { $byName | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -WhatIf }

        @($binding.Bound.Keys | Sort-Object) | Should -Be @('ComputeName', 'ResourceGroupName', 'WorkspaceName')
        Get-ParameterSetOf -CommandName Grant-AzMLComputeRole -Parameter (@('Role') + @($binding.Bound.Keys)) | Should -Be 'ByName'
    }

    It 'refuses an object with none of the properties as not a cluster id (it binds by value as its text, as any object to a string parameter), before anything is sent' {
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        { [pscustomobject]@{ Cluster = $Aks } | Test-AzMLK8sPrerequisite -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidClusterResourceId,AzMLK8s.Cmdlets.Prerequisites.TestAzMLK8sPrerequisiteCommand'
        Get-EmulatorRequestCount -Emulator $Emulator | Should -Be $before
    }
}
