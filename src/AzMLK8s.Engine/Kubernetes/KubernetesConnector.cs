using Azure.Core;
using AzMLK8s.Engine.Kubernetes.Kubeconfig;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Engine.Kubernetes;

/// <summary>Creates a <see cref="KubernetesClient"/> from a kubeconfig: a file, the KUBECONFIG variable, or bytes.</summary>
public static class KubernetesConnector
{
    /// <summary>
    /// Connects through a kubeconfig file, or, when <paramref name="kubeconfigPath"/> is null or empty, through the
    /// files of the KUBECONFIG environment variable (merged like kubectl) or ~/.kube/config.
    /// </summary>
    /// <param name="context">A context name; null uses the kubeconfig's current-context.</param>
    public static KubernetesClient FromKubeconfigFile(string? kubeconfigPath, string? context, ICmdletHost host, KubernetesClientOptions? options = null)
    {
        var kubeconfig = string.IsNullOrEmpty(kubeconfigPath)
            ? KubeconfigReader.ReadFromEnvironment(
                Environment.GetEnvironmentVariable(KubeconfigReader.EnvironmentVariable),
                Environment.GetFolderPath(Environment.SpecialFolder.UserProfile))
            : KubeconfigReader.ReadFile(kubeconfigPath);
        return Connect(kubeconfig, context, host, options, azureCredential: null);
    }

    /// <summary>Connects through a kubeconfig held in memory (for example one returned by Azure).</summary>
    /// <param name="source">Where it came from, for messages (never its content).</param>
    public static KubernetesClient FromKubeconfig(byte[] kubeconfig, string source, string? context, ICmdletHost host, KubernetesClientOptions? options = null) =>
        Connect(KubeconfigReader.Read(kubeconfig, source), context, host, options, azureCredential: null);

    /// <summary>
    /// As <see cref="FromKubeconfig"/>, and a user that signs in with kubelogin or the 'azure' auth-provider gets its
    /// token from <paramref name="azureCredential"/> instead.
    /// </summary>
    internal static KubernetesClient FromKubeconfig(byte[] kubeconfig, string source, string? context, ICmdletHost host, KubernetesClientOptions? options, TokenCredential? azureCredential) =>
        Connect(KubeconfigReader.Read(kubeconfig, source), context, host, options, azureCredential);

    private static KubernetesClient Connect(Kubeconfig.Kubeconfig kubeconfig, string? context, ICmdletHost host, KubernetesClientOptions? options, TokenCredential? azureCredential)
    {
        options ??= new KubernetesClientOptions();
        var connection = KubeconfigResolver.Resolve(kubeconfig, context, options, host, azureCredential);
        return new KubernetesClient(connection, options);
    }
}
