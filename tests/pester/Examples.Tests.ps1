#Requires -Version 7.4
# Every script in examples/ runs as a user runs it - a fresh pwsh that signed in with Set-AzMLK8sContext, then
# ./examples/<script>.ps1 with its documented parameters - against the emulator. It must succeed; a second run must
# succeed too and send no write. The main job (examples/MainJob.ps1) and the README's first command run the same way.

BeforeDiscovery {
    $script:ExampleScripts = Get-ChildItem (Join-Path $PSScriptRoot '../../examples') -Filter *.ps1 |
        Where-Object Name -ne 'MainJob.ps1' | ForEach-Object Name | Sort-Object
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    $script:Emulator = Start-TestEmulator -OperationMilliseconds 200
    $script:Examples = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../examples'))
    $script:Group = "/subscriptions/$($Emulator.SubscriptionId)/resourceGroups/$($Emulator.ResourceGroup)"

    # A certificate and key as PEM files, as a user has them for HTTPS inference.
    $rsa = [Security.Cryptography.RSA]::Create(2048)
    $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=scoring.contoso.test', $rsa,
        [Security.Cryptography.HashAlgorithmName]::SHA256, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $names = [Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
    $names.AddDnsName('scoring.contoso.test')
    $request.CertificateExtensions.Add($names.Build())
    $certificate = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(90))
    $script:CertificatePath = Join-Path $TestDrive 'scoring.crt.pem'
    $script:KeyPath = Join-Path $TestDrive 'scoring.key.pem'
    Set-Content -Path $CertificatePath -Value $certificate.ExportCertificatePem() -NoNewline
    Set-Content -Path $KeyPath -Value $rsa.ExportPkcs8PrivateKeyPem() -NoNewline
    $script:KeyCanary = ($rsa.ExportPkcs8PrivateKeyPem() -split "`n")[2]

    # A new cluster of the emulator per example, so each installs on a clean cluster.
    function New-ExampleCluster([string] $Prefix, [string] $Kind = 'Managed') {
        Invoke-EmulatorControl -Emulator $Emulator -Method POST -Path "fleet?count=1&kind=$Kind&prefix=$Prefix&nodes=3" | ForEach-Object { $_ }
    }

    # Runs a script in a fresh pwsh signed in to the emulator (the module found by name on PSModulePath, as an
    # installed module is) and returns its output, what it wrote to the emulator, and its errors.
    function Invoke-Example([string] $Command, [hashtable] $Parameters = @{}) {
        $before = Get-EmulatorRequestCount -Emulator $Emulator
        $outFolder = Join-Path (Get-RepoRoot) 'out'
        $script = @"
`$env:PSModulePath = '$outFolder' + [IO.Path]::PathSeparator + `$env:PSModulePath
$(Get-TestEmulatorSignIn -Emulator $Emulator)
`$parameters = [System.Management.Automation.PSSerializer]::Deserialize('$(([System.Management.Automation.PSSerializer]::Serialize($Parameters)) -replace "'", "''")')
Set-Location '$Examples'
$Command @parameters | Out-String -Width 200
"ERRORS: `$(`$Error.Count)"
`$Error | ForEach-Object { "ERROR: `$(`$_.FullyQualifiedErrorId): `$_" }
"@
        $run = Invoke-Pwsh -Script $script -NonInteractive -TimeoutSeconds 300
        [pscustomobject]@{
            ExitCode = $run.ExitCode
            Output   = $run.Output
            Error    = $run.Error
            Writes   = @(Get-EmulatorWrite -Emulator $Emulator -Since $before)
        }
    }

    # A run succeeded: exit code 0, nothing on standard error, no error record, no canary.
    function Assert-ExampleSucceeded($Run) {
        $Run.ExitCode | Should -Be 0 -Because $Run.Output
        $Run.Error | Should -BeNullOrEmpty
        $Run.Output | Should -Match 'ERRORS: 0' -Because $Run.Output
        $Run.Output, $Run.Error | Assert-NoCanary -Canary (Get-CanaryToken), $KeyCanary
    }

    # The documented parameters of each example, on a cluster of its own.
    $script:ExampleParameters = @{
        'extension-training.ps1'                 = { @{ ResourceGroupName = $Emulator.ResourceGroup; ClusterName = (Split-Path -Leaf (New-ExampleCluster ex-training)) } }
        'extension-inference-https.ps1'          = { @{ ClusterResourceId = (New-ExampleCluster ex-https); CertificatePath = $CertificatePath; KeyPath = $KeyPath; Cname = 'scoring.contoso.test' } }
        'extension-inference-internal-lb.ps1'    = { @{ ClusterResourceId = (New-ExampleCluster ex-ilb); SslSecretName = 'scoring-tls'; Cname = 'scoring.contoso.test' } }
        'extension-inference-nodeport-http.ps1'  = { @{ ClusterResourceId = (New-ExampleCluster ex-nodeport); Http = $true } }
        'extension-training-and-inference.ps1'   = { @{ ClusterResourceId = (New-ExampleCluster ex-both); CertificatePath = $CertificatePath; KeyPath = $KeyPath; Cname = 'scoring.contoso.test' } }
        'extension-health-check.ps1'             = { @{ ClusterResourceId = @($Emulator.ClusterId['aks-demo']) } }
        'extension-update.ps1'                   = { @{ ClusterResourceId = @($Emulator.ClusterId['aks-demo']); CertificatePath = $CertificatePath; KeyPath = $KeyPath } }
        'attach-aks-system-identity.ps1'         = { @{ ResourceGroupName = $Emulator.ResourceGroup; WorkspaceName = 'ws-demo'; ClusterName = 'aks-demo' } }
        'attach-arc-user-identity.ps1'           = { @{ ResourceGroupName = $Emulator.ResourceGroup; WorkspaceName = 'ws-demo'; ClusterName = 'arc-demo'; IdentityName = 'id-demo' } }
        'Deploy-AzureMLOnKubernetes.ps1'         = { @{ ClusterResourceId = (New-ExampleCluster ex-e2e); WorkspaceName = 'ws-demo'; ResourceGroupName = $Emulator.ResourceGroup; ComputeName = 'e2e-compute'; Namespace = 'default'; ContainerRegistry = 'acrdemo'; StorageAccount = 'stdemo' } }
    }

    # What an example needs installed before it runs (the attach and health examples take a cluster with the extension).
    Import-BuiltModule
    $null = Connect-TestEmulator -Emulator $Emulator
    $null = New-AzMLK8sExtension -ClusterResourceId $Emulator.ClusterId['aks-demo'] -EnableTraining -EnableInference `
        -InferenceRouterServiceType NodePort -SslCertificatePath $CertificatePath -SslKeyPath $KeyPath -SslCname scoring.contoso.test -ErrorAction Stop
    $null = New-AzMLK8sExtension -ClusterResourceId $Emulator.ClusterId['arc-demo'] -EnableTraining -ErrorAction Stop
}

AfterAll {
    $script:Emulator | Stop-TestEmulator
}

Describe 'examples/<_>' -ForEach $ExampleScripts {
    BeforeAll {
        $script:Name = $_
        $script:Parameters = & $ExampleParameters[$Name]
    }

    It 'has documented parameters in this suite' {
        $ExampleParameters.Keys | Should -Contain $Name
    }

    It 'parses, runs against the emulator and succeeds' {
        $script:First = Invoke-Example -Command "& './$Name'" -Parameters $Parameters
        Assert-ExampleSucceeded $First
    }

    It 'runs a second time without an error and without a write' {
        $second = Invoke-Example -Command "& './$Name'" -Parameters $Parameters
        Assert-ExampleSucceeded $second
        $second.Writes | ForEach-Object { "$($_.method) $($_.path)" } | Should -BeNullOrEmpty
    }
}

Describe 'The main job (examples/MainJob.ps1)' {
    It 'signs in, checks prerequisites, previews and installs, verifies health, attaches and grants AcrPull, twice' {
        $cluster = New-ExampleCluster ex-main
        $jobParameters = @{
            SubscriptionId = $Emulator.SubscriptionId; ResourceGroupName = $Emulator.ResourceGroup; ClusterName = (Split-Path -Leaf $cluster)
            WorkspaceName = 'ws-demo'; ContainerRegistry = 'acrdemo'; ComputeName = 'main-job'; ModulePath = (Get-BuiltModulePath)
            ArmEndpoint = $Emulator.BaseAddress; TrustedCertificateThumbprint = $Emulator.Thumbprint
        }
        $command = "& '$Examples/MainJob.ps1' -AccessToken (ConvertTo-SecureString '$(Get-CanaryToken)' -AsPlainText -Force)"

        $first = Invoke-Example -Command $command -Parameters $jobParameters
        $second = Invoke-Example -Command $command -Parameters $jobParameters

        Assert-ExampleSucceeded $first
        foreach ($step in 'Register-AzMLK8sPrerequisite', 'Test-AzMLK8sPrerequisite', 'New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining -WhatIf',
            'Test-AzMLK8sExtension -ClusterResourceId $aks -Wait', '$extension | Connect-AzMLK8sCompute', '$compute | Grant-AzMLComputeRole -Role AcrPull') {
            $first.Output | Should -Match ([regex]::Escape("PS> ") + '.*' + [regex]::Escape($step))
        }
        $first.Output | Should -Match 'What if: Performing the operation "Install the AzureML extension'
        $first.Output | Should -Match 'azureml\s+ex-main-000\s+Aks\s+Succeeded'
        $first.Output | Should -Match 'azureml\s+ex-main-000\s+Healthy'
        $first.Output | Should -Match 'main-job\s+ws-demo\s+team-a\s+Succeeded\s+SystemAssigned'
        $first.Output | Should -Match 'Created\s+AcrPull'
        $first.Output | Should -Match 'Fail\s+Cluster.ComputeNamespace' -Because 'a new cluster lacks the namespace, which the attach creates'

        Assert-ExampleSucceeded $second
        $second.Output | Should -Match 'Existing\s+AcrPull'
        $second.Output | Should -Not -Match '(?m)^Fail\s'
        $second.Writes | ForEach-Object { "$($_.method) $($_.path)" } | Should -BeNullOrEmpty
    }
}

Describe "The README's first command" {
    It 'runs the main job in pwsh against the embedded emulator and ends complete' {
        $launcher = Join-Path (Get-RepoRoot) "examples/AzMLK8s.Walkthrough/bin/$(if ($env:AZMLK8S_CONFIGURATION) { $env:AZMLK8S_CONFIGURATION } else { 'Release' })/net10.0/AzMLK8s.Walkthrough.dll"
        Test-Path $launcher | Should -BeTrue -Because 'the solution build builds the walk-through'

        $output = & dotnet $launcher 2>&1 | Out-String
        $exitCode = $LASTEXITCODE

        $exitCode | Should -Be 0 -Because $output
        $output | Should -Match 'running against the embedded emulator'
        $output | Should -Match 'PS> \$compute \| Grant-AzMLComputeRole -Role AcrPull'
        $output | Should -Match '# Walk-through complete\.'
        $output | Should -Not -Match 'walkthrough-emulator-token'
    }
}
