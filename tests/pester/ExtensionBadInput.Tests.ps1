#Requires -Version 7.4
# Bad input to the extension cmdlets as users type it (hashtables, switches, PEM files, ids): each case gives its own
# specific error with a next step, and not one request (read or write) reaches the emulator, nothing is asked,
# nothing is returned, and the secret the case carries (a passphrase, a connection string) shows nowhere.

BeforeDiscovery {
    $keyCanary = 'bad-input-protected-canary-9c41'
    $cases = [Collections.Generic.List[hashtable]]::new()
    function Add-Case([string] $Name, [string] $ErrorId, [string] $Command, [scriptblock] $Make) {
        $cases.Add(@{ Name = $Name; ErrorId = $ErrorId; Command = $Command; Make = $Make })
    }

    # The settings catalog's table of bad create settings, through -ConfigurationSetting and
    # -ConfigurationProtectedSetting, on both kinds of cluster ($c.Cluster).
    $https = { @{ enableInference = $true; sslSecret = 'ml-tls'; sslCname = 'ml.contoso.com' } }
    $catalog = @(
        , @('typo in key', 'Settings.UnknownKey', { @{ enableTrainng = $true } }, $null)
        , @('seed key with a space', 'Settings.UnknownKey', { @{ 'enableTraining ' = $true; 'node Selector.pool' = 'a' } }, $null)
        , @('chart value path', 'Settings.UnknownKey', { @{ enableTraining = $true; 'scoringFe.replicas' = 3 } }, $null)
        , @('CLI flag as key', 'Settings.UnknownKey', { @{ enableTraining = $true; 'auto-upgrade-minor-version' = $false } }, $null)
        , @('empty key', 'Settings.UnknownKey', { @{ enableTraining = $true; '' = 'x' } }, $null)
        , @('protected typo', 'Settings.UnknownKey', { @{ enableInference = $true; sslCname = 'a.b' } }, { @{ sslCertPem = 'c.pem'; sslKeyPemFile = 'k.pem' } })
        , @('doc typo slKeyPemFile', 'Settings.UnknownKey', { @{ enableInference = $true; sslCname = 'a.b' } }, { @{ sslCertPemFile = 'c.pem'; slKeyPemFile = 'k.pem' } })
        , @('Ture', 'Settings.InvalidBoolean', { @{ enableInference = $true; allowInsecureConnections = 'Ture' } }, $null)
        , @('Treu', 'Settings.InvalidBoolean', { @{ enableTraining = 'Treu' } }, $null)
        , @('yes', 'Settings.InvalidBoolean', { @{ enableTraining = 'yes' } }, $null)
        , @('1 as text', 'Settings.InvalidBoolean', { @{ enableTraining = '1' } }, $null)
        , @('empty boolean', 'Settings.InvalidBoolean', { @{ enableTraining = '' } }, $null)
        , @('legacy boolean typo', 'Settings.InvalidBoolean', { @{ enableTraining = $true; reuseExistingPromOp = 'ture' } }, $null)
        , @('number for boolean', 'Settings.InvalidValueType', { @{ enableTraining = 1 } }, $null)
        , @('array for boolean', 'Settings.InvalidValueType', { @{ enableTraining = @($true) } }, $null)
        , @('boolean for enum', 'Settings.InvalidValueType', { @{ enableInference = $true; allowInsecureConnections = $true; inferenceRouterServiceType = $true } }, $null)
        , @('unknown service type', 'Settings.InvalidEnumValue', { @{ enableInference = $true; allowInsecureConnections = $true; inferenceRouterServiceType = 'Ingress' } }, $null)
        , @('ILB provider other than azure', 'Settings.InvalidEnumValue', { @{ enableInference = $true; allowInsecureConnections = $true; internalLoadBalancerProvider = 'aws' } }, $null)
        , @('cluster purpose typo', 'Settings.InvalidEnumValue', { @{ enableTraining = $true; clusterPurpose = 'Dev' } }, $null)
        , @('no scenario', 'Settings.NoScenarioEnabled', { @{ installPromOp = $false } }, $null)
        , @('both scenarios false', 'Settings.NoScenarioEnabled', { @{ enableTraining = $false; enableInference = 'False' } }, $null)
        , @('scenario only in protected and false', 'Settings.NoScenarioEnabled', { @{ installVolcano = $true } }, { @{ enableTraining = $false } })
        , @('inference without TLS', 'Settings.TlsRequired', { @{ enableInference = $true } }, $null)
        , @('inference insecure false', 'Settings.TlsRequired', { @{ enableInference = $true; allowInsecureConnections = $false } }, $null)
        , @('NodePort without TLS', 'Settings.TlsRequired', { @{ enableInference = $true; privateEndpointNodeport = $true } }, $null)
        , @('only sslCname', 'Settings.TlsRequired', { @{ enableInference = $true; sslCname = 'ml.contoso.com' } }, $null)
        , @('secret without cname', 'Settings.SslCnameRequired', { @{ enableInference = $true; sslSecret = 'ml-tls' } }, $null)
        , @('only the cert file', 'Settings.TlsPairIncomplete', { @{ enableInference = $true; sslCname = 'a.b' } }, { @{ sslCertPemFile = 'c.pem' } })
        , @('only the key file', 'Settings.TlsPairIncomplete', { @{ enableInference = $true; sslCname = 'a.b' } }, { @{ sslKeyPemFile = 'k.pem' } })
        , @('files and secret', 'Settings.TlsSourceConflict', $https, { @{ sslCertPemFile = 'c.pem'; sslKeyPemFile = 'k.pem' } })
        , @('secret and raw scoringFe cert', 'Settings.TlsSourceConflict', $https, { @{ 'scoringFe.sslCert' = 'Y2VydA=='; 'scoringFe.sslKey' = 'a2V5' } })
        , @('secret and insecure', 'Settings.TlsWithInsecureConnections', { @{ enableInference = $true; sslSecret = 's'; sslCname = 'a.b'; allowInsecureConnections = $true } }, $null)
        , @('NodePort with ILB', 'Settings.ServiceTypeConflict', { @{ enableInference = $true; allowInsecureConnections = $true; inferenceRouterServiceType = 'NodePort'; internalLoadBalancerProvider = 'azure' } }, $null)
        , @('ClusterIP with ILB', 'Settings.ServiceTypeConflict', { @{ enableInference = $true; allowInsecureConnections = $true; inferenceRouterServiceType = 'ClusterIP'; internalLoadBalancerProvider = 'azure' } }, $null)
        , @('legacy NodePort with ILB', 'Settings.ServiceTypeConflict', { @{ enableInference = $true; allowInsecureConnections = $true; privateEndpointNodeport = $true; internalLoadBalancerProvider = 'azure' } }, $null)
        , @('both legacy endpoints', 'Settings.LegacyKeyConflict', { @{ enableInference = $true; allowInsecureConnections = $true; privateEndpointNodeport = $true; privateEndpointILB = $true } }, $null)
        , @('legacy HA against new', 'Settings.LegacyKeyConflict', { @{ enableInference = $true; allowInsecureConnections = $true; inferenceLoadBalancerHA = $false; inferenceRouterHA = $true } }, $null)
        , @('legacy prom op against new', 'Settings.LegacyKeyConflict', { @{ enableTraining = $true; reuseExistingPromOp = $false; installPromOp = $false } }, $null)
        , @('legacy volcano against new', 'Settings.LegacyKeyConflict', { @{ enableTraining = $true; 'volcanoScheduler.enable' = $false; installVolcano = $true } }, $null)
        , @('alias against key', 'Settings.LegacyKeyConflict', { @{ enableInference = $true; sslCname = 'a.b'; sslSecretName = 'one'; sslSecret = 'two' } }, $null)
        , @('relay string under two names', 'Settings.LegacyKeyConflict', { @{ enableTraining = $true } }, { @{ relayServerConnectionString = 'a-secret-1'; 'relayserver.relayConnectionString' = 'a-secret-2' } })
        , @('key in both maps', 'Settings.DuplicateKey', { @{ enableTraining = $true; sslCname = 'a.b' } }, { @{ sslCname = 'a.b' } })
        , @('scenario in both maps', 'Settings.DuplicateKey', { @{ enableTraining = $true } }, { @{ enableTraining = $true } })
        , @('cert path in public', 'Settings.SecretInPublicSettings', { @{ enableInference = $true; sslCertPemFile = 'c.pem' } }, $null)
        , @('relay string in public', 'Settings.SecretInPublicSettings', { @{ enableTraining = $true; relayServerConnectionString = 'Endpoint=sb://x' } }, $null)
        , @('LA key in public', 'Settings.SecretInPublicSettings', { @{ enableTraining = $true; 'azure_log_analytics.connection_string' = 'k' } }, $null)
        , @('null public value', 'Settings.MissingValue', { @{ enableTraining = $true; installPromOp = $null } }, $null)
        , @('null protected value', 'Settings.MissingValue', { @{ enableTraining = $true } }, { @{ relayServerConnectionString = $null } })
        , @('null legacy value', 'Settings.MissingValue', { @{ enableTraining = $true; privateEndpointILB = $null } }, $null)
        , @('blank cname', 'Settings.MissingValue', { @{ enableInference = $true; sslSecret = 's'; sslCname = '  ' } }, $null)
        , @('bad node selector label', 'Settings.InvalidValue', { @{ enableTraining = $true; 'nodeSelector.a b' = 'x' } }, $null)
        , @('bad node selector value', 'Settings.InvalidValue', { @{ enableTraining = $true; 'nodeSelector.pool' = 'a/b' } }, $null)
        , @('too long node selector value', 'Settings.InvalidValue', { @{ enableTraining = $true; 'nodeSelector.pool' = 'a' * 64 } }, $null)
        , @('upper-case secret name', 'Settings.InvalidValue', { @{ enableInference = $true; sslSecret = 'ML-TLS'; sslCname = 'a.b' } }, $null)
        , @('memory limit in words', 'Settings.InvalidValue', { @{ enableTraining = $true; 'nginxIngress.resources.controller.limits.memory' = 'lots' } }, $null)
        , @('missing PEM files', 'Settings.PemFileNotFound', { @{ enableInference = $true; sslCname = 'a.b' } }, { @{ sslCertPemFile = '/no/such/cert.pem'; sslKeyPemFile = '/no/such/key.pem' } })
    )
    foreach ($row in $catalog) {
        foreach ($type in 'Aks', 'Arc') {
            $settings = $row[2]
            $protected = $row[3]
            Add-Case "$($type): $($row[0])" $row[1] New {
                param($c)
                $parameters = @{ ClusterResourceId = $c[$type]; ConfigurationSetting = (& $settings) }
                if ($protected) { $parameters.ConfigurationProtectedSetting = & $protected }
                $parameters
            }.GetNewClosure()
        }
    }

    # PEM files: read and checked before anything is sent.
    function Add-Https([string] $Name, [string] $ErrorId, [scriptblock] $Files, [string] $Cname = 'ml.contoso.com') {
        Add-Case $Name $ErrorId New {
            param($c)
            $pair = & $Files $c
            @{ ClusterResourceId = $c.Aks; EnableInference = $true; SslCertificatePath = $pair[0]; SslKeyPath = $pair[1]; SslCname = $Cname }
        }.GetNewClosure()
    }
    Add-Https 'PEM: expired certificate' 'Settings.CertificateExpired' {
        param($c) $p = New-TestPemPair -Directory $c.Dir -Name expired -NotBefore ([DateTimeOffset]::UtcNow.AddDays(-30)) -NotAfter ([DateTimeOffset]::UtcNow.AddDays(-1)); $p.Certificate, $p.Key }
    Add-Https 'PEM: key of another certificate' 'Settings.PemKeyMismatch' {
        param($c) (New-TestPemPair -Directory $c.Dir -Name one).Certificate, (New-TestPemPair -Directory $c.Dir -Name two).Key }
    Add-Https 'PEM: RSA key with an EC certificate' 'Settings.PemKeyMismatch' {
        param($c) (New-TestPemPair -Directory $c.Dir -Name ec).Certificate, (New-TestPemPair -Directory $c.Dir -Name rsa -Rsa).Key }
    Add-Https 'PEM: key with a passphrase' 'Settings.PemKeyEncrypted' {
        param($c) $p = New-TestPemPair -Directory $c.Dir -Name encrypted -KeyPassword "pass-$($c.Canary)"; $p.Certificate, $p.Key }
    Add-Https 'PEM: certificate file is not PEM' 'Settings.PemCertificateInvalid' {
        param($c) $f = Join-Path $c.Dir garbage.crt.pem; Set-Content -Path $f -Value hello -NoNewline; $f, (New-TestPemPair -Directory $c.Dir -Name k1).Key }
    Add-Https 'PEM: key file is not PEM' 'Settings.PemKeyInvalid' {
        param($c) $f = Join-Path $c.Dir garbage.key.pem; Set-Content -Path $f -Value "-----BEGIN PRIVATE KEY-----`nbm90IGEga2V5`n-----END PRIVATE KEY-----`n" -NoNewline
        (New-TestPemPair -Directory $c.Dir -Name c1).Certificate, $f }
    Add-Https 'PEM: certificate and key swapped' 'Settings.PemCertificateInvalid' {
        param($c) $p = New-TestPemPair -Directory $c.Dir -Name swap; $p.Key, $p.Certificate }
    Add-Https 'PEM: non-ASCII certificate file' 'Settings.PemNotAscii' {
        param($c) $f = Join-Path $c.Dir utf.crt.pem; [IO.File]::WriteAllText($f, "-----BEGIN CERTIFICATE-----`nü`n-----END CERTIFICATE-----`n"); $f, (New-TestPemPair -Directory $c.Dir -Name k2).Key }
    Add-Https 'PEM: certificate file missing' 'Settings.PemFileNotFound' {
        param($c) '/no/such/dir/cert.pem', (New-TestPemPair -Directory $c.Dir -Name k3).Key }
    Add-Https 'PEM: key file missing' 'Settings.PemFileNotFound' {
        param($c) (New-TestPemPair -Directory $c.Dir -Name c3).Certificate, (Join-Path $c.Dir missing.key.pem) }
    Add-Https 'PEM: empty certificate file' 'Settings.PemCertificateInvalid' {
        param($c) $f = Join-Path $c.Dir empty.crt.pem; Set-Content -Path $f -Value '' -NoNewline; $f, (New-TestPemPair -Directory $c.Dir -Name k4).Key }
    Add-Case 'PEM: certificate without the key' 'Settings.TlsPairIncomplete' New {
        param($c) @{ ClusterResourceId = $c.Aks; EnableInference = $true; SslCertificatePath = (New-TestPemPair -Directory $c.Dir -Name c5).Certificate; SslCname = 'ml.contoso.com' } }
    Add-Case 'PEM: key without the certificate' 'Settings.TlsPairIncomplete' New {
        param($c) @{ ClusterResourceId = $c.Aks; EnableInference = $true; SslKeyPath = (New-TestPemPair -Directory $c.Dir -Name k5).Key; SslCname = 'ml.contoso.com' } }
    Add-Case 'PEM: files without sslCname' 'Settings.SslCnameRequired' New {
        param($c) $p = New-TestPemPair -Directory $c.Dir -Name c6; @{ ClusterResourceId = $c.Aks; EnableInference = $true; SslCertificatePath = $p.Certificate; SslKeyPath = $p.Key } }

    # Scenario parameters.
    function Add-New([string] $Name, [string] $ErrorId, [scriptblock] $Make) {
        Add-Case $Name $ErrorId New { param($c) $parameters = @{ ClusterResourceId = $c.Aks }; $more = & $Make $c; foreach ($k in $more.Keys) { $parameters[$k] = $more[$k] }; $parameters }.GetNewClosure()
    }
    Add-New 'no scenario switch' 'Settings.NoScenarioEnabled' { @{ InstallVolcano = $true } }
    Add-New 'inference without TLS or insecure' 'Settings.TlsRequired' { @{ EnableInference = $true } }
    Add-New 'NodePort with internal load balancer' 'Settings.ServiceTypeConflict' { @{ EnableInference = $true; AllowInsecureConnection = $true; InternalLoadBalancer = $true; InferenceRouterServiceType = 'NodePort' } }
    Add-New 'secret name with insecure' 'Settings.TlsWithInsecureConnections' { @{ EnableInference = $true; AllowInsecureConnection = $true; SslSecretName = 'tls'; SslCname = 'a.b' } }
    Add-New 'secret name and PEM files' 'Settings.TlsSourceConflict' {
        param($c) $p = New-TestPemPair -Directory $c.Dir -Name c7; @{ EnableInference = $true; SslSecretName = 'tls'; SslCname = 'ml.contoso.com'; SslCertificatePath = $p.Certificate; SslKeyPath = $p.Key } }
    Add-New 'secret name without cname' 'Settings.SslCnameRequired' { @{ EnableInference = $true; SslSecretName = 'tls' } }
    Add-New 'switch against hashtable' 'Extension.ParameterConflict' { @{ EnableTraining = $true; ConfigurationSetting = @{ enableTraining = $false } } }
    Add-New 'service type against hashtable' 'Extension.ParameterConflict' { @{ EnableInference = $true; AllowInsecureConnection = $true; InferenceRouterServiceType = 'NodePort'; ConfigurationSetting = @{ inferenceRouterServiceType = 'ClusterIP' } } }
    Add-New 'cname against hashtable' 'Extension.ParameterConflict' { @{ EnableInference = $true; SslSecretName = 'tls'; SslCname = 'a.b'; ConfigurationSetting = @{ sslCname = 'c.d' } } }
    Add-New 'node selector with prefix' 'Extension.InvalidNodeSelector' { @{ EnableTraining = $true; NodeSelector = @{ 'nodeSelector.pool' = 'a' } } }
    Add-New 'node selector empty label' 'Extension.InvalidNodeSelector' { @{ EnableTraining = $true; NodeSelector = @{ '' = 'a' } } }
    Add-New 'node selector bad value' 'Settings.InvalidValue' { @{ EnableTraining = $true; NodeSelector = @{ pool = 'a b' } } }
    Add-New 'node selector bad label' 'Settings.InvalidValue' { @{ EnableTraining = $true; NodeSelector = @{ 'po ol' = 'a' } } }
    Add-New 'pinned version with auto-upgrade' 'Settings.VersionWithAutoUpgrade' { @{ EnableTraining = $true; Version = '1.1.50'; AutoUpgradeMinorVersion = $true } }
    Add-New 'release namespace other than azureml' 'Settings.ReleaseNamespaceFixed' { @{ EnableTraining = $true; ReleaseNamespace = 'ml' } }
    Add-New 'protected value as plain text in public' 'Settings.SecretInPublicSettings' { param($c) @{ EnableTraining = $true; ConfigurationSetting = @{ relayServerConnectionString = $c.Canary } } }
    Add-New 'secure string in public settings' 'Settings.InvalidValueType' {
        param($c) @{ EnableTraining = $true; ConfigurationSetting = @{ clusterPurpose = (ConvertTo-SecureString $c.Canary -AsPlainText -Force) } } }

    # Names and ids.
    Add-New 'extension name with upper case' 'Extension.InvalidName' { @{ EnableTraining = $true; Name = 'AzureML' } }
    Add-New 'extension name with underscore' 'Extension.InvalidName' { @{ EnableTraining = $true; Name = 'azure_ml' } }
    Add-New 'extension name ending with dash' 'Extension.InvalidName' { @{ EnableTraining = $true; Name = 'azureml-' } }
    Add-New 'extension name too long' 'Extension.InvalidName' { @{ EnableTraining = $true; Name = 'a' * 254 } }
    foreach ($label in 'workspace id as cluster', 'not an id', 'storage account id', 'truncated cluster id', 'provisioned cluster id') {
        Add-Case "cluster id: $label" 'InvalidClusterResourceId' New { param($c) @{ ClusterResourceId = $c.BadClusterId[$label]; EnableTraining = $true } }.GetNewClosure()
        Add-Case "Get with cluster id: $label" 'InvalidClusterResourceId' Get { param($c) @{ ClusterResourceId = $c.BadClusterId[$label] } }.GetNewClosure()
    }
    Add-Case 'cluster name with a slash' 'InvalidClusterResourceId' New { @{ ClusterName = 'a/b'; ResourceGroupName = 'rg-demo'; ClusterType = 'Aks'; EnableTraining = $true } }

    # Update, Remove, Test, Get: checked before the extension is read.
    function Add-Update([string] $Name, [string] $ErrorId, [scriptblock] $Make) {
        Add-Case "Update: $Name" $ErrorId Update { param($c) $parameters = @{ ClusterResourceId = $c.Aks }; $more = & $Make $c; foreach ($k in $more.Keys) { $parameters[$k] = $more[$k] }; $parameters }.GetNewClosure()
    }
    Add-Update 'Ture' 'Settings.InvalidBoolean' { @{ ConfigurationSetting = @{ allowInsecureConnections = 'Ture' } } }
    Add-Update 'typo in key' 'Settings.UnknownKey' { @{ ConfigurationSetting = @{ enableInferance = $true } } }
    Add-Update 'unknown service type' 'Settings.InvalidEnumValue' { @{ ConfigurationSetting = @{ inferenceRouterServiceType = 'Ingress' } } }
    Add-Update 'secret in public' 'Settings.SecretInPublicSettings' { @{ ConfigurationSetting = @{ sslKeyPemFile = 'k.pem' } } }
    Add-Update 'parameter against hashtable' 'Extension.ParameterConflict' { @{ EnableTraining = $true; ConfigurationSetting = @{ enableTraining = 'false' } } }
    Add-Update 'pinned version with auto-upgrade' 'Settings.VersionWithAutoUpgrade' { @{ Version = '1.1.50'; AutoUpgradeMinorVersion = $true } }
    Add-Update 'bad extension name' 'Extension.InvalidName' { @{ Name = 'Bad Name' } }
    Add-Update 'node selector with prefix' 'Extension.InvalidNodeSelector' { @{ NodeSelector = @{ 'nodeSelector.x' = 'y' } } }
    Add-Case 'Update: resource id of a cluster' 'Extension.InvalidResourceId' Update { param($c) @{ ResourceId = $c.Aks } }
    Add-Case 'Update: resource id of a workspace extension' 'InvalidClusterResourceId' Update {
        param($c) @{ ResourceId = "$($c.Workspace)/providers/Microsoft.KubernetesConfiguration/extensions/azureml" } }
    Add-Case 'Remove: resource id without a name' 'Extension.InvalidResourceId' Remove { param($c) @{ ResourceId = "$($c.Aks)/providers/Microsoft.KubernetesConfiguration/extensions/" } }
    Add-Case 'Remove: bad extension name' 'Extension.InvalidName' Remove { param($c) @{ ClusterResourceId = $c.Aks; Name = '-x' } }
    Add-Case 'Remove: cluster id of a workspace' 'InvalidClusterResourceId' Remove { param($c) @{ ClusterResourceId = $c.Workspace } }
    Add-Case 'Test: zero timeout' 'Extension.InvalidTimeout' Test { param($c) @{ ClusterResourceId = $c.Aks; TimeoutSeconds = 0 } }
    Add-Case 'Test: extension id with a nested path' 'Extension.InvalidResourceId' Test { param($c) @{ ResourceId = "$($c.Aks)/providers/Microsoft.KubernetesConfiguration/extensions/azureml/operations/x" } }
    Add-Case 'Get: bad extension name' 'Extension.InvalidName' Get { param($c) @{ ClusterResourceId = $c.Aks; Name = 'a..b_' } }

    $script:BadInput = $cases.ToArray()
    $script:KeyCanary = $keyCanary
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/Extensions.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Emulator = Start-ExtensionTestEmulator
    $script:Aks = $Emulator.ClusterId['aks-demo']
    $script:Arc = $Emulator.ClusterId['arc-demo']
    Connect-TestEmulator -Emulator $Emulator | Out-Null
    $script:Canary = 'bad-input-protected-canary-9c41'
    $scope = "/subscriptions/$($Emulator.SubscriptionId)/resourceGroups/$($Emulator.ResourceGroup)"
    $script:Workspace = "$scope/providers/Microsoft.MachineLearningServices/workspaces/ws-demo"
    $script:BadClusterId = @{
        'workspace id as cluster' = $Workspace
        'not an id'               = 'aks-demo'
        'storage account id'      = "$scope/providers/Microsoft.Storage/storageAccounts/stdemo"
        'truncated cluster id'    = "$scope/providers/Microsoft.ContainerService/managedClusters"
        'provisioned cluster id'  = "$scope/providers/Microsoft.HybridContainerService/provisionedClusters/p1"
    }
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'Bad input to the extension cmdlets' {
    It 'is a table of at least 100 distinct cases' {
        $BadInput.Count | Should -BeGreaterOrEqual 100
        ($BadInput.Name | Sort-Object -Unique).Count | Should -Be $BadInput.Count
    }

    It '<Name> gives <ErrorId> with a next step, and sends, asks and returns nothing' -ForEach $BadInput {
        $context = @{
            Aks = $Aks; Arc = $Arc; Workspace = $Workspace; BadClusterId = $BadClusterId; Canary = $Canary
            Dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        }
        $null = New-Item -ItemType Directory -Path $context.Dir
        $parameters = & $Make $context
        # -Verbose makes a ShouldProcess show as "Performing the operation"; -Confirm:$false keeps Remove from prompting.
        $parameters.Verbose = $true
        if ($Command -eq 'Remove') { $parameters.Confirm = $false }
        $since = Get-EmulatorRequestCount -Emulator $Emulator

        $run = Invoke-Captured -NoTranscript { & "$Command-AzMLK8sExtension" @parameters }

        $run.Terminating | Should -BeNullOrEmpty
        $run.Errors | Should -HaveCount 1
        $run.Errors[0] | Get-ErrorId | Should -Be $ErrorId
        $run.Errors[0].FullyQualifiedErrorId | Should -Be "$ErrorId,AzMLK8s.Cmdlets.Extensions.$($Command)AzMLK8sExtensionCommand"
        $run.Errors[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $run.Output | Should -BeNullOrEmpty
        $run.Verbose -match 'Performing the operation' | Should -BeNullOrEmpty
        Get-EmulatorRequestCount -Emulator $Emulator | Should -Be $since
        $run.Text | Assert-NoCanary -Canary $Canary
    }
}
