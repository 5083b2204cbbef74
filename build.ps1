<#
.SYNOPSIS
    Builds, tests, packages and demonstrates AzMLK8s.

.DESCRIPTION
    Each task runs the dotnet command that does the same without PowerShell, so everything here also works on a
    machine with only the .NET SDK:
      Build    dotnet build AzMLK8s.sln -c <Configuration>      (lays out out/AzMLK8s/<version>/)
      Test     dotnet test AzMLK8s.sln -c <Configuration>
      Package  dotnet build src/AzMLK8s -c <Configuration> -t:Package   (out/AzMLK8s.zip for Azure Automation)
      Demo     dotnet run --project examples/AzMLK8s.Walkthrough -c <Configuration>
    The full CI run (build, tests, script checks) is .ci/run.

.EXAMPLE
    ./build.ps1 -Task Build, Test

.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$commands = @{
    Build   = @('build', 'AzMLK8s.sln', '-c', $Configuration)
    Test    = @('test', 'AzMLK8s.sln', '-c', $Configuration)
    Package = @('build', 'src/AzMLK8s/AzMLK8s.csproj', '-c', $Configuration, '-t:Package')
    Demo    = @('run', '--project', 'examples/AzMLK8s.Walkthrough', '-c', $Configuration)
}

Push-Location -Path $PSScriptRoot
try {
    foreach ($name in $Task) {
        $arguments = $commands[$name]
        Write-Verbose -Message "${name}: dotnet $($arguments -join ' ')"
        & dotnet @arguments
        if ($LASTEXITCODE -ne 0) {
            throw "Task $name failed: dotnet $($arguments -join ' ') exited with code $LASTEXITCODE."
        }
    }
}
finally {
    Pop-Location
}
