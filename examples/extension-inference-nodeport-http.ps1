# Seed scenarios: inference through a NodePort service, and plain HTTP for a test cluster.
# HTTP needs -AllowInsecureConnection (a warning says what it means); never use it for production endpoints.
param(
    [Parameter(Mandatory)] [string] $ClusterResourceId,
    [switch] $Http,
    [string] $CertificatePath,
    [string] $KeyPath,
    [string] $Cname
)

if ($Http) {
    New-AzMLK8sExtension -ClusterResourceId $ClusterResourceId -EnableInference `
        -InferenceRouterServiceType NodePort -AllowInsecureConnection -ErrorAction Stop
}
else {
    New-AzMLK8sExtension -ClusterResourceId $ClusterResourceId -EnableInference `
        -InferenceRouterServiceType NodePort `
        -SslCertificatePath $CertificatePath -SslKeyPath $KeyPath -SslCname $Cname -ErrorAction Stop
}
