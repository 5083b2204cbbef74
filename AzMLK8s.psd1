#
# AzMLK8s module manifest. The copy at the repository root is the template: the build (build/Module.targets)
# writes out/AzMLK8s/<version>/AzMLK8s.psd1 from it with ModuleVersion taken from Directory.Build.props.
# CmdletsToExport is explicit: tests/AzMLK8s.Tests/Module/ManifestTests keeps it equal to the cmdlets in AzMLK8s.dll.
#
@{
    RootModule           = 'AzMLK8s.dll'
    ModuleVersion        = '{{ModuleVersion}}'
    GUID                 = '7cb3b280-1537-4b19-8948-e681c1d71047'
    Author               = 'AzMLK8s contributors'
    CompanyName          = 'AzMLK8s contributors'
    Copyright            = '(c) AzMLK8s contributors. MIT License.'
    Description          = 'Puts Azure Machine Learning on Kubernetes: deploys and operates the Microsoft.AzureML.Kubernetes extension on AKS and Azure Arc clusters, attaches them to Azure ML workspaces as Kubernetes computes, and grants the roles involved. Checks settings before anything is sent to Azure, supports -WhatIf, and keeps its Azure SDK dependencies in their own load context.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'

    FormatsToProcess     = @('AzMLK8s.Format.ps1xml')
    TypesToProcess       = @()

    # One name a line, sorted; add each cmdlet here when it lands in AzMLK8s.dll.
    CmdletsToExport      = @(
        'Connect-AzMLK8sCompute'
        'Disconnect-AzMLK8sCompute'
        'Get-AzMLK8sCompute'
        'Get-AzMLK8sContext'
        'Get-AzMLK8sExtension'
        'Grant-AzMLComputeRole'
        'Grant-AzMLK8sOpenShiftAccess'
        'Grant-AzMLWorkspaceIdentityRole'
        'New-AzMLK8sExtension'
        'Register-AzMLK8sPrerequisite'
        'Remove-AzMLK8sExtension'
        'Revoke-AzMLComputeRole'
        'Set-AzMLK8sContext'
        'Test-AzMLK8sExtension'
        'Test-AzMLK8sPrerequisite'
        'Update-AzMLK8sExtension'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('PSEdition_Core', 'Windows', 'Linux', 'MacOS', 'Azure', 'AzureML', 'Kubernetes', 'AKS', 'Arc')
            ProjectUri   = 'https://github.com/AzMLK8s/AzMLK8s'
            LicenseUri   = 'https://github.com/AzMLK8s/AzMLK8s/blob/main/LICENSE'
            ReleaseNotes = 'First release: deploy, update, test and remove the AzureML extension on AKS and Arc; attach clusters to workspaces as Kubernetes computes; grant compute and workspace identity roles; check and register prerequisites; OpenShift SCC grants. Settings checked before anything is sent; -WhatIf everywhere; Azure SDK dependencies isolated in their own load context.'
        }
    }
}
