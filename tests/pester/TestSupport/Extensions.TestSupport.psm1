# What the extension suites (Extension*.Tests.ps1) share on top of AzMLK8s.TestSupport: an emulator that paces its
# long-running operations for tests, PEM files made on the fly, reading and resetting extensions through the
# emulator's own ARM API, the emulated clusters' Kubernetes API (to break or inspect a cluster as an admin would with
# kubectl), and a capture of everything a command shows (streams, host lines, transcript).
# Nothing here imitates PowerShell or the module: it arranges and observes from outside.
Set-StrictMode -Version Latest

$script:ExtensionApiVersion = '2023-05-01'

<#
.SYNOPSIS
Starts an emulator (Start-TestEmulator) whose extension operations say "Retry-After: 1", so a cmdlet waiting on an
install polls once a second instead of the module's five-second default. -OperationMilliseconds -1 keeps every
operation running until Complete-EmulatorOperation.
#>
function Start-ExtensionTestEmulator {
    param([int] $OperationMilliseconds = 300, [string[]] $ArgumentList = @())
    $emulator = Start-TestEmulator -ArgumentList $ArgumentList
    Set-EmulatorOption -Emulator $emulator -Option @{ retryAfterSeconds = 1; operationMs = $OperationMilliseconds }
    $emulator
}

# PATCH /_emulator/options: operationMs (-1: until completed), retryAfterSeconds, protectedSettingsResponse, ...
function Set-EmulatorOption {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [hashtable] $Option)
    $null = Invoke-EmulatorControl -Emulator $Emulator -Method PATCH -Path options -Body $Option
}

# Finishes every running long-running operation at once.
function Complete-EmulatorOperation {
    param([Parameter(Mandatory)] $Emulator)
    $null = Invoke-EmulatorControl -Emulator $Emulator -Method POST -Path operations/complete
}

function Get-ExtensionId {
    param([Parameter(Mandatory)] [string] $ClusterId, [string] $Name = 'azureml')
    "$ClusterId/providers/Microsoft.KubernetesConfiguration/extensions/$Name"
}

# The emulator's ARM API, as a user's own REST call (Invoke-AzRestMethod) would reach it, with the canary token.
function Invoke-EmulatorArm {
    param(
        [Parameter(Mandatory)] $Emulator,
        [ValidateSet('GET', 'PUT', 'PATCH', 'POST', 'DELETE')] [string] $Method = 'GET',
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [string] $ApiVersion,
        $Body
    )
    $separator = if ($Path.Contains('?')) { '&' } else { '?' }
    $arguments = @{
        Uri                  = "$($Emulator.BaseAddress)$Path$($separator)api-version=$ApiVersion"
        Method               = $Method
        SkipCertificateCheck = $true
        Headers              = @{ Authorization = "Bearer $(Get-CanaryToken)" }
        ContentType          = 'application/json'
    }
    if ($null -ne $Body) { $arguments.Body = if ($Body -is [string]) { $Body } else { $Body | ConvertTo-Json -Depth 10 -Compress } }
    Invoke-RestMethod @arguments
}

# The extension as the emulator stores it (ARM's GET), or $null.
function Get-StoredExtension {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $ClusterId, [string] $Name = 'azureml')
    Get-EmulatorResource -Emulator $Emulator -ResourceId (Get-ExtensionId -ClusterId $ClusterId -Name $Name) -ApiVersion $script:ExtensionApiVersion
}

<#
.SYNOPSIS
The names of the protected settings the emulator stores for an extension. ARM never returns their values; the
emulator is asked, for this one read, to list the keys (protectedSettingsResponse KeysOnly) and then set back.
#>
function Get-StoredProtectedSettingKey {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $ClusterId, [string] $Name = 'azureml')
    Set-EmulatorOption -Emulator $Emulator -Option @{ protectedSettingsResponse = 'KeysOnly' }
    try {
        $stored = Get-StoredExtension -Emulator $Emulator -ClusterId $ClusterId -Name $Name
    }
    finally {
        Set-EmulatorOption -Emulator $Emulator -Option @{ protectedSettingsResponse = 'Null' }
    }
    $map = $stored.properties.configurationProtectedSettings
    if ($null -eq $map) { return @() }
    @($map.PSObject.Properties | ForEach-Object Name | Sort-Object)
}

# Deletes every extension of the clusters at once (forceDelete), finishing running operations first: a clean cluster
# for the next test without starting another emulator.
function Reset-TestExtension {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string[]] $ClusterId)
    Complete-EmulatorOperation -Emulator $Emulator
    foreach ($cluster in $ClusterId) {
        $list = Invoke-EmulatorArm -Emulator $Emulator -Path "$cluster/providers/Microsoft.KubernetesConfiguration/extensions" -ApiVersion $script:ExtensionApiVersion
        foreach ($extension in @($list.value)) {
            $null = Invoke-EmulatorArm -Emulator $Emulator -Method DELETE -Path "$($extension.id)?forceDelete=true" -ApiVersion $script:ExtensionApiVersion
        }
    }
}

<#
.SYNOPSIS
Puts an extension of another type (flux, say) on a cluster, as another tool would.
#>
function New-ForeignExtension {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $ClusterId, [Parameter(Mandatory)] [string] $Name, [string] $ExtensionType = 'microsoft.flux')
    $null = Invoke-EmulatorArm -Emulator $Emulator -Method PUT -Path (Get-ExtensionId -ClusterId $ClusterId -Name $Name) -ApiVersion $script:ExtensionApiVersion `
        -Body @{ properties = @{ extensionType = $ExtensionType; autoUpgradeMinorVersion = $true } }
    Complete-EmulatorOperation -Emulator $Emulator
}

<#
.SYNOPSIS
The connection string of the Azure Relay rule the module made for an Arc extension (the secret it sends as
relayserver.relayConnectionString), read with ARM's listKeys like an admin would.
#>
function Get-RelayConnectionString {
    param([Parameter(Mandatory)] $Emulator)
    $rule = Get-EmulatorRequest -Emulator $Emulator | Where-Object { $_.method -eq 'PUT' -and $_.path -match '/authorizationRules/[^/]+$' } |
        Select-Object -First 1
    if (-not $rule) { throw 'No Relay authorization rule was created.' }
    $keys = Invoke-EmulatorArm -Emulator $Emulator -Method POST -Path "$($rule.path)/listKeys" -ApiVersion '2021-11-01'
    @($keys.primaryConnectionString, $keys.secondaryConnectionString, $keys.primaryKey, $keys.secondaryKey) | Where-Object { $_ }
}

<#
.SYNOPSIS
Calls an emulated cluster's Kubernetes API with the user kubeconfig ARM hands out (listClusterUserCredential), as
kubectl would: -Path is the API path (/apis/apps/v1/namespaces/azureml/deployments/gateway). PATCH sends a JSON merge
patch. Returns the answer, or $null on 404.
#>
function Invoke-ClusterApi {
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $ClusterId,
        [ValidateSet('GET', 'POST', 'PUT', 'PATCH', 'DELETE')] [string] $Method = 'GET',
        [Parameter(Mandatory)] [string] $Path,
        $Body
    )
    if ($ClusterId -match '/Microsoft\.Kubernetes/connectedClusters/') {
        $credential = Invoke-EmulatorArm -Emulator $Emulator -Method POST -Path "$ClusterId/listClusterUserCredential" -ApiVersion '2024-01-01' `
            -Body @{ authenticationMethod = 'Token'; clientProxy = $false }
    }
    else {
        $credential = Invoke-EmulatorArm -Emulator $Emulator -Method POST -Path "$ClusterId/listClusterUserCredential" -ApiVersion '2025-01-01'
    }
    $kubeconfig = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($credential.kubeconfigs[0].value))
    if ($kubeconfig -notmatch "server:\s*'?([^'\r\n]+)'?") { throw 'The kubeconfig names no server.' }
    $server = $Matches[1].TrimEnd('/')
    if ($kubeconfig -notmatch "token:\s*'?([^'\r\n]+)'?") { throw 'The kubeconfig holds no token.' }
    $token = $Matches[1]
    $arguments = @{
        Uri                  = "$server$Path"
        Method               = $Method
        SkipCertificateCheck = $true
        Headers              = @{ Authorization = "Bearer $token" }
        ContentType          = if ($Method -eq 'PATCH') { 'application/merge-patch+json' } else { 'application/json' }
    }
    if ($null -ne $Body) { $arguments.Body = $Body | ConvertTo-Json -Depth 10 -Compress }
    try {
        Invoke-RestMethod @arguments
    }
    catch {
        if ($_.Exception.Response.StatusCode -eq 404) { return $null }
        throw
    }
}

<#
.SYNOPSIS
Creates a Kubernetes object in -Collection (/api/v1/namespaces/azureml/pods, say), or replaces the one of that name
with -Body (kubectl replace): what the object held before is gone.
#>
function Set-ClusterObject {
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $ClusterId,
        [Parameter(Mandatory)] [string] $Collection,
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [hashtable] $Body
    )
    $object = $Body.Clone()
    $object.metadata = if ($Body.ContainsKey('metadata')) { $Body.metadata.Clone() } else { @{} }
    $object.metadata.name = $Name
    if ($null -ne (Invoke-ClusterApi -Emulator $Emulator -ClusterId $ClusterId -Path "$Collection/$Name")) {
        Invoke-ClusterApi -Emulator $Emulator -ClusterId $ClusterId -Method PUT -Path "$Collection/$Name" -Body $object
    }
    else {
        Invoke-ClusterApi -Emulator $Emulator -ClusterId $ClusterId -Method POST -Path $Collection -Body $object
    }
}

<#
.SYNOPSIS
Writes a certificate and its private key as PEM files (made with .NET, like openssl would) and returns their paths.
-NotAfter in the past makes an expired certificate, -KeyPassword an encrypted key, -Rsa an RSA key (EC P-256 else).
#>
function New-TestPemPair {
    param(
        [Parameter(Mandatory)] [string] $Directory,
        [Parameter(Mandatory)] [string] $Name,
        [string] $DnsName = 'ml.contoso.com',
        [DateTimeOffset] $NotBefore = [DateTimeOffset]::UtcNow.AddDays(-1),
        [DateTimeOffset] $NotAfter = [DateTimeOffset]::UtcNow.AddDays(365),
        [switch] $Rsa,
        [string] $KeyPassword
    )
    $null = New-Item -ItemType Directory -Force -Path $Directory
    $hash = [Security.Cryptography.HashAlgorithmName]::SHA256
    if ($Rsa) {
        $key = [Security.Cryptography.RSA]::Create(2048)
        $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$DnsName", $key, $hash, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
    }
    else {
        $key = [Security.Cryptography.ECDsa]::Create([Security.Cryptography.ECCurve]::CreateFromFriendlyName('nistP256'))
        $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new("CN=$DnsName", $key, $hash)
    }
    $san = [Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
    $san.AddDnsName($DnsName)
    $request.CertificateExtensions.Add($san.Build())
    $certificate = $request.CreateSelfSigned($NotBefore, $NotAfter)
    $keyPem = if ($KeyPassword) {
        $pbe = [Security.Cryptography.PbeParameters]::new([Security.Cryptography.PbeEncryptionAlgorithm]::Aes256Cbc, $hash, 1000)
        $key.ExportEncryptedPkcs8PrivateKeyPem($KeyPassword, $pbe)
    }
    else { $key.ExportPkcs8PrivateKeyPem() }
    $certificatePath = Join-Path $Directory "$Name.crt.pem"
    $keyPath = Join-Path $Directory "$Name.key.pem"
    [IO.File]::WriteAllText($certificatePath, $certificate.ExportCertificatePem())
    [IO.File]::WriteAllText($keyPath, $keyPem)
    $certificate.Dispose()
    $key.Dispose()
    [pscustomobject]@{ Certificate = $certificatePath; Key = $keyPath }
}

# The base64 lines of a PEM key file: each is a piece of the secret, and none may show anywhere.
function Get-PemSecretLine {
    param([Parameter(Mandatory)] [string] $Path)
    @(Get-Content -Path $Path | Where-Object { $_.Trim().Length -ge 16 -and -not $_.StartsWith('-----') } | ForEach-Object Trim)
}

<#
.SYNOPSIS
Runs a script block as a user's session would show it and keeps everything apart: Output (objects), Errors, Warnings,
Verbose, Debug, Information (records), Host (what went to the console instead of a stream: -WhatIf lines, the
transcript's text) and Text (all of it as text, for canary checks). Verbose and debug are on and errors continue (a
user's default, whatever the suite's runner set); -WhatIf text lands in Host. A terminating error ends the block and is kept in Terminating.
#>
function Invoke-Captured {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [scriptblock] $ScriptBlock,
        # Skips the transcript (Host stays empty): for the many runs that show nothing on the host.
        [switch] $NoTranscript
    )
    # The preferences must be the caller's: the script block runs in the caller's session state, not this module's.
    $callerVariables = $PSCmdlet.SessionState.PSVariable
    # Errors as a user's session shows them by default (Continue), whatever the suite's runner set.
    $preferences = @{ VerbosePreference = 'Continue'; DebugPreference = 'Continue'; InformationPreference = 'Continue'; ErrorActionPreference = 'Continue' }
    $saved = @{}
    foreach ($name in $preferences.Keys) {
        $saved[$name] = $callerVariables.GetValue($name)
        $callerVariables.Set($name, $preferences[$name])
    }
    $transcript = Join-Path ([IO.Path]::GetTempPath()) "azmlk8s-transcript-$([guid]::NewGuid().ToString('N')).txt"
    if (-not $NoTranscript) { $null = Start-Transcript -Path $transcript }
    $all = [Collections.Generic.List[object]]::new()
    $terminating = $null
    try {
        & $ScriptBlock *>&1 | ForEach-Object { $all.Add($_) }
    }
    catch {
        $terminating = $_
    }
    finally {
        if (-not $NoTranscript) { $null = Stop-Transcript }
        foreach ($name in $saved.Keys) { $callerVariables.Set($name, $saved[$name]) }
    }
    $hostText = ''
    if (-not $NoTranscript) {
        $hostText = Get-Content -Raw -Path $transcript
        Remove-Item -Path $transcript -ErrorAction SilentlyContinue
    }
    $result = [pscustomobject]@{
        Output      = @($all | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] -and $_ -isnot [Management.Automation.WarningRecord] -and
                $_ -isnot [Management.Automation.VerboseRecord] -and $_ -isnot [Management.Automation.DebugRecord] -and $_ -isnot [Management.Automation.InformationRecord] })
        Errors      = @($all | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
        Warnings    = @($all | Where-Object { $_ -is [Management.Automation.WarningRecord] } | ForEach-Object Message)
        Verbose     = @($all | Where-Object { $_ -is [Management.Automation.VerboseRecord] } | ForEach-Object Message)
        Debug       = @($all | Where-Object { $_ -is [Management.Automation.DebugRecord] } | ForEach-Object Message)
        Information = @($all | Where-Object { $_ -is [Management.Automation.InformationRecord] } | ForEach-Object { "$($_.MessageData)" })
        Host        = $hostText
        Terminating = $terminating
        Text        = ''
    }
    $result.Text = @(
        $all | ForEach-Object {
            if ($_ -is [Management.Automation.ErrorRecord]) { "$_ $($_.FullyQualifiedErrorId) $($_.ErrorDetails.Message) $($_.ErrorDetails.RecommendedAction) $($_.Exception)" }
            else { $_ | Out-String -Width 4096 }
        }
        $result.Output | ForEach-Object { $_ | ConvertTo-Json -Depth 6 -WarningAction SilentlyContinue }
        $hostText
        if ($terminating) { "$terminating $($terminating.FullyQualifiedErrorId) $($terminating.Exception)" }
    ) -join "`n"
    $result
}

# The ErrorId of an error record (FullyQualifiedErrorId without the command's name).
function Get-ErrorId {
    param([Parameter(Mandatory, ValueFromPipeline)] [Management.Automation.ErrorRecord] $ErrorRecord)
    process { ($ErrorRecord.FullyQualifiedErrorId -split ',')[0] }
}

Export-ModuleMember -Function @(
    'Start-ExtensionTestEmulator'
    'Set-EmulatorOption'
    'Complete-EmulatorOperation'
    'Get-ExtensionId'
    'Invoke-EmulatorArm'
    'Get-StoredExtension'
    'Get-StoredProtectedSettingKey'
    'Reset-TestExtension'
    'New-ForeignExtension'
    'Get-RelayConnectionString'
    'Invoke-ClusterApi'
    'Set-ClusterObject'
    'New-TestPemPair'
    'Get-PemSecretLine'
    'Invoke-Captured'
    'Get-ErrorId'
)
