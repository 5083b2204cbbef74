#Requires -Version 7.4
# Set-AzMLK8sContext as the Az context cmdlets behave: -WhatIf and -Confirm, and a context from Get-AzMLK8sContext
# (live, or saved with Export-Clixml) piped back in, in this or another runspace. A token is never part of it.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-TestEmulator
    $script:Endpoint = [uri]"$($Emulator.BaseAddress)/"
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'Set-AzMLK8sContext -WhatIf and -Confirm' {
    BeforeEach {
        $null = Set-AzMLK8sContext -Cloud AzureCloud -SubscriptionId 00000000-0000-0000-0000-0000000000f0 -AuthMethod Environment
    }

    It '-WhatIf says what it would use and changes nothing' {
        $transcript = Join-Path $TestDrive 'whatif.txt'
        Start-Transcript -Path $transcript | Out-Null
        try {
            $result = Set-AzMLK8sContext -ArmEndpoint $Emulator.BaseAddress -TrustedCertificateThumbprint $Emulator.Thumbprint `
                -SubscriptionId $Emulator.SubscriptionId -AuthMethod AccessToken -AccessToken (ConvertTo-SecureString (Get-CanaryToken) -AsPlainText -Force) -WhatIf
        }
        finally {
            Stop-Transcript | Out-Null
        }

        $result | Should -BeNullOrEmpty
        $text = Get-Content -Raw $transcript
        $text | Should -Match ([regex]::Escape("What if: Performing the operation ""Use $Endpoint, subscription $($Emulator.SubscriptionId), sign-in AccessToken"))
        $text | Assert-NoCanary
        (Get-AzMLK8sContext).SubscriptionId | Should -Be '00000000-0000-0000-0000-0000000000f0'
    }

    It 'does not ask by default (low impact), and asks when $ConfirmPreference is Low' {
        (Get-Command Set-AzMLK8sContext).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be 'Low'
        $run = Invoke-Pwsh -NonInteractive -Script @"
Import-Module '$(Get-BuiltModulePath)'
`$ConfirmPreference = 'Low'
`$null = Set-AzMLK8sContext -SubscriptionId 00000000-0000-0000-0000-0000000000f1 -AuthMethod Environment
"IDS: `$(`$Error[0].FullyQualifiedErrorId)"
"@
        $run.Output | Should -Match 'IDS: ConfirmationRequired,AzMLK8s.Cmdlets.SetAzMLK8sContextCommand'
    }
}

Describe 'A context piped back into Set-AzMLK8sContext' {
    It 'restores a live context, with given parameters taking precedence' {
        $null = Set-AzMLK8sContext -ArmEndpoint $Emulator.BaseAddress -TrustedCertificateThumbprint $Emulator.Thumbprint `
            -SubscriptionId $Emulator.SubscriptionId -AuthMethod ManagedIdentity
        $saved = Get-AzMLK8sContext
        $null = Set-AzMLK8sContext -Cloud AzureCloud -SubscriptionId 00000000-0000-0000-0000-0000000000f0 -AuthMethod Environment

        $restored = $saved | Set-AzMLK8sContext -TenantId contoso.onmicrosoft.com

        $restored.ArmEndpoint | Should -Be $Endpoint
        $restored.TrustedCertificateThumbprint | Should -Be $Emulator.Thumbprint
        $restored.SubscriptionId | Should -Be $Emulator.SubscriptionId
        $restored.AuthMethod | Should -Be 'ManagedIdentity'
        $restored.TenantId | Should -Be 'contoso.onmicrosoft.com'
        (Get-AzMLK8sContext).ArmEndpoint | Should -Be $Endpoint
    }

    It 'restores a context saved with Export-Clixml in another runspace, which then reaches the endpoint with its own token' {
        $null = Set-AzMLK8sContext -ArmEndpoint $Emulator.BaseAddress -TrustedCertificateThumbprint $Emulator.Thumbprint `
            -SubscriptionId $Emulator.SubscriptionId -AuthMethod ManagedIdentity
        $file = Join-Path $TestDrive 'context.xml'
        Get-AzMLK8sContext | Export-Clixml -Path $file
        $module = Get-BuiltModulePath
        $aks = $Emulator.ClusterId['aks-demo']

        $result = Start-ThreadJob {
            Import-Module $using:module
            $token = ConvertTo-SecureString 'thread-job-token' -AsPlainText -Force
            $null = Import-Clixml $using:file | Set-AzMLK8sContext -AuthMethod AccessToken -AccessToken $token
            [pscustomobject]@{ Context = Get-AzMLK8sContext; Extensions = @(Get-AzMLK8sExtension -ClusterResourceId $using:aks) }
        } | Receive-Job -Wait -AutoRemoveJob

        $result.Context.ArmEndpoint | Should -Be $Endpoint
        $result.Context.AuthMethod | Should -Be 'AccessToken'
        $fingerprint = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes('thread-job-token'))).Substring(0, 16)
        (Get-EmulatorRequest -Emulator $Emulator | Select-Object -Last 1).bearerFingerprint | Should -Be $fingerprint
    }

    It 'refuses an object that is not a context, as PowerShell refuses a wrong type' {
        { [pscustomobject]@{ Name = 'x' } | Set-AzMLK8sContext -ErrorAction Stop } | Should -Throw -ErrorId 'InputObjectNotBound,AzMLK8s.Cmdlets.SetAzMLK8sContextCommand'
    }
}
