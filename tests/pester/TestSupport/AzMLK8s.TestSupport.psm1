# What the Pester suites share: the built module, an emulator process per suite, sign-in, the emulator's control API,
# child pwsh processes (for -NonInteractive and closed standard input), and canary checks.
# Every suite imports this module in BeforeAll; nothing here imitates PowerShell, it only arranges and observes.
Set-StrictMode -Version Latest

$script:RepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../..'))
$script:Configuration = if ($env:AZMLK8S_CONFIGURATION) { $env:AZMLK8S_CONFIGURATION } else { 'Release' }

function Get-RepoRoot { $script:RepoRoot }

function Get-ModuleVersion {
    $props = Get-Content -Raw (Join-Path $script:RepoRoot 'Directory.Build.props')
    if ($props -notmatch '<ModuleVersion>([^<]+)</ModuleVersion>') { throw 'Directory.Build.props has no ModuleVersion.' }
    $Matches[1]
}

# The manifest of the built module folder, exactly the files users get.
function Get-BuiltModulePath {
    $path = Join-Path $script:RepoRoot "out/AzMLK8s/$(Get-ModuleVersion)/AzMLK8s.psd1"
    if (-not (Test-Path $path)) { throw "The module is not built: $path is missing. Run 'dotnet build AzMLK8s.sln -c Release' first." }
    $path
}

function Import-BuiltModule {
    Import-Module (Get-BuiltModulePath) -Force -Global -ErrorAction Stop
}

<#
.SYNOPSIS
Starts the emulator in a process of its own and waits until it listens. Returns an object with BaseAddress,
Thumbprint, SubscriptionId, ResourceGroup, ClusterId (a hashtable name -> id) and Process.
#>
function Start-TestEmulator {
    param(
        # Extra command-line options (--fault, --fleet, --operation-ms, ...).
        [string[]] $ArgumentList = @(),
        # How long extension and compute operations run; short keeps the suites fast.
        [int] $OperationMilliseconds = 300
    )

    $dll = Join-Path $script:RepoRoot "tests/AzMLK8s.Emulator/bin/$script:Configuration/net10.0/AzMLK8s.Emulator.dll"
    if (-not (Test-Path $dll)) { throw "The emulator is not built: $dll is missing. Run 'dotnet build AzMLK8s.sln -c $script:Configuration' first." }

    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($dll, '--port', '0', '--operation-ms', "$OperationMilliseconds") + $ArgumentList) {
        $start.ArgumentList.Add($argument)
    }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)

    $baseAddress = $null
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while (-not $baseAddress) {
        $line = $process.StandardOutput.ReadLineAsync()
        if (-not $line.Wait([Math]::Max(0, ($deadline - [DateTime]::UtcNow).TotalMilliseconds)) -or $null -eq $line.Result) {
            $errorText = if ($process.HasExited) { $process.StandardError.ReadToEnd() } else { '' }
            Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
            throw "The emulator did not start. $errorText"
        }
        if ($line.Result -match 'listening on (https://\S+)') { $baseAddress = $Matches[1] }
    }

    # Nobody reads the rest of its output; drain it so a full pipe never blocks the emulator.
    $null = $process.StandardOutput.ReadToEndAsync()
    $null = $process.StandardError.ReadToEndAsync()

    $info = Invoke-RestMethod -Uri "$baseAddress/_emulator/info" -SkipCertificateCheck
    $clusterId = @{}
    foreach ($id in $info.clusters) { $clusterId[($id -split '/')[-1]] = $id }
    [pscustomobject]@{
        PSTypeName     = 'AzMLK8s.TestEmulator'
        BaseAddress    = $baseAddress
        Thumbprint     = $info.thumbprint
        SubscriptionId = $info.subscriptionId
        ResourceGroup  = $info.resourceGroup
        TenantId       = $info.tenantId
        ClusterId      = $clusterId
        Process        = $process
    }
}

function Stop-TestEmulator {
    param([Parameter(ValueFromPipeline)] $Emulator)
    process {
        if ($Emulator -and -not $Emulator.Process.HasExited) {
            $Emulator.Process.Kill($true)
            $null = $Emulator.Process.WaitForExit(10000)
        }
    }
}

# The token the suites sign in with: a canary, so any stream or file that shows it fails a test.
$script:CanaryToken = 'canary-token-7f3a9c1e-DO-NOT-PRINT'

function Get-CanaryToken { $script:CanaryToken }

<#
.SYNOPSIS
Signs the current session in to the emulator as a user would: Set-AzMLK8sContext with the endpoint, the pinned
certificate and an access token (the canary).
#>
function Connect-TestEmulator {
    param(
        [Parameter(Mandatory)] $Emulator,
        [string] $Token = $script:CanaryToken
    )
    $secure = ConvertTo-SecureString $Token -AsPlainText -Force
    Set-AzMLK8sContext -ArmEndpoint $Emulator.BaseAddress -TrustedCertificateThumbprint $Emulator.Thumbprint `
        -SubscriptionId $Emulator.SubscriptionId -AuthMethod AccessToken -AccessToken $secure
}

# The lines a script puts before its own to sign in to the emulator in another process.
function Get-TestEmulatorSignIn {
    param([Parameter(Mandatory)] $Emulator)
    @"
Import-Module '$(Get-BuiltModulePath)' -ErrorAction Stop
`$null = Set-AzMLK8sContext -ArmEndpoint '$($Emulator.BaseAddress)' -TrustedCertificateThumbprint '$($Emulator.Thumbprint)' ``
    -SubscriptionId '$($Emulator.SubscriptionId)' -AuthMethod AccessToken -AccessToken (ConvertTo-SecureString '$script:CanaryToken' -AsPlainText -Force)
"@
}

<#
.SYNOPSIS
Calls the emulator's control API (/_emulator/...): requests, faults, operations/complete, fleet, options.
#>
function Invoke-EmulatorControl {
    param(
        [Parameter(Mandatory)] $Emulator,
        [ValidateSet('GET', 'POST', 'PATCH', 'DELETE')] [string] $Method = 'GET',
        [Parameter(Mandatory)] [string] $Path,
        $Body
    )
    $arguments = @{ Uri = "$($Emulator.BaseAddress)/_emulator/$Path"; Method = $Method; SkipCertificateCheck = $true }
    if ($null -ne $Body) {
        $arguments.Body = if ($Body -is [string]) { $Body } else { $Body | ConvertTo-Json -Compress }
    }
    Invoke-RestMethod @arguments
}

# The requests the emulator answered, oldest first (method, path, route, status, ...). -Since skips the first N.
function Get-EmulatorRequest {
    param([Parameter(Mandatory)] $Emulator, [int] $Since = 0)
    # Invoke-RestMethod writes a JSON array as one object: unroll it, one request per pipeline object (else
    # Get-EmulatorWrite's Where-Object saw one array and found no write at all).
    Invoke-EmulatorControl -Emulator $Emulator -Path "requests?since=$Since" | ForEach-Object { $_ }
}

function Get-EmulatorRequestCount {
    param([Parameter(Mandatory)] $Emulator)
    @(Get-EmulatorRequest -Emulator $Emulator).Count
}

# The requests that change something: ARM writes and Kubernetes writes. ARM's POST actions that only read
# (list credentials, list keys, Log Analytics sharedKeys) do not count.
function Get-EmulatorWrite {
    param([Parameter(Mandatory)] $Emulator, [int] $Since = 0)
    Get-EmulatorRequest -Emulator $Emulator -Since $Since | Where-Object {
        $_.method -in 'PUT', 'PATCH', 'DELETE' -or ($_.method -eq 'POST' -and $_.path -notmatch '/(list[A-Za-z]*|sharedKeys)$')
    }
}

# Reads an ARM resource from the emulator as a user's own REST call would (the state, not the module's view of it).
function Get-EmulatorResource {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $ResourceId, [Parameter(Mandatory)] [string] $ApiVersion)
    try {
        Invoke-RestMethod -Uri "$($Emulator.BaseAddress)$($ResourceId)?api-version=$ApiVersion" -SkipCertificateCheck `
            -Headers @{ Authorization = "Bearer $script:CanaryToken" }
    }
    catch {
        if ($_.Exception.Response.StatusCode -eq 404) { return $null }
        throw
    }
}

<#
.SYNOPSIS
Sends an ARM request to the emulator as another client (the Azure CLI, a portal, a template) would: the plain REST
call with the canary token, the api-version it pins and a JSON body. Returns the status code and the parsed body;
it never throws on an HTTP error.
#>
function Invoke-EmulatorArm {
    param(
        [Parameter(Mandatory)] $Emulator,
        [ValidateSet('GET', 'PUT', 'POST', 'PATCH', 'DELETE')] [string] $Method = 'GET',
        [Parameter(Mandatory)] [string] $ResourceId,
        [Parameter(Mandatory)] [string] $ApiVersion,
        $Body
    )
    $arguments = @{
        Uri = "$($Emulator.BaseAddress)$($ResourceId)?api-version=$ApiVersion"; Method = $Method; SkipCertificateCheck = $true
        Headers = @{ Authorization = "Bearer $script:CanaryToken" }; SkipHttpErrorCheck = $true; StatusCodeVariable = 'status'
        ContentType = 'application/json'
    }
    if ($null -ne $Body) { $arguments.Body = if ($Body -is [string]) { $Body } else { $Body | ConvertTo-Json -Depth 10 -Compress } }
    $result = Invoke-RestMethod @arguments
    [pscustomobject]@{ StatusCode = [int]$status; Body = $result }
}

<#
.SYNOPSIS
Adds a cluster to the emulator in any subscription and resource group (control API); returns its resource id.
#>
function Add-EmulatorCluster {
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $Name,
        [string] $SubscriptionId,
        [string] $ResourceGroup,
        [ValidateSet('Managed', 'Connected')] [string] $Kind = 'Connected',
        [int] $Nodes = 3
    )
    $query = "name=$([uri]::EscapeDataString($Name))&kind=$Kind&nodes=$Nodes"
    if ($SubscriptionId) { $query += "&subscription=$([uri]::EscapeDataString($SubscriptionId))" }
    if ($ResourceGroup) { $query += "&resourceGroup=$([uri]::EscapeDataString($ResourceGroup))" }
    (Invoke-EmulatorControl -Emulator $Emulator -Method POST -Path "clusters?$query").id
}

<#
.SYNOPSIS
Runs a script in a fresh pwsh process (the same pwsh as the suite's) and returns ExitCode, Output (stdout) and
Error (stderr). -NonInteractive passes pwsh's switch; standard input is always closed at once (end of file), as in a
runbook or CI job.
#>
function Invoke-Pwsh {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [switch] $NonInteractive,
        [int] $TimeoutSeconds = 120
    )
    $pwsh = (Get-Process -Id $PID).Path
    $start = [System.Diagnostics.ProcessStartInfo]::new($pwsh)
    # The script goes in a file, run with -File as a user runs a script (-Command and -EncodedCommand would make pwsh
    # answer its caller in CliXml).
    $file = Join-Path ([IO.Path]::GetTempPath()) "azmlk8s-test-$([guid]::NewGuid().ToString('n')).ps1"
    Set-Content -Path $file -Value ("`$PSStyle.OutputRendering = 'PlainText'`n" + $Script) -Encoding utf8
    $pwshArguments = @('-NoProfile', '-NoLogo')
    if ($NonInteractive) { $pwshArguments += '-NonInteractive' }
    $pwshArguments += '-File', $file
    # Run as a .NET tool, pwsh is dotnet running pwsh.dll: start the same.
    if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') {
        $start.ArgumentList.Add([System.Reflection.Assembly]::GetEntryAssembly().Location)
    }
    foreach ($argument in $pwshArguments) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $start.Environment['NO_COLOR'] = '1'
    $process = [System.Diagnostics.Process]::Start($start)
    $process.StandardInput.Close()
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
        $process.Kill($true)
        throw "pwsh did not finish within $TimeoutSeconds s. Output so far: $($stdout.Result)"
    }
    $process.WaitForExit()
    Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Error = $stderr.Result }
}

<#
.SYNOPSIS
Fails when any of the given texts (streams, files, serialized objects) contains a canary secret.
#>
function Assert-NoCanary {
    param(
        [Parameter(Mandatory, ValueFromPipeline)] [AllowEmptyString()] [AllowNull()] $Text,
        [string[]] $Canary = @($script:CanaryToken)
    )
    process {
        $value = if ($null -eq $Text) { '' } elseif ($Text -is [string]) { $Text } else { $Text | Out-String -Width 4096 }
        foreach ($secret in $Canary) {
            if ($value.Contains($secret)) { throw "A canary secret leaked: '$secret' appears in: $($value.Substring(0, [Math]::Min(400, $value.Length)))" }
        }
    }
}

<#
.SYNOPSIS
Writes a kubeconfig whose API server nobody answers (a private cluster seen from outside) and returns its path.
#>
function New-UnreachableKubeconfig {
    param([Parameter(Mandatory)] [string] $Path)
    # A port that was free a moment ago: connecting to it is refused at once, so no test waits on a timeout.
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    Set-Content -LiteralPath $Path -Value @"
apiVersion: v1
kind: Config
clusters:
- name: private
  cluster:
    server: https://127.0.0.1:$port
    insecure-skip-tls-verify: true
users:
- name: someone
  user:
    token: not-a-real-token
contexts:
- name: private
  context:
    cluster: private
    user: someone
current-context: private
"@
    $Path
}

Export-ModuleMember -Function @(
    'Get-RepoRoot', 'Get-ModuleVersion', 'Get-BuiltModulePath', 'Import-BuiltModule', 'Start-TestEmulator',
    'Stop-TestEmulator', 'Get-CanaryToken', 'Connect-TestEmulator', 'Get-TestEmulatorSignIn',
    'Invoke-EmulatorControl', 'Get-EmulatorRequest', 'Get-EmulatorRequestCount', 'Get-EmulatorWrite',
    'Get-EmulatorResource', 'Invoke-EmulatorArm', 'Add-EmulatorCluster', 'Invoke-Pwsh', 'Assert-NoCanary',
    'New-UnreachableKubeconfig'
)
