#Requires -Version 7.4
# What a user sees when the endpoint is wrong: a certificate that is not the pinned one fails at once (never retried),
# an address nobody answers fails after a short, bounded retry, each with its own error id naming the endpoint. And
# what -Debug / $DebugPreference show: one record per request attempt, with the request id, never a secret.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-TestEmulator
    $script:Aks = $Emulator.ClusterId['aks-demo']
    $script:Token = ConvertTo-SecureString (Get-CanaryToken) -AsPlainText -Force

    # The messages of the debug records among a command's output (its debug stream merged with 5>&1).
    filter Select-DebugMessage { if ($_ -is [System.Management.Automation.DebugRecord]) { $_.Message } }
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'A certificate that is not the pinned one' {
    BeforeAll {
        $script:WrongPin = 'AB' * 32
        $null = Set-AzMLK8sContext -ArmEndpoint $Emulator.BaseAddress -TrustedCertificateThumbprint $WrongPin `
            -SubscriptionId $Emulator.SubscriptionId -AuthMethod AccessToken -AccessToken $Token
    }

    It 'fails with Arm.CertificateRejected naming the endpoint, the presented and the pinned thumbprints' {
        { Get-AzMLK8sExtension -ClusterResourceId $Aks -ErrorAction Stop } |
            Should -Throw -ErrorId 'Arm.CertificateRejected,AzMLK8s.Cmdlets.Extensions.GetAzMLK8sExtensionCommand'

        $record = $Error[0]
        $record.CategoryInfo.Category | Should -Be 'SecurityError'
        $record.Exception.Message | Should -Match ([regex]::Escape(([uri]$Emulator.BaseAddress).GetLeftPart('Authority')))
        $record.Exception.Message | Should -Match $Emulator.Thumbprint
        $record.Exception.Message | Should -Match $WrongPin
        $record.ErrorDetails.RecommendedAction | Should -Match "TrustedCertificateThumbprint $($Emulator.Thumbprint)"
    }

    It 'is tried once: the debug records show one attempt, and the emulator saw no request' {
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $DebugPreference = 'Continue'
        $records = @(Get-AzMLK8sExtension -ClusterResourceId $Aks -ErrorAction SilentlyContinue 5>&1 | Select-DebugMessage)

        @($records | Where-Object { $_ -match '^ARM GET .* failed after' }) | Should -HaveCount 1
        ($records -join "`n") | Should -Match '\(attempt 1\) failed after'
        Get-EmulatorRequestCount -Emulator $Emulator | Should -Be $before
    }

    It 'keeps the transport''s exception reachable: type and stack, for Get-Error' {
        Get-AzMLK8sExtension -ClusterResourceId $Aks -ErrorAction SilentlyContinue -ErrorVariable failure

        $inner = $failure[0].Exception.InnerException
        $inner | Should -Not -BeNullOrEmpty
        $inner.GetType().FullName | Should -Not -Match 'RedactedException'
        ($inner | Out-String) + $inner.ToString() | Should -Match 'AuthenticationException|SSL'
    }
}

Describe 'An endpoint that refuses connections' {
    BeforeAll {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $script:ClosedPort = $listener.LocalEndpoint.Port; $listener.Stop()
        $null = Set-AzMLK8sContext -ArmEndpoint "https://127.0.0.1:$ClosedPort/" -TrustedCertificateThumbprint $Emulator.Thumbprint `
            -SubscriptionId $Emulator.SubscriptionId -AuthMethod AccessToken -AccessToken $Token
    }

    It 'fails with Arm.ConnectionFailed naming the endpoint after three attempts' {
        $DebugPreference = 'Continue'
        $records = @(Get-AzMLK8sExtension -ClusterResourceId $Aks -ErrorAction SilentlyContinue -ErrorVariable failure 5>&1 | Select-DebugMessage)

        $failure[0].FullyQualifiedErrorId | Should -Be 'Arm.ConnectionFailed,AzMLK8s.Cmdlets.Extensions.GetAzMLK8sExtensionCommand'
        $failure[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $failure[0].Exception.Message | Should -Match "127\.0\.0\.1:$ClosedPort \(3 attempt\(s\)\)"
        ($records | Where-Object { $_ -match 'failed after' }) | Should -HaveCount 3
        ($records -join "`n") | Should -Match '\(attempt 3\) failed after'
    }
}

Describe 'Debug records of requests' {
    BeforeAll {
        $null = Connect-TestEmulator -Emulator $Emulator
    }

    It 'shows one record per ARM request with status, duration, request id and correlation id, and no secret' {
        $before = Get-EmulatorRequestCount -Emulator $Emulator

        $DebugPreference = 'Continue'
        $records = @(New-AzMLK8sExtension -ClusterResourceId $Aks -EnableTraining 5>&1 | Select-DebugMessage)

        $requests = @(Get-EmulatorRequest -Emulator $Emulator -Since $before | Where-Object path -notmatch '^/k8s/')
        $armRecords = @($records | Where-Object { $_ -match '^ARM (GET|PUT|PATCH|POST|DELETE) ' })
        $armRecords | Should -HaveCount $requests.Count
        $armRecords | ForEach-Object { $_ | Should -Match '-> \d{3} .* in \d+ ms; x-ms-request-id \S+; correlation [0-9a-f-]{36}' }
        ($records -join "`n") | Should -Match 'is running: waiting .* before the next poll'
        $records | Assert-NoCanary
    }

    It 'writes nothing at all when debug records are off' {
        $DebugPreference = 'SilentlyContinue'
        $output = Get-AzMLK8sExtension -ClusterResourceId $Aks 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }
        $output | Should -BeNullOrEmpty
    }
}
