#Requires -Version 7.4
# Set-AzMLK8sContext and Get-AzMLK8sContext as a user calls them: sign-in to the emulator, what they show, what they
# refuse, where the context lives (per runspace), and that the token never shows.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/CrossCutting.TestSupport.psm1') -Force
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
        @{ Case = 'an access token with the managed identity'; Arguments = @{ AuthMethod = 'ManagedIdentity'; AccessToken = (ConvertTo-SecureString 'token-of-nobody' -AsPlainText -Force) }; ErrorId = 'Context.ConflictingAuthMethod' }
    ) {
        Connect-TestEmulator -Emulator $Emulator | Out-Null
        $before = Get-AzMLK8sContext

        { Set-AzMLK8sContext @Arguments -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,AzMLK8s.Cmdlets.SetAzMLK8sContextCommand"

        $error[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $error[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        (Get-AzMLK8sContext).ArmEndpoint | Should -Be $before.ArmEndpoint
    }

    It 'refuses a pinned certificate for a public cloud: PowerShell cannot resolve the parameter set, and the session stays as it was' {
        Connect-TestEmulator -Emulator $Emulator | Out-Null
        $before = Get-AzMLK8sContext

        { Set-AzMLK8sContext -Cloud AzureCloud -TrustedCertificateThumbprint ('B' * 64) } | Should -Throw -ErrorId 'AmbiguousParameterSet,AzMLK8s.Cmdlets.SetAzMLK8sContextCommand'

        (Get-AzMLK8sContext).ArmEndpoint | Should -Be $before.ArmEndpoint
        (Get-AzMLK8sContext).TrustedCertificateThumbprint | Should -Be $Emulator.Thumbprint
    }

    It 'stores a thumbprint given in lower case as the certificate''s hex thumbprint, and the pin accepts the endpoint' {
        $secure = ConvertTo-SecureString $Canary -AsPlainText -Force

        $context = Set-AzMLK8sContext -ArmEndpoint $Emulator.BaseAddress -TrustedCertificateThumbprint $Emulator.Thumbprint.ToLowerInvariant() `
            -SubscriptionId $Emulator.SubscriptionId -AccessToken $secure

        $context.TrustedCertificateThumbprint | Should -BeExactly $Emulator.Thumbprint.ToUpperInvariant()
        $context.AuthMethod | Should -Be 'AccessToken' -Because 'an access token without -AuthMethod means that method'
        { Get-AzMLK8sExtension -ClusterResourceId $Emulator.ClusterId['aks-demo'] -ErrorAction Stop } | Should -Not -Throw
    }

    It 'pins the certificate in a PEM file, a relative path read from the PowerShell location' {
        $pem = Join-Path $TestDrive 'emulator.pem'
        Set-Content -LiteralPath $pem -Value (Get-TestServerCertificatePem -Emulator $Emulator)
        $secure = ConvertTo-SecureString $Canary -AsPlainText -Force

        Push-Location $TestDrive
        try {
            $context = Set-AzMLK8sContext -ArmEndpoint $Emulator.BaseAddress -TrustedCertificatePath ./emulator.pem -SubscriptionId $Emulator.SubscriptionId -AccessToken $secure
        }
        finally {
            Pop-Location
        }

        $context.TrustedCertificateThumbprint | Should -Be $Emulator.Thumbprint
        { Get-AzMLK8sExtension -ClusterResourceId $Emulator.ClusterId['aks-demo'] -ErrorAction Stop } | Should -Not -Throw
    }

    It 'takes a managed identity client id as the managed identity method, and the China cloud with its endpoint and audience' {
        $clientId = [guid]::NewGuid().ToString()
        $subscription = [guid]::NewGuid().ToString()

        $context = Set-AzMLK8sContext -Cloud AzureChinaCloud -ManagedIdentityClientId $clientId -SubscriptionId $subscription

        $context.AuthMethod | Should -Be 'ManagedIdentity'
        $context.ManagedIdentityClientId | Should -Be $clientId
        $context.Cloud | Should -Be 'AzureChinaCloud'
        $context.ArmEndpoint | Should -Be ([uri]'https://management.chinacloudapi.cn/')
        $context.TokenAudience | Should -Be 'https://management.core.chinacloudapi.cn/'
        $context.SubscriptionId | Should -Be $subscription
        $context.HasAccessToken | Should -BeFalse
    }

    It 'writes one context object and says on the verbose stream what it will use; nothing on the other streams' {
        $secure = ConvertTo-SecureString $Canary -AsPlainText -Force

        $all = Set-AzMLK8sContext -ArmEndpoint $Emulator.BaseAddress -TrustedCertificateThumbprint $Emulator.Thumbprint `
            -SubscriptionId $Emulator.SubscriptionId -AccessToken $secure -Verbose *>&1

        $output = @($all | Where-Object { $_ -is [AzMLK8s.Model.Context.AzMLK8sContextInfo] })
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $output | Should -HaveCount 1
        # PowerShell's own line for a ShouldProcess under -Verbose, then the module's.
        $verbose | Should -HaveCount 2
        $verbose[0].Message | Should -BeLike 'Performing the operation "Use *, subscription *, sign-in AccessToken*" on target "this PowerShell session".'
        $verbose[1].Message | Should -Be "AzMLK8s will use Custom $($Emulator.BaseAddress)/ subscription=$($Emulator.SubscriptionId) auth=AccessToken."
        $all | Should -HaveCount 3 -Because 'no error, warning, debug or information record is written'
    }

    It 'reports a bad value as an error under -ErrorAction <Action>: <Expectation>' -ForEach @(
        @{ Action = 'Continue'; Expectation = 'on the error stream, in $Error and the -ErrorVariable'; OnStream = 1; InError = 1; InVariable = 1 }
        @{ Action = 'SilentlyContinue'; Expectation = 'not shown, but in $Error and the -ErrorVariable'; OnStream = 0; InError = 1; InVariable = 1 }
        @{ Action = 'Ignore'; Expectation = 'nowhere'; OnStream = 0; InError = 0; InVariable = 0 }
    ) {
        Connect-TestEmulator -Emulator $Emulator | Out-Null
        $Error.Clear()

        $stream = Set-AzMLK8sContext -SubscriptionId 'not-a-guid' -ErrorAction $Action -ErrorVariable captured 2>&1

        @($stream).Count | Should -Be $OnStream
        $Error.Count | Should -Be $InError
        @($captured).Count | Should -Be $InVariable
        @($stream) + @($captured) + @($Error) | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'Context.InvalidSubscriptionId,AzMLK8s.Cmdlets.SetAzMLK8sContextCommand' }
        (Get-AzMLK8sContext).SubscriptionId | Should -Be $Emulator.SubscriptionId
    }

    It 'works in a process that cannot prompt (a runbook): -NonInteractive, standard input closed' {
        $result = Invoke-Pwsh -NonInteractive -Script ((Get-TestEmulatorSignIn -Emulator $Emulator) + @'

(Get-AzMLK8sContext).AuthMethod
@(Get-AzMLK8sExtension -ClusterResourceId '{0}' -ErrorAction Stop).Count
'@.Replace('{0}', $Emulator.ClusterId['aks-demo']))

        $result.ExitCode | Should -Be 0 -Because $result.Error
        ($result.Output -split "`r?`n" | Where-Object { $_ }) | Should -Be @('AccessToken', '0')
        $result.Output + $result.Error | Assert-NoCanary
    }

    It 'has the Cloud set by default, the Endpoint set where -ArmEndpoint is mandatory, and the InputObject set of a saved context; both cmdlets declare the context type' {
        $set = Get-Command Set-AzMLK8sContext

        $set.DefaultParameterSet | Should -Be 'Cloud'
        $set.ParameterSets.Name | Sort-Object | Should -Be @('Cloud', 'Endpoint', 'InputObject')
        $set.Parameters['InputObject'].ParameterSets['InputObject'].ValueFromPipeline | Should -BeTrue
        $set.Parameters['ArmEndpoint'].ParameterSets.Keys | Should -Be 'Endpoint'
        $set.Parameters['ArmEndpoint'].ParameterSets['Endpoint'].IsMandatory | Should -BeTrue
        $set.OutputType.Name | Should -Be 'AzMLK8s.Model.Context.AzMLK8sContextInfo'
        (Get-Command Get-AzMLK8sContext).OutputType.Name | Should -Be 'AzMLK8s.Model.Context.AzMLK8sContextInfo'
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

        $text | Should -Match 'Cloud\s+SubscriptionId\s+AuthMethod\s+ArmEndpoint'
        $text | Should -Match 'Custom'
        $text | Assert-NoCanary
    }

    It 'shows what Set-AzMLK8sContext wrote, property for property' {
        $set = Connect-TestEmulator -Emulator $Emulator

        $got = Get-AzMLK8sContext

        foreach ($property in $set.PSObject.Properties.Name) {
            "$property=$($got.$property)" | Should -Be "$property=$($set.$property)"
        }
    }

    It 'shows, before any Set-AzMLK8sContext, the public cloud with the automatic sign-in' {
        $modulePath = Get-BuiltModulePath

        $fresh = 1 | ForEach-Object -Parallel {
            Import-Module $using:modulePath
            Get-AzMLK8sContext
        }

        $fresh.Cloud | Should -Be 'AzureCloud'
        $fresh.ArmEndpoint | Should -Be ([uri]'https://management.azure.com/')
        $fresh.AuthMethod | Should -Be 'Auto'
        $fresh.HasAccessToken | Should -BeFalse
        $fresh.TrustedCertificateThumbprint | Should -BeNullOrEmpty
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


Describe 'The automatic sign-in through Az.Accounts' {
    BeforeAll {
        $script:AzToken = 'az-accounts-token-canary-41f0'
        $script:AzCalls = [System.Collections.Generic.List[object]]::new()
        # Az.Accounts as the module meets it: Get-AzContext and Get-AzAccessToken in the caller's session.
        $calls = $AzCalls
        $emulator = $Emulator
        $token = $AzToken
        $null = New-Item -Path 'function:global:Get-AzContext' -Force -Value {
            $calls.Add([pscustomobject]@{ Command = 'Get-AzContext'; Thread = [Environment]::CurrentManagedThreadId; Runspace = [runspace]::DefaultRunspace.InstanceId })
            [pscustomobject]@{
                Account      = [pscustomobject]@{ Id = 'admin@contoso.com' }
                Subscription = [pscustomobject]@{ Id = $emulator.SubscriptionId }
                Tenant       = [pscustomobject]@{ Id = $emulator.TenantId }
            }
        }.GetNewClosure()
        $null = New-Item -Path 'function:global:Get-AzAccessToken' -Force -Value {
            param($ResourceUrl, $TenantId)
            $calls.Add([pscustomobject]@{ Command = 'Get-AzAccessToken'; Thread = [Environment]::CurrentManagedThreadId; Runspace = [runspace]::DefaultRunspace.InstanceId; ResourceUrl = $ResourceUrl })
            [pscustomobject]@{ Token = (ConvertTo-SecureString $token -AsPlainText -Force); ExpiresOn = [DateTimeOffset]::UtcNow.AddHours(1) }
        }.GetNewClosure()
    }

    AfterAll {
        Remove-Item -Path 'function:global:Get-AzContext', 'function:global:Get-AzAccessToken' -ErrorAction SilentlyContinue
    }

    It 'runs Get-AzContext and Get-AzAccessToken in the caller''s session on its pipeline thread, sends that token, and never shows it' {
        $transcript = Join-Path $TestDrive 'az.txt'
        $AzCalls.Clear()
        $context = Set-AzMLK8sContext -ArmEndpoint $Emulator.BaseAddress -TrustedCertificateThumbprint $Emulator.Thumbprint
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $run = Invoke-Transcribed -Path $transcript -ScriptBlock {
            Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName $Emulator.ResourceGroup -Verbose *>&1 | Out-String -Width 4096
        }

        $context.AuthMethod | Should -Be 'Auto'
        $AzCalls.Command | Should -Be @('Get-AzContext', 'Get-AzAccessToken')
        $AzCalls.Thread | Select-Object -Unique | Should -Be ([Environment]::CurrentManagedThreadId)
        $AzCalls.Runspace | Select-Object -Unique | Should -Be ([runspace]::DefaultRunspace.InstanceId)
        $AzCalls[1].ResourceUrl | Should -Be 'https://management.core.windows.net'
        $fingerprint = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($AzToken))).Substring(0, 16)
        (Get-EmulatorRequest -Emulator $Emulator -Since $before).bearerFingerprint | Select-Object -Unique | Should -Be $fingerprint
        $run.Output | Assert-NoCanary -Canary $AzToken
        $run.Transcript | Assert-NoCanary -Canary $AzToken
        $Error | Out-String -Width 4096 | Assert-NoCanary -Canary $AzToken
    }
}

Describe 'A token given where it does not belong' {
    It 'is masked in the error that quotes it, on every stream, $Error and the transcript' {
        Connect-TestEmulator -Emulator $Emulator | Out-Null
        $transcript = Join-Path $TestDrive 'pasted.txt'
        $secure = ConvertTo-SecureString $Canary -AsPlainText -Force
        $Error.Clear()

        $run = Invoke-Transcribed -Path $transcript -ScriptBlock {
            Set-AzMLK8sContext -SubscriptionId $Canary -AccessToken $secure -AuthMethod AccessToken -Verbose -ErrorAction Continue *>&1 | Out-String -Width 4096
        }

        $pasted = @($Error | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $pasted | Should -HaveCount 1
        $pasted[0].FullyQualifiedErrorId | Should -Be 'Context.InvalidSubscriptionId,AzMLK8s.Cmdlets.SetAzMLK8sContextCommand'
        $pasted[0].Exception.Message | Should -Be "'***' is not a subscription id (a GUID)."
        $run.Output | Assert-NoCanary
        $run.Transcript | Assert-NoCanary
        $Error | Out-String -Width 4096 | Assert-NoCanary
        $Error | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue | Assert-NoCanary
    }
}
