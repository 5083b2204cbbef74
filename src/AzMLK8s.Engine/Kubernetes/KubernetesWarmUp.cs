using AzMLK8s.Engine.Kubernetes.Transport;
using AzMLK8s.Model;
using k8s;
using k8s.Exceptions;

namespace AzMLK8s.Engine.Kubernetes;

/// <summary>
/// Builds a KubernetesClient once on a thread-pool thread while the operation still talks to Azure (the cluster's
/// credential, its checks): what the library loads and builds on first use (its configuration and client types, the
/// handler chain) is most of a cold process's first cluster call. At most once per process; a failure here changes
/// nothing (the real connection does the same work and reports its own errors).
/// </summary>
public static class KubernetesWarmUp
{
    private static int _started;

    // A kubeconfig as Azure hands one out (cluster, context, token user), for the client's types; never connected to.
    private const string SampleKubeconfig = """
        { apiVersion: v1, kind: Config, current-context: w,
          clusters: [{ name: w, cluster: { server: "https://127.0.0.1:1", insecure-skip-tls-verify: true, proxy-url: "http://127.0.0.1:2" } }],
          contexts: [{ name: w, context: { cluster: w, user: w } }], users: [{ name: w, user: { token: not-a-token } }] }
        """;

    /// <summary>Starts the warm-up unless it ran already; returns at once.</summary>
    public static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = Task.Run(() =>
            {
                try
                {
                    PrepareClient().Dispose();
                }
                catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ModuleErrorException or KubeConfigException)
                {
                    // Only a head start.
                }
            });
        }
    }

    /// <summary>Builds the library's configuration and client from the sample kubeconfig, as a connection does; the client has not connected.</summary>
    internal static k8s.Kubernetes PrepareClient()
    {
        var kubeconfig = KubeconfigFiles.Parse(SampleKubeconfig, "the warm-up sample", directory: null);
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig.Config, kubeconfig.Config.CurrentContext);
        return new k8s.Kubernetes(configuration, [new KubernetesTransportHandler(new KubernetesClientOptions(), credential: null)]);
    }
}
