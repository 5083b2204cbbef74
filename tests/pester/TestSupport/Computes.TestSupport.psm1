# What the compute and role suites share (ComputeAttach*, ComputeGetAndDetach, ComputeRoles, WorkspaceIdentityRoles):
# the seeded resources' ids, the AzureML extension installed as a user installs it, role assignments made by hand
# (as an admin would in the portal) and read back from the emulator's ARM API, request counts per route, and the
# host text of a command (-WhatIf lines) through Start-Transcript. Nothing here imitates PowerShell.
Set-StrictMode -Version Latest

$script:AuthorizationApiVersion = '2022-04-01'
$script:RelayApiVersion = '2021-11-01'

<#
.SYNOPSIS
The ids of the emulator's default seed: clusters, workspaces ws-demo (system-assigned) and ws-uai (user-assigned
id-demo), the identity and its principal, registry acrdemo, storage stdemo, and the Relay namespace the suites add.
#>
function Get-TestId {
    param([Parameter(Mandatory)] $Emulator)
    $group = "/subscriptions/$($Emulator.SubscriptionId)/resourceGroups/$($Emulator.ResourceGroup)"
    [pscustomobject]@{
        ResourceGroup       = $group
        Aks                 = $Emulator.ClusterId['aks-demo']
        Arc                 = $Emulator.ClusterId['arc-demo']
        Workspace           = "$group/providers/Microsoft.MachineLearningServices/workspaces/ws-demo"
        UaiWorkspace        = "$group/providers/Microsoft.MachineLearningServices/workspaces/ws-uai"
        Identity            = "$group/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-demo"
        IdentityPrincipalId = '11111111-0000-0000-0000-00000000d001'
        Registry            = "$group/providers/Microsoft.ContainerRegistry/registries/acrdemo"
        Storage             = "$group/providers/Microsoft.Storage/storageAccounts/stdemo"
        Relay               = "$group/providers/Microsoft.Relay/namespaces/arcdemo00000000000000000000000000000001rgdemorelay"
    }
}

<#
.SYNOPSIS
Makes extension and compute operations finish at their first poll, which the module sends at once (Retry-After: 0):
the suites wait on real operations without waiting 5 s (the module's interval when no Retry-After comes) for each.
#>
function Set-TestFastOperation {
    param([Parameter(Mandatory)] $Emulator)
    $null = Invoke-EmulatorControl -Emulator $Emulator -Method PATCH -Path options -Body @{ operationMs = 0; retryAfterSeconds = 0; registrationMs = 0 }
}

# Installs the AzureML extension as a user does (training unless told otherwise) and waits until it Succeeded.
function Install-TestAzureML {
    param(
        [Parameter(Mandatory)] [string] $ClusterResourceId,
        [hashtable] $ConfigurationSetting,
        [switch] $InferenceOnly
    )
    $arguments = @{ ClusterResourceId = $ClusterResourceId; ErrorAction = 'Stop'; WarningAction = 'SilentlyContinue' }
    if ($InferenceOnly) { $arguments.EnableInference = $true; $arguments.AllowInsecureConnection = $true } else { $arguments.EnableTraining = $true }
    if ($ConfigurationSetting) { $arguments.ConfigurationSetting = $ConfigurationSetting }
    $null = New-AzMLK8sExtension @arguments
}

# The Relay namespace an Arc cluster's inference uses, under the name the Azure CLI gives it, created through ARM.
function New-TestRelayNamespace {
    param([Parameter(Mandatory)] $Emulator)
    $id = (Get-TestId -Emulator $Emulator).Relay
    $null = Invoke-TestArm -Emulator $Emulator -Method PUT -Path "$($id)?api-version=$script:RelayApiVersion" -Body @{ location = 'eastus'; properties = @{} }
    $id
}

# Adds one AKS cluster (a fleet cluster named <prefix>-000, two nodes, in rg-demo) and returns its id.
function Add-TestCluster {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Prefix)
    Invoke-EmulatorControl -Emulator $Emulator -Method POST -Path "fleet?count=1&kind=Managed&prefix=$Prefix" | ForEach-Object { $_ } | Select-Object -First 1
}

# A call of the emulator's ARM API with the suite's token, as a user's own REST call would make it.
function Invoke-TestArm {
    param(
        [Parameter(Mandatory)] $Emulator,
        [ValidateSet('GET', 'PUT', 'DELETE')] [string] $Method = 'GET',
        [Parameter(Mandatory)] [string] $Path,
        $Body
    )
    $arguments = @{
        Uri                  = "$($Emulator.BaseAddress)$Path"
        Method               = $Method
        SkipCertificateCheck = $true
        Headers              = @{ Authorization = "Bearer $(Get-CanaryToken)" }
        ContentType          = 'application/json'
    }
    if ($null -ne $Body) { $arguments.Body = $Body | ConvertTo-Json -Depth 10 -Compress }
    Invoke-RestMethod @arguments
}

# A role definition's GUID by its display name ('Owner', 'Azure Relay Owner', ...), read from the emulator.
function Get-TestRoleGuid {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $RoleName)
    $filter = [uri]::EscapeDataString("roleName eq '$RoleName'")
    $found = Invoke-TestArm -Emulator $Emulator -Path "/subscriptions/$($Emulator.SubscriptionId)/providers/Microsoft.Authorization/roleDefinitions?api-version=$script:AuthorizationApiVersion&`$filter=$filter"
    $definition = @($found.value) | Select-Object -First 1
    if (-not $definition) { throw "The emulator has no role named '$RoleName'." }
    $definition.name
}

<#
.SYNOPSIS
Assigns a role by hand through ARM (a GUID name of its own, not the module's), as an admin in the portal would.
Returns the assignment's name. The principal defaults to the ws-uai workspace's identity (id-demo).
#>
function Add-TestRoleAssignment {
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $RoleName,
        [Parameter(Mandatory)] [string] $Scope,
        [string] $PrincipalId = (Get-TestId -Emulator $Emulator).IdentityPrincipalId
    )
    $name = [guid]::NewGuid().ToString()
    $roleId = "/subscriptions/$($Emulator.SubscriptionId)/providers/Microsoft.Authorization/roleDefinitions/$(Get-TestRoleGuid -Emulator $Emulator -RoleName $RoleName)"
    $null = Invoke-TestArm -Emulator $Emulator -Method PUT -Path "$Scope/providers/Microsoft.Authorization/roleAssignments/$($name)?api-version=$script:AuthorizationApiVersion" `
        -Body @{ properties = @{ roleDefinitionId = $roleId; principalId = $PrincipalId; principalType = 'ServicePrincipal' } }
    $name
}

# The role assignments a principal holds at a scope exactly, as ARM lists them.
function Get-TestRoleAssignment {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Scope, [Parameter(Mandatory)] [string] $PrincipalId)
    $filter = [uri]::EscapeDataString("principalId eq '$PrincipalId'")
    $listed = Invoke-TestArm -Emulator $Emulator -Path "$Scope/providers/Microsoft.Authorization/roleAssignments?api-version=$script:AuthorizationApiVersion&`$filter=$filter"
    @($listed.value) | Where-Object { $_.properties.scope -eq $Scope }
}

# How many requests of one operation (route) the emulator answered since request number -Since.
function Get-EmulatorRouteCount {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Route, [string] $Method, [int] $Since = 0)
    @(Get-EmulatorRequest -Emulator $Emulator -Since $Since | Where-Object { $_.route -eq $Route -and (-not $Method -or $_.method -eq $Method) }).Count
}

# The error a command raised when run with -ErrorAction Stop; fails when it raised none.
function Get-RaisedError {
    param([Parameter(Mandatory)] [scriptblock] $Command)
    try {
        $null = & $Command
    }
    catch {
        return $_
    }
    throw 'The command raised no error.'
}

<#
.SYNOPSIS
Runs a script block under Start-Transcript and returns what it output (Output) and what the host showed (Host):
-WhatIf's "What if:" lines go to the host, not to a stream.
#>
function Invoke-WithTranscript {
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $path = Join-Path ([System.IO.Path]::GetTempPath()) "azmlk8s-transcript-$([guid]::NewGuid().ToString('N')).txt"
    Start-Transcript -Path $path | Out-Null
    try {
        $output = & $ScriptBlock
    }
    finally {
        Stop-Transcript | Out-Null
    }
    $text = Get-Content -Raw $path
    Remove-Item $path -ErrorAction SilentlyContinue
    [pscustomobject]@{ Output = $output; Host = $text }
}

Export-ModuleMember -Function @(
    'Get-TestId', 'Set-TestFastOperation', 'Install-TestAzureML', 'Add-TestCluster', 'New-TestRelayNamespace',
    'Invoke-TestArm', 'Get-TestRoleGuid', 'Add-TestRoleAssignment', 'Get-TestRoleAssignment',
    'Get-EmulatorRouteCount', 'Get-RaisedError', 'Invoke-WithTranscript'
)
