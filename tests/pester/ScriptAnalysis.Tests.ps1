#Requires -Version 7.4
# Every PowerShell file of the repository (.ps1, .psm1, .psd1; not out/, bin/, obj/) parses with PowerShell's own
# parser, and every call of one of this module's cmdlets binds as PowerShell binds it: the command exists, and each
# named parameter is a parameter, an alias or an unambiguous prefix of one (PowerShell's StaticParameterBinder against
# the imported module). A call named like the module's cmdlets that names none of them is a typo.
# Not checked: parameters passed by splatting (@params), which only binding at run time sees; the examples run for
# real in Examples.Tests.ps1.

BeforeDiscovery {
    $root = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    $skip = [regex] '[\\/](out|bin|obj|node_modules|\.git)[\\/]'
    $script:ScriptFiles = Get-ChildItem -Path $root -Recurse -File -Include *.ps1, *.psm1, *.psd1 |
        Where-Object { -not $skip.IsMatch($_.FullName.Substring($root.Length)) -and $_.FullName -notmatch 'ScriptAnalysis\.Tests\.ps1$' } |
        ForEach-Object { @{ Path = $_.FullName; Name = [IO.Path]::GetRelativePath($root, $_.FullName) } } |
        Sort-Object { $_.Name }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:ModuleCommands = @(Get-Command -Module AzMLK8s | ForEach-Object Name)

    # Names like the module's cmdlets: Verb-AzMLK8s..., Verb-AzML...Role.
    $script:ModuleLikeName = [regex] '^[A-Za-z]+-AzML(K8s[A-Za-z]*|[A-Za-z]*Role)$'

    function Get-EditDistance([string] $a, [string] $b) {
        $a = $a.ToLowerInvariant(); $b = $b.ToLowerInvariant()
        $previous = 0..$b.Length
        for ($i = 1; $i -le $a.Length; $i++) {
            $current = @($i) + (@(0) * $b.Length)
            for ($j = 1; $j -le $b.Length; $j++) {
                $cost = [int]($a[$i - 1] -ne $b[$j - 1])
                $current[$j] = [Math]::Min([Math]::Min($current[$j - 1] + 1, $previous[$j] + 1), $previous[$j - 1] + $cost)
            }
            $previous = $current
        }
        $previous[$b.Length]
    }

    # The problems of the module-cmdlet calls in one parsed file, as "line: text".
    function Get-CallProblem([System.Management.Automation.Language.Ast] $Ast) {
        $calls = $Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)
        foreach ($call in $calls) {
            $name = $call.GetCommandName()
            if (-not $name) { continue }
            $known = $ModuleCommands -contains $name
            $nearMiss = $ModuleCommands | Where-Object { (Get-EditDistance $_ $name) -le 2 }
            if (-not $known) {
                if ($ModuleLikeName.IsMatch($name) -or $nearMiss) {
                    "$($call.Extent.StartLineNumber): '$name' is not a command of AzMLK8s$(if ($nearMiss) { " (did you mean $($nearMiss -join ', ')?)" })"
                }
                continue
            }

            $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($call, $true)
            foreach ($failure in $binding.BindingExceptions.GetEnumerator()) {
                $exception = $failure.Value.BindingException
                # A positional argument a parameter set may still take is not wrong here; a named one that matches no
                # parameter, or matches several, is.
                if ($exception.ErrorId -in 'NamedParameterNotFound', 'AmbiguousParameter', 'ParameterAlreadyBound') {
                    "$($call.Extent.StartLineNumber): $name -$($failure.Key): $($exception.Message)"
                }
            }
        }
    }
}

Describe '<Name>' -ForEach $ScriptFiles {
    It 'parses without errors' {
        $errors = $null
        $null = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $null, [ref] $errors)
        $errors | ForEach-Object { "$($_.Extent.StartLineNumber):$($_.Extent.StartColumnNumber): $($_.Message)" } | Should -BeNullOrEmpty
    }

    It "calls this module's cmdlets only with parameters they have" {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $null, [ref] $null)
        Get-CallProblem $ast | Should -BeNullOrEmpty
    }
}

Describe 'The call check itself' {
    It 'finds an unknown parameter, a typo in a cmdlet name and an ambiguous prefix, and passes good calls' {
        $sample = @'
New-AzMLK8sExtension -ClusterResourceId $id -EnableTrainin -NoSuchParameter 1
Conect-AzMLK8sCompute -Name x
Get-AzMLK8sCompute -W ws -ResourceGroupName rg
Get-AzMLK8sExtension -ClusterResourceId $id
New-AzMLK8sExtension -ClusterResourceId $id -EnableTraining -WhatIf
'@
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($sample, [ref] $null, [ref] $null)

        $problems = @(Get-CallProblem $ast)

        $problems | Should -HaveCount 3
        $problems[0] | Should -Match '^1: New-AzMLK8sExtension -NoSuchParameter'
        $problems[1] | Should -Match "^2: 'Conect-AzMLK8sCompute' is not a command of AzMLK8s \(did you mean Connect-AzMLK8sCompute\?\)"
        $problems[2] | Should -Match '^3: Get-AzMLK8sCompute -W: .*ambiguous'
    }
}
