# Update: renew the inference certificate and add a node selector on every cluster of a resource group.
# -WhatIf first shows the exact diff (secrets masked); protected settings the extension already has (the Azure
# Relay connection string on Arc) are read again from Azure and sent with the new certificate, so none is lost.
param(
    [Parameter(Mandatory)] [string[]] $ClusterResourceId,
    [Parameter(Mandatory)] [string] $CertificatePath,
    [Parameter(Mandatory)] [string] $KeyPath,
    [switch] $Apply
)

foreach ($id in $ClusterResourceId) {
    $extension = Get-AzMLK8sExtension -ClusterResourceId $id -Name azureml
    if (-not $Apply) {
        $extension | Update-AzMLK8sExtension -SslCertificatePath $CertificatePath -SslKeyPath $KeyPath -WhatIf
        continue
    }

    # A certificate renewal restarts the inference router; -Force answers that question in a script.
    $extension | Update-AzMLK8sExtension -SslCertificatePath $CertificatePath -SslKeyPath $KeyPath -Force
}
