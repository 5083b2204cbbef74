# Seed scenario: training only, on an AKS or Azure Arc cluster.
# Installs the AzureML extension for training jobs and waits until it has Succeeded.
param(
    [Parameter(Mandatory)] [string] $ResourceGroupName,
    [Parameter(Mandatory)] [string] $ClusterName,
    [ValidateSet('Aks', 'Arc')] [string] $ClusterType = 'Aks'
)

$extension = New-AzMLK8sExtension -ClusterName $ClusterName -ResourceGroupName $ResourceGroupName -ClusterType $ClusterType `
    -EnableTraining -InstallNvidiaDevicePlugin -ErrorAction Stop
$extension
