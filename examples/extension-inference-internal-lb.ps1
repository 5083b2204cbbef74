# Seed scenario: inference on an Azure internal load balancer (private endpoint on AKS), HTTPS with a
# certificate kept in a Kubernetes secret of the azureml namespace.
param(
    [Parameter(Mandatory)] [string] $ClusterResourceId,
    [Parameter(Mandatory)] [string] $SslSecretName,
    [Parameter(Mandatory)] [string] $Cname
)

New-AzMLK8sExtension -ClusterResourceId $ClusterResourceId -EnableInference -InternalLoadBalancer `
    -SslSecretName $SslSecretName -SslCname $Cname -ErrorAction Stop
