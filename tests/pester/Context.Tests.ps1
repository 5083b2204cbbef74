#Requires -Version 7.4
# Set-AzMLK8sContext and Get-AzMLK8sContext as a user calls them: sign-in to the emulator, what they show, what they
# refuse, where the context lives (per runspace), and that the token never shows.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-TestEmulator
    $script:Canary = Get-CanaryToken
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'Set-AzMLK8sContext' {
    It 'signs in to a custom endpoint with a pinned certificate and an access token, and writes what it stored' {
        $context = Connect-TestEmulator -Emulator $Emulator

        $context.PSObject.TypeNames[0] | Should -Be 'AzMLK8s.Model.Context.AzMLK8sContextInfo'
        $context.Cloud | Should -Be 'Custom'
        $context.ArmEndpoint | Should -Be ([uri]"$($Emulator.BaseAddress)/")
        $context.SubscriptionId | Should -Be $Emulator.SubscriptionId
        $context.AuthMethod | Should -Be 'AccessToken'
        $context.HasAccessToken | Should -BeTrue
        $context.TrustedCertificateThumbprint | Should -Be $Emulator.Thumbprint
    }

    It 'makes the next cmdlet call reach the endpoint with that token' {
        Connect-TestEmulator -Emulator $Emulator | Out-Null
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        Get-AzMLK8sExtension -ClusterResourceId $Emulator.ClusterId['aks-demo'] | Should -BeNullOrEmpty

        $requests = Get-EmulatorRequest -Emulator $Emulator -Since $before
        $requests | Should -Not -BeNullOrEmpty
        $fingerprint = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($Canary))).Substring(0, 16)
        $requests.bearerFingerprint | Select-Object -Unique | Should -Be $fingerprint
    }

    It 'refuses <Case> with <ErrorId> before anything is stored' -ForEach @(
        @{ Case = 'a subscription that is not a GUID'; Arguments = @{ SubscriptionId = 'not-a-guid' }; ErrorId = 'Context.InvalidSubscriptionId' }
        @{ Case = 'an http endpoint'; Arguments = @{ ArmEndpoint = 'http://127.0.0.1:1/' }; ErrorId = 'Context.InvalidArmEndpoint' }
        @{ Case = 'AccessToken without a token'; Arguments = @{ AuthMethod = 'AccessToken' }; ErrorId = 'Context.AccessTokenMissing' }
        @{ Case = 'a malformed thumbprint'; Arguments = @{ ArmEndpoint = 'https://127.0.0.1:1/'; TrustedCertificateThumbprint = 'xyz' }; ErrorId = 'Context.InvalidThumbprint' }
    ) {
        Connect-TestEmulator -Emulator $Emulator | Out-Null
        $before = Get-AzMLK8sContext

        { Set-AzMLK8sContext @Arguments -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,AzMLK8s.Cmdlets.SetAzMLK8sContextCommand"

        $error[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $error[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        (Get-AzMLK8sContext).ArmEndpoint | Should -Be $before.ArmEndpoint
    }

    It 'binds -AuthMethod by name and completes it from the enum' {
        (Get-Command Set-AzMLK8sContext).Parameters['AuthMethod'].ParameterType.Name | Should -Be 'AzMLK8sAuthMethod'
        $completions = [System.Management.Automation.CommandCompletion]::CompleteInput('Set-AzMLK8sContext -AuthMethod Ma', 33, $null)
        $completions.CompletionMatches.CompletionText | Should -Contain 'ManagedIdentity'
    }
}

Describe 'Get-AzMLK8sContext' {
    It 'shows the session context through the module''s table view, with no token' {
        Connect-TestEmulator -Emulator $Emulator | Out-Null

        $text = Get-AzMLK8sContext | Out-String -Width 200

        $text | Should -Match 'Cloud\s+ArmEndpoint\s+SubscriptionId\s+AuthMethod'
        $text | Should -Match 'Custom'
        $text | Assert-NoCanary
    }

    It 'keeps the context per runspace: a new runspace starts without it' {
        Connect-TestEmulator -Emulator $Emulator | Out-Null
        $modulePath = Get-BuiltModulePath

        $inParallel = 1..2 | ForEach-Object -Parallel {
            Import-Module $using:modulePath
            (Get-AzMLK8sContext).ArmEndpoint
        }

        $inParallel | Should -HaveCount 2
        $inParallel | ForEach-Object { $_ | Should -Not -Be ([uri]"$($Emulator.BaseAddress)/") }
        (Get-AzMLK8sContext).ArmEndpoint | Should -Be ([uri]"$($Emulator.BaseAddress)/")
    }
}

Describe 'The token never shows' {
    It 'is absent from every stream, the transcript, $Error, JSON and CliXml of the context' {
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $clixml = Join-Path $TestDrive 'context.xml'
        Start-Transcript -Path $transcript | Out-Null
        try {
            $all = & {
                Connect-TestEmulator -Emulator $Emulator -Verbose -Debug
                Get-AzMLK8sContext -Verbose -Debug
                Set-AzMLK8sContext -SubscriptionId 'not-a-guid' -ErrorAction SilentlyContinue
            } *>&1 | Out-String -Width 4096
        }
        finally {
            Stop-Transcript | Out-Null
        }
        Get-AzMLK8sContext | Export-Clixml -Path $clixml

        $all | Assert-NoCanary
        Get-Content -Raw $transcript | Assert-NoCanary
        Get-Content -Raw $clixml | Assert-NoCanary
        Get-AzMLK8sContext | ConvertTo-Json -Depth 5 | Assert-NoCanary
        $Error | Out-String -Width 4096 | Assert-NoCanary
    }
}
