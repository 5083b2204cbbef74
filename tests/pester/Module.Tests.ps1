#Requires -Version 7.4
# The module as PowerShell reads it: the manifest (Test-ModuleManifest, Import-PowerShellDataFile), what it exports,
# the format views PowerShell loaded from it, and the about topic. Files and assemblies of the built folder are
# checked by xunit (tests/AzMLK8s.Tests/Module).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/AzMLK8s.TestSupport.psm1') -Force
    $script:BuiltManifest = Get-BuiltModulePath
    $script:Template = Import-PowerShellDataFile (Join-Path (Get-RepoRoot) 'AzMLK8s.psd1')
    $script:Built = Import-PowerShellDataFile $BuiltManifest
    Import-BuiltModule
    $script:Commands = @(Get-Command -Module AzMLK8s)
    $script:OutputTypes = $Commands.OutputType.Type | Sort-Object FullName -Unique
}

Describe 'The manifest' {
    It 'passes Test-ModuleManifest and carries the version from Directory.Build.props' {
        $manifest = Test-ModuleManifest -Path $BuiltManifest -ErrorAction Stop

        $manifest.Version | Should -Be ([version](Get-ModuleVersion))
        $Template.ModuleVersion | Should -Be '{{ModuleVersion}}' -Because 'the version lives in one place'
    }

    It 'targets PowerShell 7.4 on Core and loads the cmdlet assembly' {
        $Built.RootModule | Should -Be 'AzMLK8s.dll'
        $Built.CompatiblePSEditions | Should -Be @('Core')
        $Built.PowerShellVersion | Should -Be '7.4'
        [guid]$Built.GUID | Should -Not -Be ([guid]::Empty)
        foreach ($field in 'Author', 'CompanyName', 'Copyright', 'Description') {
            $Built[$field] | Should -Not -BeNullOrEmpty -Because "$field is shown by the Gallery"
        }
    }

    It 'exports exactly the cmdlets of AzMLK8s.dll, no wildcard, no function, variable or alias' {
        $inDll = @((Get-Module AzMLK8s).ExportedCmdlets.Keys)

        @($Built.CmdletsToExport) | Sort-Object | Should -Be ($inDll | Sort-Object)
        $Built.CmdletsToExport | Should -Not -Match '\*'
        @($Built.FunctionsToExport) | Should -HaveCount 0
        @($Built.VariablesToExport) | Should -HaveCount 0
        @($Built.AliasesToExport) | Should -HaveCount 0
        (Get-Module AzMLK8s).ExportedCommands.Count | Should -Be 16
    }

    It 'lists every format file that ships, and only those' {
        $shipped = Get-ChildItem (Join-Path (Get-RepoRoot) 'module') -Filter *.ps1xml | ForEach-Object Name
        @($Built.FormatsToProcess) + @($Built.TypesToProcess) | Where-Object { $_ } | Sort-Object | Should -Be ($shipped | Sort-Object)
    }

    It 'carries the Gallery tags and https links' {
        $data = $Built.PrivateData.PSData
        $data.Tags | Should -Be @('PSEdition_Core', 'Windows', 'Linux', 'MacOS', 'Azure', 'AzureML', 'Kubernetes', 'AKS', 'Arc')
        $data.Tags | Should -Not -Match '\s'
        ([uri]$data.ProjectUri).Scheme | Should -Be 'https'
        ([uri]$data.LicenseUri).Scheme | Should -Be 'https'
        $data.ReleaseNotes | Should -Not -BeNullOrEmpty
    }
}

Describe 'The format views' {
    It 'PowerShell loaded a table view for every output type of every cmdlet' {
        foreach ($type in $OutputTypes) {
            $data = Get-FormatData -TypeName $type.FullName
            $data | Should -Not -BeNullOrEmpty -Because "$($type.FullName) is an output type"
            $data.FormatViewDefinition.Control | Where-Object { $_ -is [System.Management.Automation.TableControl] } |
                Should -Not -BeNullOrEmpty -Because "$($type.FullName) is shown as a table"
        }
    }

    It 'every column of every view names a property of its type, with a header per column' {
        $data = Get-FormatData -TypeName 'AzMLK8s.Model.*'
        $data | Should -Not -BeNullOrEmpty
        foreach ($typeData in $data) {
            # An output type, or a type it carries (the findings of a health report).
            $type = $typeData.TypeNames[0] -as [type]
            $type | Should -Not -BeNullOrEmpty -Because "the view of $($typeData.TypeNames[0]) must show a type of the module"
            foreach ($table in $typeData.FormatViewDefinition.Control) {
                $columns = $table.Rows[0].Columns
                $table.Headers.Count | Should -Be $columns.Count
                foreach ($column in $columns | Where-Object { $_.DisplayEntry.ValueType -eq 'Property' }) {
                    $type.GetProperty($column.DisplayEntry.Value) | Should -Not -BeNullOrEmpty -Because "$($type.Name) must have $($column.DisplayEntry.Value)"
                }
            }
        }
    }

    It 'views are named after their type, so Format-Table -View finds them' {
        foreach ($typeData in Get-FormatData -TypeName 'AzMLK8s.Model.*') {
            $typeData.FormatViewDefinition.Name | Should -Contain $typeData.TypeNames[0]
        }
    }
}

Describe 'about_AzMLK8s' {
    BeforeAll {
        $script:AboutPath = Join-Path (Split-Path -Parent $BuiltManifest) 'en-US/about_AzMLK8s.help.txt'
    }

    It 'is what Get-Help about_AzMLK8s shows, and names every cmdlet' {
        $help = Get-Help about_AzMLK8s | Out-String
        $help | Should -Match 'about_AzMLK8s'
        foreach ($command in $Commands) {
            $help | Should -Match ([regex]::Escape($command.Name)) -Because 'the about topic lists every cmdlet'
        }
    }

    It 'has the standard sections, ASCII only, prose within 80 columns' {
        $lines = Get-Content $AboutPath
        $lines[0] | Should -Be 'TOPIC'
        $lines[1] | Should -Be '    about_AzMLK8s'
        foreach ($section in 'SHORT DESCRIPTION', 'LONG DESCRIPTION', 'SEE ALSO') { $lines | Should -Contain $section }
        $lines | Where-Object { $_.Length -gt 80 -and $_.TrimStart() -notlike 'https://*' } | Should -BeNullOrEmpty
        $lines | Where-Object { $_ -match '[^\x00-\x7F]' } | Should -BeNullOrEmpty
    }
}
