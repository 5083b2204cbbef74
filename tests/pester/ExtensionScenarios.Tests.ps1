#Requires -Version 7.4
# New-AzMLK8sExtension installs each scenario of the seed (training, inference over HTTPS on a load balancer, an
# internal load balancer or a NodePort, inference over HTTP, both) on AKS and on Arc: what it returns, what the
# emulator stores, the warnings it gives, and that no secret (the PEM key, the Relay connection string) shows.

BeforeDiscovery {
    $script:Scenarios = foreach ($type in 'Aks', 'Arc') {
        foreach ($scenario in 'training', 'inference-lb-https', 'inference-ilb-https', 'inference-nodeport-https', 'inference-lb-http', 'inference-nodeport-http', 'both') {
            @{ Type = $type; Scenario = $scenario }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/Extensions.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-ExtensionTestEmulator
    $script:Aks = $Emulator.ClusterId['aks-demo']
    $script:Arc = $Emulator.ClusterId['arc-demo']
    Connect-TestEmulator -Emulator $Emulator | Out-Null

    # The parameters of a seed scenario, as a user types them.
    function Get-ScenarioParameter {
        param([string] $Type, [string] $Scenario, $Pem)
        $parameters = @{ ClusterResourceId = if ($Type -eq 'Aks') { $Aks } else { $Arc } }
        if ($Scenario -in 'training', 'both') { $parameters.EnableTraining = $true }
        if ($Scenario -ne 'training') { $parameters.EnableInference = $true }
        if ($Scenario -match 'https' -or $Scenario -eq 'both') {
            $parameters.SslCertificatePath = $Pem.Certificate
            $parameters.SslKeyPath = $Pem.Key
            $parameters.SslCname = 'ml.contoso.com'
        }
        if ($Scenario -match '-http$') { $parameters.AllowInsecureConnection = $true }
        if ($Scenario -match 'nodeport') { $parameters.InferenceRouterServiceType = 'NodePort' }
        if ($Scenario -match 'ilb') { $parameters.InternalLoadBalancer = $true }
        $parameters
    }

}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'New-AzMLK8sExtension installs each scenario of the seed' {
    AfterEach {
        Reset-TestExtension -Emulator $Emulator -ClusterId $Aks, $Arc
    }

    It 'installs <Scenario> on <Type>, stores the scenario''s settings and shows no secret' -ForEach $Scenarios {
        $pem = New-TestPemPair -Directory $TestDrive -Name "tls-$Type-$Scenario"
        $parameters = Get-ScenarioParameter -Type $Type -Scenario $Scenario -Pem $pem
        $clusterId = $parameters.ClusterResourceId
        $since = Get-EmulatorRequestCount -Emulator $Emulator

        $run = Invoke-Captured { New-AzMLK8sExtension @parameters }

        $run.Errors | Should -BeNullOrEmpty
        $run.Output | Should -HaveCount 1
        $extension = $run.Output[0]
        $extension.PSObject.TypeNames[0] | Should -Be 'AzMLK8s.Model.Extensions.AzMLK8sExtension'
        $extension.ProvisioningState | Should -Be 'Succeeded'
        $extension.ClusterType | Should -Be $Type
        $extension.TrainingEnabled | Should -Be ($Scenario -in 'training', 'both')
        $extension.InferenceEnabled | Should -Be ($Scenario -ne 'training')

        $stored = Get-StoredExtension -Emulator $Emulator -ClusterId $clusterId
        $storedSettings = @{}
        foreach ($property in $stored.properties.configurationSettings.PSObject.Properties) { $storedSettings[$property.Name] = $property.Value }
        $stored.properties.scope.cluster.releaseNamespace | Should -Be 'azureml'
        ($extension.ConfigurationSettings.Keys | Sort-Object) | Should -Be ($storedSettings.Keys | Sort-Object)
        foreach ($key in $storedSettings.Keys) { $extension.ConfigurationSettings[$key] | Should -Be $storedSettings[$key] -Because $key }
        $storedProtectedKeys = Get-StoredProtectedSettingKey -Emulator $Emulator -ClusterId $clusterId
        ($extension.ProtectedSettingKeys | Sort-Object) | Should -Be $storedProtectedKeys

        if ($Scenario -match 'https' -or $Scenario -eq 'both') {
            $storedProtectedKeys | Should -Contain 'scoringFe.sslCert'
            $extension.ProtectedSettingKeys | Should -Contain 'scoringFe.sslKey'
            $storedSettings['sslCname'] | Should -Be 'ml.contoso.com'
            $storedSettings.Keys | Where-Object { $_ -match 'PemFile' } | Should -BeNullOrEmpty
        }
        if ($Scenario -match 'nodeport') {
            $storedSettings['inferenceRouterServiceType'] | Should -Be 'NodePort'
            $storedSettings['scoringFe.serviceType.nodePort'] | Should -Be 'true'
        }
        if ($Scenario -match 'ilb') {
            $storedSettings['internalLoadBalancerProvider'] | Should -Be 'azure'
        }
        if ($Scenario -match '-http$') {
            $storedSettings['allowInsecureConnections'] | Should -Be 'true'
            ($run.Warnings -match 'allowInsecureConnections|HTTP') | Should -Not -BeNullOrEmpty
        }

        $requests = @(Get-EmulatorRequest -Emulator $Emulator -Since $since)
        $relayRequests = @($requests | Where-Object path -match 'Microsoft\.Relay')
        if ($Type -eq 'Arc') {
            # Two nodes: one inference router and DevTest, with the reason; Relay found or created; a system identity.
            if ($storedSettings.ContainsKey('inferenceRouterHA')) { $storedSettings['inferenceRouterHA'] | Should -Be 'false' }
            $storedSettings['relayserver.enabled'] | Should -Be 'true'
            $storedProtectedKeys | Should -Contain 'relayserver.relayConnectionString'
            $relayRequests | Should -Not -BeNullOrEmpty
            $extension.IdentityPrincipalId | Should -Not -BeNullOrEmpty
            ($run.Warnings -match 'node') | Should -Not -BeNullOrEmpty
        }
        else {
            $relayRequests | Should -BeNullOrEmpty
            $stored.identity | Should -BeNullOrEmpty
            $requests | Where-Object path -match 'OperationalInsights' | Should -BeNullOrEmpty
        }
        @($requests | Where-Object { $_.method -eq 'PUT' -and $_.route -eq 'Extensions_Create' }) | Should -HaveCount 1

        $secrets = @(Get-PemSecretLine -Path $pem.Key) + [Convert]::ToBase64String([IO.File]::ReadAllBytes($pem.Key))
        if ($Type -eq 'Arc') { $secrets += Get-RelayConnectionString -Emulator $Emulator }
        $run.Text | Assert-NoCanary -Canary $secrets
    }
}
