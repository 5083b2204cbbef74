#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester suites (tests/pester/*.Tests.ps1) against the built module and writes NUnit XML results.

.DESCRIPTION
    The suites import the built module folder (out/AzMLK8s/<version>/) and start an emulator process each, so build
    first: dotnet build AzMLK8s.sln -c Release. `dotnet test AzMLK8s.sln` runs every suite through this script (the
    tests/AzMLK8s.Pester project); run it directly to try one suite:

        dotnet tool run pwsh -NoProfile -File tests/pester/Invoke-PesterSuite.ps1 -Path tests/pester/Context.Tests.ps1

    Pester comes from the NuGet cache, where the restore of tests/AzMLK8s.Pester put it (PackageDownload); its
    version is PesterVersion in Directory.Packages.props.
#>
[CmdletBinding()]
param(
    # Suite files or folders; default: every suite.
    [string[]] $Path = @((Join-Path $PSScriptRoot '*.Tests.ps1')),

    # Where the NUnit XML report goes; none when empty.
    [string] $ResultPath,

    # Pester.psd1 to import; default: the pinned version in the NuGet cache.
    [string] $PesterPath,

    # Runs only the tests whose full name matches one of these wildcards ("Describe Context It").
    [string[]] $FullNameFilter,

    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Output = 'Detailed'
)

$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'

if (-not $PesterPath) {
    $props = Get-Content -Raw (Join-Path $PSScriptRoot '../../Directory.Packages.props')
    if ($props -notmatch '<PesterVersion>([^<]+)</PesterVersion>') { throw 'Directory.Packages.props has no PesterVersion.' }
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $PesterPath = Join-Path $packages "pester/$($Matches[1])/tools/Pester.psd1"
}
if (-not (Test-Path $PesterPath)) {
    throw "Pester is not at $PesterPath. Run 'dotnet restore AzMLK8s.sln' (tests/AzMLK8s.Pester downloads it)."
}
Import-Module $PesterPath -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = $Output
$configuration.Should.ErrorAction = 'Continue'
if ($FullNameFilter) { $configuration.Filter.FullName = $FullNameFilter }
if ($ResultPath) {
    $null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $ResultPath)
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputFormat = 'NUnitXml'
    $configuration.TestResult.OutputPath = $ResultPath
}

$result = Invoke-Pester -Configuration $configuration
"Pester: $($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped, " +
"$($result.NotRunCount) not run; containers failed: $($result.FailedContainersCount)"
foreach ($test in $result.Failed) {
    "FAILED: $($test.ExpandedPath)"
    foreach ($record in $test.ErrorRecord) { "  $($record.Exception.Message)" }
}
foreach ($container in $result.FailedContainers) {
    "FAILED CONTAINER: $($container.Item)"
    foreach ($record in $container.ErrorRecord) { "  $($record.Exception.Message)" }
}
exit ([int]($result.FailedCount -gt 0 -or $result.FailedContainersCount -gt 0 -or $result.PassedCount -eq 0))
