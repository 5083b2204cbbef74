#Requires -Version 7.4
# Get-Help as a new user meets it: every cmdlet has its full help (synopsis, description, parameters, inputs, outputs,
# notes, examples, related links) from en-US/AzMLK8s.dll-Help.xml; every parameter has a description; the syntax and
# parameter metadata of the help agree with Get-Command; defaults agree with the cmdlet classes; HelpUri points at the
# cmdlet's docs page; and every help example runs against the emulator in a fresh signed-in session.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:CommandNames = @(Get-Command -Module AzMLK8s | ForEach-Object Name | Sort-Object)
    $script:ExampleCases = foreach ($name in $CommandNames) {
        $index = 0
        foreach ($example in (Get-Help $name -Examples).examples.example) {
            $index++
            @{ Command = $name; Index = $index; Title = $example.title.Trim(' -') }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    Import-BuiltModule
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $script:ProjectUri = (Import-PowerShellDataFile (Join-Path (Get-RepoRoot) 'AzMLK8s.psd1')).PrivateData.PSData.ProjectUri

    # The text of a help element (a para list, a description) as one string.
    function Get-HelpText($Element) {
        if ($null -eq $Element) { return '' }
        (@($Element) | ForEach-Object { if ($_.Text) { $_.Text } elseif ($_ -is [string]) { $_ } }) -join "`n"
    }

    # The parameters a user documents: the cmdlet's own and WhatIf/Confirm, never the common ones.
    function Get-DocumentedParameter([string] $Name) {
        (Get-Command $Name).Parameters.Values | Where-Object { $_.Name -notin [System.Management.Automation.PSCmdlet]::CommonParameters }
    }
}

Describe 'Get-Help <_> -Full' -ForEach $CommandNames {
    BeforeAll {
        $script:Name = $_
        $script:Help = Get-Help $Name -Full
    }

    It 'has a synopsis and a description' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match ([regex]::Escape($Name)) -Because 'without help, the synopsis is only the syntax'
        Get-HelpText $Help.description | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter, with its type, and only parameters the cmdlet has' {
        $documented = @($Help.parameters.parameter | ForEach-Object name)
        $actual = @(Get-DocumentedParameter $Name | ForEach-Object Name)
        $documented | Sort-Object | Should -Be ($actual | Sort-Object)
        foreach ($parameter in $Help.parameters.parameter) {
            Get-HelpText $parameter.description | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) needs a description"
            $parameter.type.name | Should -Not -BeNullOrEmpty
        }
    }

    It 'names its typed inputs and outputs' {
        $inputs = @($Help.inputTypes.inputType)
        $inputs | Should -Not -BeNullOrEmpty
        foreach ($type in $inputs) { $type.type.name | Should -Not -BeNullOrEmpty; Get-HelpText $type.description | Should -Not -BeNullOrEmpty }

        $outputs = @($Help.returnValues.returnValue | ForEach-Object { $_.type.name })
        $declared = @((Get-Command $Name).OutputType.Type.FullName)
        $outputs | Should -Be $declared
        foreach ($type in $Help.returnValues.returnValue) { Get-HelpText $type.description | Should -Not -BeNullOrEmpty }
    }

    It 'has notes, at least two examples with code and remarks, and related links' {
        Get-HelpText $Help.alertSet.alert | Should -Not -BeNullOrEmpty
        $examples = @($Help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code | Should -Match ([regex]::Escape($Name)) -Because "$($example.title) shows the cmdlet"
            Get-HelpText $example.remarks | Should -Not -BeNullOrEmpty
        }
        @($Help.relatedLinks.navigationLink).Count | Should -BeGreaterOrEqual 2
    }

    It 'has a HelpUri at the project''s docs page of the cmdlet, which is also its online link' {
        $command = Get-Command $Name
        $expected = "$ProjectUri/blob/main/docs/help/$Name.md"
        $command.HelpUri | Should -Be $expected
        [uri]::IsWellFormedUriString($command.HelpUri, 'Absolute') | Should -BeTrue
        ([uri]$command.HelpUri).Scheme | Should -Be 'https'
        Test-Path (Join-Path (Get-RepoRoot) "docs/help/$Name.md") | Should -BeTrue
        @($Help.relatedLinks.navigationLink)[0].uri | Should -Be $expected
    }

    It 'shows the syntax Get-Command has: each parameter set with its parameters, mandatory ones and positions' {
        $command = Get-Command $Name
        $items = @($Help.syntax.syntaxItem)
        $items.Count | Should -Be $command.ParameterSets.Count
        foreach ($set in $command.ParameterSets) {
            $expected = @($set.Parameters | Where-Object { $_.Name -notin [System.Management.Automation.PSCmdlet]::CommonParameters })
            $names = @($expected.Name | Sort-Object)
            $item = $items | Where-Object { (@($_.parameter.name | Sort-Object) -join ',') -eq ($names -join ',') } | Select-Object -First 1
            $item | Should -Not -BeNullOrEmpty -Because "set $($set.Name) ($($names -join ', ')) must have a syntax item"
            foreach ($parameter in $expected) {
                $shown = $item.parameter | Where-Object name -eq $parameter.Name
                $shown.required | Should -Be ([string]$parameter.IsMandatory).ToLowerInvariant() -Because "-$($parameter.Name) in set $($set.Name)"
                $position = if ($parameter.Position -ge 0) { "$($parameter.Position)" } else { 'named' }
                $shown.position | Should -Be $position -Because "-$($parameter.Name) in set $($set.Name)"
                $pipeline = if ($parameter.ValueFromPipeline -and $parameter.ValueFromPipelineByPropertyName) { 'True (ByPropertyName, ByValue)' }
                elseif ($parameter.ValueFromPipeline) { 'True (ByValue)' } elseif ($parameter.ValueFromPipelineByPropertyName) { 'True (ByPropertyName)' } else { 'False' }
                $shown.pipelineInput | Should -Be $pipeline -Because "-$($parameter.Name) in set $($set.Name)"
            }
        }
    }

    It 'gives each parameter its aliases, type and accepted values as Get-Command has them' {
        foreach ($parameter in Get-DocumentedParameter $Name) {
            $shown = $Help.parameters.parameter | Where-Object name -eq $parameter.Name
            $aliases = if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }
            $shown.aliases | Should -Be $aliases -Because "-$($parameter.Name)"
            $type = if ($parameter.ParameterType.IsGenericType -and $parameter.ParameterType.GetGenericTypeDefinition() -eq [Nullable`1]) { $parameter.ParameterType.GenericTypeArguments[0] } else { $parameter.ParameterType }
            $shown.type.name | Should -Be $type.FullName -Because "-$($parameter.Name)"
            $accepted = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object ValidValues)
            if (-not $accepted -and $type.IsEnum) { $accepted = [enum]::GetNames($type) }
            foreach ($value in $accepted) {
                Get-HelpText $shown.description | Should -Match "Accepted values: .*\b$value\b" -Because "-$($parameter.Name) accepts $value"
            }
        }
    }

    It 'gives each parameter the default the cmdlet has' {
        $instance = New-Object ((Get-Command $Name).ImplementingType)
        foreach ($parameter in Get-DocumentedParameter $Name | Where-Object Name -notin 'WhatIf', 'Confirm') {
            $value = $instance.($parameter.Name)
            $alwaysGiven = -not ($parameter.ParameterSets.Values | Where-Object { -not $_.IsMandatory })
            $expected = if ($alwaysGiven) { 'None' }
            elseif ($value -is [System.Management.Automation.SwitchParameter]) { "$($value.IsPresent)" }
            elseif ($null -eq $value -or "$value" -eq '') { 'None' } else { "$value" }
            $shown = ($Help.parameters.parameter | Where-Object name -eq $parameter.Name).defaultValue
            $shown | Should -Be $expected -Because "-$($parameter.Name) defaults to $expected in the cmdlet"
        }
    }
}

Describe 'Get-Help <_> -Parameter' -ForEach $CommandNames {
    It 'describes every parameter of <_>' {
        foreach ($parameter in Get-DocumentedParameter $_) {
            $help = Get-Help $_ -Parameter $parameter.Name
            Get-HelpText $help.description | Should -Not -BeNullOrEmpty -Because "Get-Help $_ -Parameter $($parameter.Name)"
        }
    }
}

Describe 'Help examples' {
    BeforeAll {
        $script:Emulator = Start-TestEmulator -OperationMilliseconds 100
        $script:SignIn = Get-TestEmulatorSignIn -Emulator $Emulator
        # As for a user who installed the module: examples that start a new runspace import it by name.
        $script:SavedModulePath = $env:PSModulePath
        $env:PSModulePath = (Join-Path (Get-RepoRoot) 'out') + [IO.Path]::PathSeparator + $env:PSModulePath

        # The files a user has at hand in the examples' folder: PEM certificates and keys for scoring.contoso.com.
        $script:WorkDir = Join-Path $TestDrive 'work'
        $null = New-Item -ItemType Directory -Path (Join-Path $WorkDir 'certs')
        foreach ($pair in 'scoring', 'scoring-2027') {
            $rsa = [Security.Cryptography.RSA]::Create(2048)
            $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=scoring.contoso.com', $rsa,
                [Security.Cryptography.HashAlgorithmName]::SHA256, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
            $names = [Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
            $names.AddDnsName('scoring.contoso.com')
            $names.AddDnsName('scoring.internal.contoso.com')
            $request.CertificateExtensions.Add($names.Build())
            $certificate = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(400))
            Set-Content -Path (Join-Path $WorkDir "certs/$pair.pem") -Value $certificate.ExportCertificatePem() -NoNewline
            Set-Content -Path (Join-Path $WorkDir "certs/$pair-key.pem") -Value $rsa.ExportPkcs8PrivateKeyPem() -NoNewline
        }

        # The setup blocks (```powershell setup) of a cmdlet's examples in its markdown, by example number.
        function Get-ExampleSetup([string] $Command, [int] $Index) {
            $markdown = Get-Content -Raw (Join-Path (Get-RepoRoot) "docs/help/$Command.md")
            $examples = ($markdown -split '(?m)^## EXAMPLES')[1] -split '(?m)^## ' | Select-Object -First 1
            $sections = $examples -split '(?m)^### Example \d+' | Select-Object -Skip 1
            $setup = [regex]::Matches($sections[$Index - 1], '(?ms)^```powershell setup\r?\n(.*?)^```') | ForEach-Object { $_.Groups[1].Value }
            $setup -join "`n"
        }

        # Runs one example in a fresh session (a new runspace) signed in to the emulator, after resetting the emulator
        # to its default seed and running the example's setup. Returns its output and errors.
        function Invoke-HelpExample([string] $Setup, [string] $Code) {
            $null = Invoke-EmulatorControl -Emulator $Emulator -Method POST -Path reset
            $runspace = [runspacefactory]::CreateRunspace()
            $runspace.Open()
            $shell = [powershell]::Create($runspace)
            try {
                $script = @"
$SignIn
Set-Location -LiteralPath '$WorkDir'
& { `$ErrorActionPreference = 'Stop'
$Setup
} | Out-Null
`$Error.Clear()
`$PSStyle.OutputRendering = 'PlainText'
& {
$Code
} | Out-String -Width 200
"@
                $output = $shell.AddScript($script).Invoke() -join "`n"
                [pscustomobject]@{
                    Output = $output
                    Errors = @($shell.Streams.Error | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" })
                    Failed = $shell.HadErrors
                }
            }
            finally {
                $shell.Dispose()
                $runspace.Dispose()
            }
        }
    }

    AfterAll {
        $env:PSModulePath = $script:SavedModulePath
        $script:Emulator | Stop-TestEmulator
    }

    It '<Command> example <Index> (<Title>) runs against the emulator without an error' -ForEach $ExampleCases {
        $code = @((Get-Help $Command -Examples).examples.example)[$Index - 1].code
        $setup = Get-ExampleSetup $Command $Index

        $run = Invoke-HelpExample -Setup $setup -Code $code

        $run.Errors | Should -BeNullOrEmpty -Because $run.Output
        $run.Failed | Should -BeFalse -Because $run.Output
        $run.Output | Assert-NoCanary
    }
}
