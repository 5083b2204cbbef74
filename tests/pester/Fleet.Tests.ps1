#Requires -Version 7.4
# Many clusters through one call, as an admin script rolls a change out: the fleet cmdlets (New-AzMLK8sExtension and
# Test-AzMLK8sPrerequisite here) with -ThrottleLimit and -PreserveOrder, one cluster's error under each -ErrorAction,
# -WhatIf over a fleet, and no secret of the call on any stream. What needs the emulator's clock frozen or a host that
# answers (in-between states, question order, Stop(), progress records, the shared ARM budget) is in
# tests/AzMLK8s.PowerShellHost.Tests/Fleet.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/CrossCutting.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-TestEmulator
    Connect-TestEmulator -Emulator $Emulator | Out-Null
    $script:Canary = Get-CanaryToken

    # The PUTs of the extension of each cluster, in the order the emulator answered them.
    function script:Get-InstallCount([string] $ClusterResourceId) {
        @(Get-EmulatorRequest -Emulator $Emulator | Where-Object { $_.method -eq 'PUT' -and $_.path -like "$ClusterResourceId/providers/Microsoft.KubernetesConfiguration/extensions/*" }).Count
    }
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'A fleet call' {
    BeforeEach {
        $script:Before = Get-EmulatorRequestCount -Emulator $Emulator
    }

    It 'refuses -ThrottleLimit <Value> for <Command> in PowerShell''s parameter validation, before anything is sent' -ForEach @(
        @{ Command = 'New-AzMLK8sExtension'; Value = 0 }
        @{ Command = 'New-AzMLK8sExtension'; Value = 129 }
        @{ Command = 'Test-AzMLK8sPrerequisite'; Value = 0 }
        @{ Command = 'Test-AzMLK8sPrerequisite'; Value = 129 }
    ) {
        $inputs = Add-TestFleet -Emulator $Emulator -Count 2 -Prefix "limit-$Value-$($Command.Split('-')[0].ToLowerInvariant())" | ConvertTo-ClusterInput
        $Before = Get-EmulatorRequestCount -Emulator $Emulator

        { $inputs | & $Command -ThrottleLimit $Value } | Should -Throw -ErrorId "ParameterArgumentValidationError,*"

        Get-EmulatorRequestCount -Emulator $Emulator | Should -Be $Before
    }

    It 'installs on every piped cluster, once each, and writes one result per cluster' {
        $clusters = @(Add-TestFleet -Emulator $Emulator -Count 4 -Prefix all)

        $results = @($clusters | ConvertTo-ClusterInput | New-AzMLK8sExtension -EnableTraining -ErrorAction Stop)

        $results.ClusterResourceId | Sort-Object | Should -Be ($clusters | Sort-Object)
        $results.ProvisioningState | Select-Object -Unique | Should -Be 'Succeeded'
        $clusters | ForEach-Object { Get-InstallCount $_ | Should -Be 1 -Because $_ }
    }

    It 'writes the results in the order the clusters came with -PreserveOrder, though the installed ones finish first' {
        $clusters = @(Add-TestFleet -Emulator $Emulator -Count 4 -Prefix ordered)
        $clusters[1], $clusters[3] | ConvertTo-ClusterInput | New-AzMLK8sExtension -EnableTraining -ErrorAction Stop | Out-Null

        $results = @($clusters | ConvertTo-ClusterInput | New-AzMLK8sExtension -EnableTraining -PreserveOrder -ErrorAction Stop)

        $results.ClusterResourceId | Should -Be $clusters
    }

    It 'with -ThrottleLimit 1 works on one cluster after the other: each starts after the previous one''s last request' {
        $clusters = @(Add-TestFleet -Emulator $Emulator -Count 3 -Prefix serial)
        $start = Get-EmulatorRequestCount -Emulator $Emulator

        $clusters | ConvertTo-ClusterInput | New-AzMLK8sExtension -EnableTraining -ThrottleLimit 1 -ErrorAction Stop | Out-Null

        $log = @(Get-EmulatorRequest -Emulator $Emulator -Since $start)
        $span = foreach ($cluster in $clusters) {
            $indexes = @(for ($i = 0; $i -lt $log.Count; $i++) { if ($log[$i].path -like "$cluster*") { $i } })
            [pscustomobject]@{ Cluster = $cluster; First = $indexes[0]; Last = $indexes[-1] }
        }
        $span[1].First | Should -BeGreaterThan $span[0].Last
        $span[2].First | Should -BeGreaterThan $span[1].Last
    }

    It 'goes on with the other clusters after one cluster''s error; -ErrorVariable holds it and $? is false' {
        $clusters = @(Add-TestFleet -Emulator $Emulator -Count 3 -Prefix onefails)
        $missing = $clusters[0] -replace 'onefails-000$', 'onefails-missing'

        $results = @($clusters[0], $missing, $clusters[1], $clusters[2] | ConvertTo-ClusterInput |
                New-AzMLK8sExtension -EnableTraining -ErrorAction SilentlyContinue -ErrorVariable failed)
        $succeeded = $?

        $succeeded | Should -BeFalse
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'Extension.ClusterNotFound,AzMLK8s.Cmdlets.Extensions.NewAzMLK8sExtensionCommand'
        $failed[0].Exception.Message | Should -Match "'onefails-missing' was not found"
        $results.ClusterResourceId | Sort-Object | Should -Be ($clusters | Sort-Object)
        $clusters | ForEach-Object { Get-InstallCount $_ | Should -Be 1 }
    }

    It 'shows a cluster''s error under -ErrorAction <Action> as <Shown> and finishes the other clusters' -ForEach @(
        @{ Action = 'Continue'; Shown = 'an error record on the stream and in $Error'; OnStream = 1; InError = 1 }
        @{ Action = 'SilentlyContinue'; Shown = 'nothing on the stream, the record in $Error'; OnStream = 0; InError = 1 }
        @{ Action = 'Ignore'; Shown = 'nothing at all'; OnStream = 0; InError = 0 }
    ) {
        $clusters = @(Add-TestFleet -Emulator $Emulator -Count 2 -Prefix "ea-$($Action.ToLowerInvariant())")
        $missing = $clusters[0] -replace '-000$', '-missing'
        $Error.Clear()

        $all = @($missing, $clusters[0], $clusters[1] | ConvertTo-ClusterInput | New-AzMLK8sExtension -EnableTraining -ErrorAction $Action 2>&1)

        @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -HaveCount $OnStream
        $Error.Count | Should -Be $InError
        ($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }).ClusterResourceId | Sort-Object | Should -Be ($clusters | Sort-Object)
    }

    It 'with -ErrorAction Stop ends the call at the error, and running it again finishes every cluster without installing any twice' {
        $clusters = @(Add-TestFleet -Emulator $Emulator -Count 3 -Prefix stops)
        $missing = $clusters[0] -replace '-000$', '-missing'

        { $missing, $clusters[0], $clusters[1], $clusters[2] | ConvertTo-ClusterInput | New-AzMLK8sExtension -EnableTraining -ErrorAction Stop } |
            Should -Throw -ErrorId 'Extension.ClusterNotFound,AzMLK8s.Cmdlets.Extensions.NewAzMLK8sExtensionCommand'

        $again = @($clusters | ConvertTo-ClusterInput | New-AzMLK8sExtension -EnableTraining -ErrorAction Stop)

        $again.ClusterResourceId | Sort-Object | Should -Be ($clusters | Sort-Object)
        $again.ProvisioningState | Select-Object -Unique | Should -Be 'Succeeded'
        $clusters | ForEach-Object { Get-InstallCount $_ | Should -Be 1 -Because "$_ is installed once, by whichever call got to it" }
    }

    It 'with -WhatIf shows one What if per cluster in the order the clusters came, and installs nothing' {
        $clusters = @(Add-TestFleet -Emulator $Emulator -Count 4 -Prefix whatif)
        $Before = Get-EmulatorRequestCount -Emulator $Emulator

        $run = Invoke-Transcribed -Path (Join-Path $TestDrive 'fleet-whatif.txt') -ScriptBlock {
            $clusters | ConvertTo-ClusterInput | New-AzMLK8sExtension -EnableTraining -WhatIf
        }

        $run.Output | Should -BeNullOrEmpty
        $targets = [regex]::Matches($run.Transcript, 'on target "([^"]+)"\.') | ForEach-Object { $_.Groups[1].Value }
        $targets | Should -Be $clusters
        @([regex]::Matches($run.Transcript, '(?m)^What if: Performing the operation "Install the AzureML extension')).Count | Should -Be 4
        Get-EmulatorWrite -Emulator $Emulator -Since $Before | Should -BeNullOrEmpty
    }

    It 'checks every piped cluster''s prerequisites, all of each cluster''s checks together with -PreserveOrder' {
        $clusters = @(Add-TestFleet -Emulator $Emulator -Count 3 -Prefix checked)

        $checks = @($clusters | ConvertTo-ClusterInput | Test-AzMLK8sPrerequisite -PreserveOrder -ErrorAction Stop)

        ($checks | Where-Object Name -EQ 'Cluster.Exists').Target | Should -Be $clusters
        $perCluster = $checks.Count / 3
        for ($i = 0; $i -lt 3; $i++) {
            $group = $checks[($i * $perCluster)..(($i + 1) * $perCluster - 1)]
            $group | Where-Object Name -Like 'Cluster.*' | ForEach-Object { $_.Target | Should -Be $clusters[$i] }
        }
        Get-EmulatorWrite -Emulator $Emulator -Since $Before | Should -BeNullOrEmpty
    }

    It 'never shows a protected setting or the token on any stream, in the transcript, $Error, JSON or CliXml, for any cluster' {
        $secret = 'Endpoint=sb://canary-relay-5b1e.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=CANARYKEY-91d2e4'
        $canaries = @($Canary, 'CANARYKEY-91d2e4')
        $clusters = @(Add-TestFleet -Emulator $Emulator -Count 3 -Kind Connected -Prefix secret)
        $clixml = Join-Path $TestDrive 'fleet.xml'
        $Error.Clear()

        $run = Invoke-Transcribed -Path (Join-Path $TestDrive 'fleet-secret.txt') -ScriptBlock {
            $DebugPreference = 'Continue'
            $script:Installed = @($clusters | ConvertTo-ClusterInput |
                    New-AzMLK8sExtension -EnableTraining -ConfigurationProtectedSetting @{ relayServerConnectionString = $secret } -Verbose -WarningAction SilentlyContinue)
            # The same value given by mistake as a public setting: each cluster's error quotes the value it refuses.
            $clusters | ConvertTo-ClusterInput |
                New-AzMLK8sExtension -EnableTraining -ConfigurationProtectedSetting @{ relayServerConnectionString = $secret } -ConfigurationSetting @{ clusterPurpose = $secret } -ErrorAction Continue *>&1 |
                Out-String -Width 4096
        }
        $Installed | Export-Clixml -Path $clixml

        $Installed | Should -HaveCount 3
        $Installed | ForEach-Object { $_.ProtectedSettingKeys | Should -Be 'relayserver.relayConnectionString' }
        @($Error | Where-Object { $_.FullyQualifiedErrorId -like 'Settings.InvalidEnumValue,*' }) | Should -HaveCount 3
        $Error | ForEach-Object { $_.Exception.Message | Should -Not -Match 'CANARYKEY' }
        $run.Output | Assert-NoCanary -Canary $canaries
        $run.Transcript | Assert-NoCanary -Canary $canaries
        Get-Content -Raw $clixml | Assert-NoCanary -Canary $canaries
        $Installed | ConvertTo-Json -Depth 5 | Assert-NoCanary -Canary $canaries
        $Error | Out-String -Width 4096 | Assert-NoCanary -Canary $canaries
    }
}
