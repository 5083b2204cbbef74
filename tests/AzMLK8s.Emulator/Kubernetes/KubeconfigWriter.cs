using System.Text;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Emulator.Kubernetes;

/// <summary>How the user in a kubeconfig the emulator hands out signs in.</summary>
public enum KubeconfigUserMode
{
    Token,
    ClientCertificate,

    /// <summary>kubelogin exec plugin (client.authentication.k8s.io/v1beta1), as AKS and Arc return for Entra ID.</summary>
    KubeloginExec,

    /// <summary>The legacy 'azure' auth-provider (AKS format=azure).</summary>
    AzureAuthProvider,
}

/// <summary>
/// Writes the kubeconfig that listClusterUserCredential returns: the emulator's /k8s/... address for the cluster,
/// the emulator's server certificate as certificate-authority-data, and the chosen kind of user credentials.
/// Names follow AKS: context = cluster name, user = clusterUser_{resourceGroup}_{cluster}.
/// </summary>
public static class KubeconfigWriter
{
    public static string Write(EmulatedCluster cluster, Uri baseAddress, string serverCertificatePem, KubeconfigUserMode mode, string tenantId)
    {
        var server = new Uri(baseAddress, cluster.KubernetesApiPath).AbsoluteUri;
        var userName = $"clusterUser_{cluster.ResourceGroup}_{cluster.Name}";
        var yaml = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("clusters:")
            .AppendLine($"- name: {Quote(cluster.Name)}")
            .AppendLine("  cluster:")
            .AppendLine($"    server: {Quote(server)}")
            .AppendLine($"    certificate-authority-data: {Base64(serverCertificatePem)}")
            .AppendLine("contexts:")
            .AppendLine($"- name: {Quote(cluster.Name)}")
            .AppendLine("  context:")
            .AppendLine($"    cluster: {Quote(cluster.Name)}")
            .AppendLine($"    user: {Quote(userName)}")
            .AppendLine($"current-context: {Quote(cluster.Name)}")
            .AppendLine("preferences: {}")
            .AppendLine("users:")
            .AppendLine($"- name: {Quote(userName)}")
            .AppendLine("  user:");
        var access = cluster.Kubernetes.Access;
        switch (mode)
        {
            case KubeconfigUserMode.Token:
                yaml.AppendLine($"    token: {Quote(access.UserToken)}");
                break;
            case KubeconfigUserMode.ClientCertificate:
                yaml.AppendLine($"    client-certificate-data: {Base64(access.UserClientCertificate.CertificatePem)}")
                    .AppendLine($"    client-key-data: {Base64(access.UserClientCertificate.PrivateKeyPem)}");
                break;
            case KubeconfigUserMode.KubeloginExec:
                yaml.AppendLine("    exec:")
                    .AppendLine("      apiVersion: client.authentication.k8s.io/v1beta1")
                    .AppendLine("      command: kubelogin")
                    .AppendLine("      args:")
                    .AppendLine("      - get-token")
                    .AppendLine("      - --environment")
                    .AppendLine("      - AzurePublicCloud")
                    .AppendLine("      - --server-id")
                    .AppendLine($"      - {ClusterAccess.AksServerApplicationId}")
                    .AppendLine("      - --client-id")
                    .AppendLine("      - 80faf920-1908-4b52-b5ef-a8e7bedfc67a")
                    .AppendLine("      - --tenant-id")
                    .AppendLine($"      - {Quote(tenantId)}")
                    .AppendLine("      - --login")
                    .AppendLine("      - devicecode")
                    .AppendLine("      env: null")
                    .AppendLine("      installHint: |")
                    .AppendLine("        kubelogin is not installed which is required to connect to AAD enabled cluster.")
                    .AppendLine("        To learn more, please go to https://aka.ms/aks/kubelogin")
                    .AppendLine("      provideClusterInfo: false");
                break;
            case KubeconfigUserMode.AzureAuthProvider:
                yaml.AppendLine("    auth-provider:")
                    .AppendLine("      name: azure")
                    .AppendLine("      config:")
                    .AppendLine($"        apiserver-id: {ClusterAccess.AksServerApplicationId}")
                    .AppendLine("        client-id: 80faf920-1908-4b52-b5ef-a8e7bedfc67a")
                    .AppendLine("        config-mode: '1'")
                    .AppendLine("        environment: AzurePublicCloud")
                    .AppendLine($"        tenant-id: {Quote(tenantId)}");
                break;
        }

        return yaml.ToString();
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Quote(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
}
