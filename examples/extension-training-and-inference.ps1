# Seed scenario: training and inference on the same cluster, with the components on labelled nodes.
# Running the script again changes nothing: the installed extension is returned without a write.
param(
    [Parameter(Mandatory)] [string] $ClusterResourceId,
    [Parameter(Mandatory)] [string] $CertificatePath,
    [Parameter(Mandatory)] [string] $KeyPath,
    [Parameter(Mandatory)] [string] $Cname,
    [string] $NodePool = 'ml'
)

New-AzMLK8sExtension -ClusterResourceId $ClusterResourceId -EnableTraining -EnableInference `
    -SslCertificatePath $CertificatePath -SslKeyPath $KeyPath -SslCname $Cname `
    -NodeSelector @{ agentpool = $NodePool } `
    -ConfigurationSetting @{ clusterPurpose = 'FastProd' } -ErrorAction Stop |
    Test-AzMLK8sExtension -Wait -TimeoutSeconds 900
