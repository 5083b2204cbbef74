#Requires -Version 7.4
# What users hand the extension cmdlets that must stay secret - protected settings as SecureString, PEM private keys,
# connection strings - and the TLS material itself: secrets show in no stream, on no host line, in no $Error, transcript,
# JSON or CliXml; the extension shows only the names of its protected settings; PEM files resolve against the
# PowerShell location and are checked with warnings; a TLS secret in the cluster works instead of files.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/Extensions.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-ExtensionTestEmulator
    $script:Aks = $Emulator.ClusterId['aks-demo']
    $script:Arc = $Emulator.ClusterId['arc-demo']
    Connect-TestEmulator -Emulator $Emulator | Out-Null

    function ConvertTo-Secure([string] $Text) { ConvertTo-SecureString $Text -AsPlainText -Force }
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'Secrets given to the extension cmdlets' {
    AfterEach {
        Reset-TestExtension -Emulator $Emulator -ClusterId $Aks, $Arc
    }

    It 'show nowhere: not in any stream, on the host, in $Error, the transcript, or JSON and CliXml of the results and errors' {
        $serviceBus = 'Endpoint=sb://canary/;SharedAccessKey=canary-sb-7d21'
        $relay = 'Endpoint=sb://relay-canary/;SharedAccessKeyName=x;SharedAccessKey=canary-relay-3f88'
        $plain = 'canary-plain-text-in-public-52aa'
        $old = New-TestPemPair -Directory $TestDrive -Name old
        $new = New-TestPemPair -Directory $TestDrive -Name new
        $transcript = Join-Path $TestDrive transcript.txt
        $Error.Clear()
        $results = [Collections.Generic.List[object]]::new()

        Start-Transcript -Path $transcript | Out-Null
        try {
            $all = & {
                $VerbosePreference = 'Continue'
                $DebugPreference = 'Continue'
                $InformationPreference = 'Continue'
                $ErrorActionPreference = 'Continue'
                New-AzMLK8sExtension -ClusterResourceId $Arc -EnableInference -SslCertificatePath $old.Certificate -SslKeyPath $old.Key -SslCname ml.contoso.com `
                    -ConfigurationProtectedSetting @{ relayServerConnectionString = (ConvertTo-Secure $relay) } -WhatIf
                New-AzMLK8sExtension -ClusterResourceId $Arc -EnableInference -SslCertificatePath $old.Certificate -SslKeyPath $old.Key -SslCname ml.contoso.com `
                    -ConfigurationProtectedSetting @{ relayServerConnectionString = (ConvertTo-Secure $relay) }
                # The relay string was the user's, not a Relay the module made: an update gives it again.
                Update-AzMLK8sExtension -ClusterResourceId $Arc -SslCertificatePath $new.Certificate -SslKeyPath $new.Key -WhatIf `
                    -ConfigurationProtectedSetting @{ relayServerConnectionString = (ConvertTo-Secure $relay) }
                Update-AzMLK8sExtension -ClusterResourceId $Arc -SslCertificatePath $new.Certificate -SslKeyPath $new.Key -Force `
                    -ConfigurationProtectedSetting @{ relayServerConnectionString = (ConvertTo-Secure $relay) }
                Update-AzMLK8sExtension -ClusterResourceId $Arc -Force `
                    -ConfigurationProtectedSetting @{ serviceBusConnectionString = (ConvertTo-Secure $serviceBus); relayServerConnectionString = (ConvertTo-Secure $relay) }
                New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining -ConfigurationSetting @{ relayServerConnectionString = $plain }
                Get-AzMLK8sExtension -ClusterResourceId $Arc
                Test-AzMLK8sExtension -ClusterResourceId $Arc
            } *>&1 | ForEach-Object { if ($_ -is [Management.Automation.ErrorRecord] -or $_ -is [Management.Automation.InformationalRecord]) { $_ } else { $results.Add($_); $_ } } |
                Out-String -Width 4096
        }
        finally {
            Stop-Transcript | Out-Null
        }
        $resultsXml = Join-Path $TestDrive results.xml
        $errorsXml = Join-Path $TestDrive errors.xml
        $results | Export-Clixml -Path $resultsXml -Depth 6
        $Error | Export-Clixml -Path $errorsXml -Depth 6

        # The calls did what they should: the secrets were really used.
        @($results | ForEach-Object { $_.GetType().Name }) | Should -Be @('AzMLK8sExtension', 'AzMLK8sExtension', 'AzMLK8sExtension', 'AzMLK8sExtensionHealth')
        @($Error | Get-ErrorId | Sort-Object) | Should -Be @('Settings.ProtectedSettingsIncomplete', 'Settings.SecretInPublicSettings')
        $secrets = @($serviceBus, 'canary-sb-7d21', $relay, 'canary-relay-3f88', $plain) + (Get-PemSecretLine -Path $old.Key) + (Get-PemSecretLine -Path $new.Key)
        $all | Assert-NoCanary -Canary $secrets
        Get-Content -Raw $transcript | Assert-NoCanary -Canary $secrets
        $Error | Format-List * -Force | Out-String -Width 4096 | Assert-NoCanary -Canary $secrets
        $Error | ForEach-Object { "$($_.Exception) $($_.Exception.InnerException) $($_.ErrorDetails)" } | Assert-NoCanary -Canary $secrets
        Get-Content -Raw $resultsXml | Assert-NoCanary -Canary $secrets
        Get-Content -Raw $errorsXml | Assert-NoCanary -Canary $secrets
        $results | ConvertTo-Json -Depth 6 | Assert-NoCanary -Canary $secrets
    }

    It 'leave only the names of the protected settings on the extension' {
        $canary = 'Endpoint=sb://relay/;SharedAccessKey=names-only-canary-0b3c'

        $extension = New-AzMLK8sExtension -ClusterResourceId $Arc -EnableTraining -ConfigurationProtectedSetting @{ relayServerConnectionString = (ConvertTo-Secure $canary) } -WarningAction SilentlyContinue

        $extension.ProtectedSettingKeys | Should -Be @('relayserver.relayConnectionString')
        $extension.ConfigurationSettings.Keys | Should -Not -Contain 'relayserver.relayConnectionString'
        $extension | Format-List * -Force | Out-String -Width 4096 | Assert-NoCanary -Canary $canary, 'names-only-canary-0b3c'
    }
}

Describe 'TLS material' {
    AfterEach {
        Reset-TestExtension -Emulator $Emulator -ClusterId $Aks
    }

    It 'reads relative PEM paths against the PowerShell location, not the process''s directory' {
        $folder = Join-Path $TestDrive relative
        $pem = New-TestPemPair -Directory $folder -Name tls
        [Environment]::CurrentDirectory | Should -Not -Be $folder

        Push-Location $folder
        try {
            $extension = New-AzMLK8sExtension -ClusterResourceId $Aks -EnableInference -SslCertificatePath tls.crt.pem -SslKeyPath ./tls.key.pem -SslCname ml.contoso.com
        }
        finally {
            Pop-Location
        }

        $extension.ProvisioningState | Should -Be 'Succeeded'
        Get-StoredProtectedSettingKey -Emulator $Emulator -ClusterId $Aks | Should -Contain 'scoringFe.sslCert'
    }

    It 'masks the PEM values in the -WhatIf of an install and shows no line of the key' {
        $pem = New-TestPemPair -Directory $TestDrive -Name whatif

        $run = Invoke-Captured { New-AzMLK8sExtension -ClusterResourceId $Aks -EnableInference -SslCertificatePath $pem.Certificate -SslKeyPath $pem.Key -SslCname ml.contoso.com -WhatIf }

        $run.Host | Should -Match 'scoringFe\.sslKey: \(not set\) -> \*\*\*'
        $run.Text | Assert-NoCanary -Canary (Get-PemSecretLine -Path $pem.Key)
    }

    It 'installs with a warning when the certificate expires within 30 days' {
        $pem = New-TestPemPair -Directory $TestDrive -Name soon -NotAfter ([DateTimeOffset]::UtcNow.AddDays(10))

        $run = Invoke-Captured -NoTranscript { New-AzMLK8sExtension -ClusterResourceId $Aks -EnableInference -SslCertificatePath $pem.Certificate -SslKeyPath $pem.Key -SslCname ml.contoso.com }

        $run.Errors | Should -BeNullOrEmpty
        $run.Output.ProvisioningState | Should -Be 'Succeeded'
        $run.Warnings -match 'less than 30 days' | Should -Not -BeNullOrEmpty
    }

    It 'installs with a warning when the certificate is not issued for -SslCname' {
        $pem = New-TestPemPair -Directory $TestDrive -Name other -DnsName other.contoso.com

        $run = Invoke-Captured -NoTranscript { New-AzMLK8sExtension -ClusterResourceId $Aks -EnableInference -SslCertificatePath $pem.Certificate -SslKeyPath $pem.Key -SslCname ml.contoso.com }

        $run.Errors | Should -BeNullOrEmpty
        ($run.Warnings | Where-Object { $_ -match "'other\.contoso\.com'" -and $_ -match "'ml\.contoso\.com'" }) | Should -Not -BeNullOrEmpty
    }

    It 'takes a TLS secret in the cluster instead of files, and sends no protected setting' {
        $extension = New-AzMLK8sExtension -ClusterResourceId $Aks -EnableInference -SslSecretName ml-tls -SslCname ml.contoso.com

        $extension.ProvisioningState | Should -Be 'Succeeded'
        $stored = (Get-StoredExtension -Emulator $Emulator -ClusterId $Aks).properties.configurationSettings
        $stored.'scoringFe.sslSecret' | Should -Be 'ml-tls'
        $stored.sslCname | Should -Be 'ml.contoso.com'
        Get-StoredProtectedSettingKey -Emulator $Emulator -ClusterId $Aks | Should -BeNullOrEmpty
    }
}
