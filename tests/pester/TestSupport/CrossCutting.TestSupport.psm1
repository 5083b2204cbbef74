# Helpers of the suites about what every cmdlet shares (fleet pipelines, parameter binding, conventions) and of the
# prerequisite, OpenShift and context suites: fleet clusters, cluster kubeconfigs and the emulator's certificate as a
# user would get them, and what PowerShell's own parameter binder did (Trace-Command ParameterBinding).
# Nothing here imitates PowerShell; it arranges and observes. Used next to AzMLK8s.TestSupport.psm1.
Set-StrictMode -Version Latest

<#
.SYNOPSIS
Adds AKS (Managed) or Arc (Connected) clusters <Prefix>-000... to the emulator and writes their resource ids one by one.
#>
function Add-TestFleet {
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [int] $Count,
        [ValidateSet('Managed', 'Connected')] [string] $Kind = 'Managed',
        [string] $Prefix = 'fleet'
    )
    $ids = Invoke-RestMethod -Method POST -SkipCertificateCheck -Uri "$($Emulator.BaseAddress)/_emulator/fleet?count=$Count&kind=$Kind&prefix=$Prefix"
    # Invoke-RestMethod writes the JSON array as one object; write its ids one by one.
    foreach ($id in $ids) { $id }
}

<#
.SYNOPSIS
Pipeline inputs for the fleet cmdlets: one object per cluster id with a ClusterResourceId property, which the cmdlets
bind by property name (as they bind Get-AzMLK8sExtension's output).
#>
function ConvertTo-ClusterInput {
    param([Parameter(Mandatory, ValueFromPipeline)] [string] $ClusterResourceId)
    process { [pscustomobject]@{ ClusterResourceId = $ClusterResourceId } }
}

<#
.SYNOPSIS
Fetches a cluster's user kubeconfig from the emulator's ARM listClusterUserCredential, as `az aks get-credentials`
does, saves it to -Path and returns the path and the credential it holds (the secret that must never show).
#>
function Save-TestKubeconfig {
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $ClusterResourceId,
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [string] $ArmToken
    )
    $apiVersion = if ($ClusterResourceId -match '/connectedClusters/') { '2024-01-01' } else { '2024-05-01' }
    $arguments = @{
        Method               = 'POST'
        SkipCertificateCheck = $true
        Uri                  = "$($Emulator.BaseAddress)$ClusterResourceId/listClusterUserCredential?api-version=$apiVersion"
        Headers              = @{ Authorization = "Bearer $ArmToken" }
        ContentType          = 'application/json'
    }
    if ($ClusterResourceId -match '/connectedClusters/') {
        $arguments.Body = '{"authenticationMethod":"Token","clientProxy":false}'
    }
    $answer = Invoke-RestMethod @arguments
    $yaml = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($answer.kubeconfigs[0].value))
    Set-Content -LiteralPath $Path -Value $yaml -NoNewline
    $secret = if ($yaml -match '(?m)^\s+token:\s*[''"]?([^''"\r\n]+)') { $Matches[1] }
    elseif ($yaml -match '(?m)^\s+client-key-data:\s*(\S+)') { $Matches[1] }
    else { throw "The kubeconfig of $ClusterResourceId holds neither a token nor a client key." }
    $server = if ($yaml -match '(?m)^\s+server:\s*[''"]?([^''"\r\n]+)') { $Matches[1] }
    [pscustomobject]@{ Path = $Path; Secret = $secret; Server = $server }
}

<#
.SYNOPSIS
Calls the Kubernetes API of an emulated cluster with a kubeconfig's token (reads the cluster's state as kubectl would).
#>
function Invoke-TestKubernetesApi {
    param(
        [Parameter(Mandatory)] $Kubeconfig,
        [Parameter(Mandatory)] [string] $ApiPath
    )
    Invoke-RestMethod -SkipCertificateCheck -Uri ($Kubeconfig.Server.TrimEnd('/') + $ApiPath) -Headers @{ Authorization = "Bearer $($Kubeconfig.Secret)" }
}

<#
.SYNOPSIS
The emulator's server certificate as PEM, read from a TLS handshake (what a user pins with -TrustedCertificatePath).
#>
function Get-TestServerCertificatePem {
    param([Parameter(Mandatory)] $Emulator)
    $uri = [uri]$Emulator.BaseAddress
    $tcp = [System.Net.Sockets.TcpClient]::new($uri.Host, $uri.Port)
    try {
        $tls = [System.Net.Security.SslStream]::new($tcp.GetStream(), $false, { $true })
        try {
            $tls.AuthenticateAsClient($uri.Host)
            [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($tls.RemoteCertificate).ExportCertificatePem()
        }
        finally { $tls.Dispose() }
    }
    finally { $tcp.Dispose() }
}

<#
.SYNOPSIS
Runs -ScriptBlock under Trace-Command ParameterBinding and returns, for each pipeline object PowerShell bound to
-CommandName, the object's type and the parameters it bound from it with how (ValueFromPipeline or
ValueFromPipelineByPropertyName). The script block's own output is discarded; keep it in a variable inside it.
#>
function Get-PipelineBinding {
    param(
        [Parameter(Mandatory)] [string] $CommandName,
        [Parameter(Mandatory)] [scriptblock] $ScriptBlock
    )
    $file = [System.IO.Path]::GetTempFileName()
    try {
        $null = Trace-Command -Name ParameterBinding -FilePath $file -Expression $ScriptBlock
        $lines = [System.IO.File]::ReadAllLines($file)
    }
    finally {
        Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
    }

    # The trace indents nested steps: a pipeline object bound while the upstream command runs is indented under it,
    # so a binding ends at the next line indented no deeper than its own header.
    $current = $null
    $headerIndent = 0
    $pendingMode = @{}
    foreach ($line in $lines) {
        $text = $line -replace '^ParameterBinding Information: 0 : ', ''
        $indent = $text.Length - $text.TrimStart().Length
        $step = $text.Trim()
        if ($current -and $indent -le $headerIndent) {
            $current
            $current = $null
        }
        if ($step -match '^BIND PIPELINE object to parameters: \[(.+)\]$') {
            if ($Matches[1] -eq $CommandName) {
                $current = [pscustomobject]@{ InputType = $null; Bound = [ordered]@{} }
                $headerIndent = $indent
                $pendingMode = @{}
            }
            continue
        }
        if (-not $current) { continue }
        if ($step -match '^PIPELINE object TYPE = \[(.+)\]$') {
            $current.InputType = $Matches[1]
        }
        elseif ($step -match '^Parameter \[(\w+)\] PIPELINE INPUT (ValueFromPipeline\w*) ') {
            $pendingMode[$Matches[1]] = $Matches[2]
        }
        elseif ($step -match 'to param \[(\w+)\] SUCCESSFUL$') {
            $current.Bound[$Matches[1]] = $pendingMode[$Matches[1]]
        }
    }
    if ($current) { $current }
}

<#
.SYNOPSIS
The parameter sets of -CommandName that hold every one of -Parameter: the sets PowerShell can still choose once those
parameters are bound (a parameter in every set leaves all of them).
#>
function Get-ParameterSetOf {
    param(
        [Parameter(Mandatory)] [string] $CommandName,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Parameter
    )
    $command = Get-Command -Name $CommandName -CommandType Cmdlet
    @($command.ParameterSets | Where-Object {
            $names = $_.Parameters.Name
            @($Parameter | Where-Object { $_ -notin $names }).Count -eq 0
        } | ForEach-Object Name)
}

<#
.SYNOPSIS
Runs -ScriptBlock with a transcript and returns what it wrote (Output) and what the host showed (Transcript: -WhatIf
lines, Write-Host, the streams shown on the console).
#>
function Invoke-Transcribed {
    param(
        [Parameter(Mandatory)] [scriptblock] $ScriptBlock,
        [Parameter(Mandatory)] [string] $Path
    )
    Start-Transcript -Path $Path -Force | Out-Null
    try {
        $output = & $ScriptBlock
    }
    finally {
        Stop-Transcript | Out-Null
    }
    [pscustomobject]@{ Output = $output; Transcript = (Get-Content -Raw -LiteralPath $Path) }
}

$exported = 'Add-TestFleet', 'ConvertTo-ClusterInput', 'Save-TestKubeconfig', 'Invoke-TestKubernetesApi', 'Get-TestServerCertificatePem',
'Get-PipelineBinding', 'Get-ParameterSetOf', 'Invoke-Transcribed'
Export-ModuleMember -Function $exported
