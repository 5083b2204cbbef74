# Seed scenario: inference behind a public Azure load balancer, over HTTPS with your certificate.
# The PEM files are read and checked locally (pair, expiry, names, no passphrase); only their content is sent,
# as protected settings.
param(
    [Parameter(Mandatory)] [string] $ClusterResourceId,
    [Parameter(Mandatory)] [string] $CertificatePath,
    [Parameter(Mandatory)] [string] $KeyPath,
    [Parameter(Mandatory)] [string] $Cname
)

New-AzMLK8sExtension -ClusterResourceId $ClusterResourceId -EnableInference `
    -InferenceRouterServiceType LoadBalancer `
    -SslCertificatePath $CertificatePath -SslKeyPath $KeyPath -SslCname $Cname -ErrorAction Stop
