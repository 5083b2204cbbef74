# Health check: every AzureML extension of the given clusters, with the failing findings and their fixes.
# Without -KubeconfigPath the cluster's API is reached with the user kubeconfig Azure hands out.
param(
    [Parameter(Mandatory)] [string[]] $ClusterResourceId,
    [string] $KubeconfigPath
)

foreach ($id in $ClusterResourceId) {
    foreach ($extension in Get-AzMLK8sExtension -ClusterResourceId $id) {
        if ($KubeconfigPath) {
            $report = $extension | Test-AzMLK8sExtension -KubeconfigPath $KubeconfigPath
        }
        else {
            $report = $extension | Test-AzMLK8sExtension
        }

        Write-Output $report
        $failing = @($report.Findings | Where-Object { $_.Status -ne 'Pass' })
        Write-Output $failing
    }
}
