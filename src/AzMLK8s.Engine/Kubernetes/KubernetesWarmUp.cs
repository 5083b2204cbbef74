using AzMLK8s.Engine.Kubernetes.Models;
using AzMLK8s.Engine.Kubernetes.Transport;
using AzMLK8s.Model;
using k8s;
using k8s.Exceptions;
using k8s.Models;

namespace AzMLK8s.Engine.Kubernetes;

/// <summary>What an operation will read from a cluster, for <see cref="KubernetesWarmUp.Start"/>.</summary>
[Flags]
public enum KubernetesReads
{
    /// <summary>The server version that proves the API answers, a namespace, a Status error: every operation's.</summary>
    Connection = 1,
    Nodes = 2,

    /// <summary>Deployments and DaemonSets, metadata only (<see cref="KubernetesClient.ListWorkloadNamesAsync"/>).</summary>
    WorkloadNames = 4,

    /// <summary>Deployments, DaemonSets and StatefulSets whole, with their pod templates.</summary>
    Workloads = 8,
    Pods = 16,
}

/// <summary>
/// Prepares KubernetesClient's first call on thread-pool threads while the operation still talks to Azure (the
/// cluster's credential, its checks). What the library builds on first use is most of a cold process's first cluster
/// call: the YAML model map for the kubeconfig, the client's types, the JSON contracts of the models read. Two tracks:
/// the client (needed as soon as Azure returns the credential) and the models (needed after its first answer). Each
/// part runs at most once per process; a failure here changes nothing (the real call does the same work).
/// </summary>
public static class KubernetesWarmUp
{
    private static int _clientStarted;
    private static int _readsStarted;

    // A kubeconfig as Azure hands one out (cluster, context, token user), for the client's types; never connected to.
    private const string SampleKubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: warm-up
          cluster:
            server: https://127.0.0.1:1
            insecure-skip-tls-verify: true
            proxy-url: http://127.0.0.1:2
        contexts:
        - name: warm-up
          context:
            cluster: warm-up
            user: warm-up
        current-context: warm-up
        users:
        - name: warm-up
          user:
            token: not-a-token
        """;

    // One of each object the module reads, with the nested parts its checks look at (metadata, containers, status).
    private const string Metadata = "\"metadata\":{\"name\":\"a\",\"namespace\":\"n\",\"labels\":{\"k\":\"v\"},\"annotations\":{\"k\":\"v\"},"
        + "\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"K\",\"name\":\"o\",\"uid\":\"u\"}],\"creationTimestamp\":\"2024-01-01T00:00:00Z\"}";
    private const string PodSpec = "\"spec\":{\"nodeSelector\":{\"k\":\"v\"},\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"1Gi\"}}}]}";
    private const string PodTemplate = "\"template\":{" + Metadata + "," + PodSpec + "}";
    private const string Selector = "\"selector\":{\"matchLabels\":{\"k\":\"v\"}}";

    /// <summary>Starts what is not started yet for an operation that will read <paramref name="reads"/>; returns at once.</summary>
    public static void Start(KubernetesReads reads)
    {
        if (Interlocked.Exchange(ref _clientStarted, 1) == 0)
        {
            Run(() => PrepareClient().Dispose());
        }

        var wanted = (int)(reads | KubernetesReads.Connection);
        var added = (KubernetesReads)(wanted & ~Interlocked.Or(ref _readsStarted, wanted));
        if (added != 0)
        {
            Run(() => Prepare(added));
        }
    }

    private static void Run(Action prepare) => _ = Task.Run(() =>
    {
        try
        {
            prepare();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException or ModuleErrorException or KubeConfigException)
        {
            // Only a head start: the real call does the same work and reports its own errors.
        }
    });

    /// <summary>
    /// Reads the sample kubeconfig and builds the library's configuration and client from it, as a connection does;
    /// returns the client, which has not connected.
    /// </summary>
    internal static k8s.Kubernetes PrepareClient()
    {
        var kubeconfig = KubeconfigFiles.Parse(SampleKubeconfig, "the warm-up sample", directory: null);
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig.Config, kubeconfig.Config.CurrentContext);
        return new k8s.Kubernetes(configuration, [new KubernetesTransportHandler(new KubernetesClientOptions(), credential: null)]);
    }

    /// <summary>Reads one sample of each model of <paramref name="reads"/> and returns what it read; throws when a sample no longer fits the library's model.</summary>
    internal static IReadOnlyList<object> Prepare(KubernetesReads reads)
    {
        KubernetesModelsJson.Install();
        var read = new List<object>();
        if (reads.HasFlag(KubernetesReads.Connection))
        {
            read.Add(KubernetesJson.Deserialize<VersionInfo>("{\"major\":\"1\",\"minor\":\"30\",\"gitVersion\":\"v1.30.0\"}"));
            read.Add(KubernetesJson.Deserialize<V1Namespace>("{" + Metadata + ",\"status\":{\"phase\":\"Active\"}}"));
            read.Add(KubernetesJson.Deserialize<V1Status>("{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404,\"details\":{\"name\":\"a\"}}"));
        }

        if (reads.HasFlag(KubernetesReads.Nodes))
        {
            read.Add(KubernetesJson.Deserialize<V1NodeList>("{\"items\":[{" + Metadata
                + ",\"spec\":{\"taints\":[{\"key\":\"k\",\"effect\":\"NoSchedule\"}]},\"status\":{\"capacity\":{\"cpu\":\"4\"},\"allocatable\":{\"cpu\":\"4\",\"memory\":\"16Gi\"},"
                + "\"nodeInfo\":{\"kubeletVersion\":\"v1.30.0\",\"operatingSystem\":\"linux\",\"architecture\":\"amd64\"},\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}],\"metadata\":{\"resourceVersion\":\"1\"}}"));
        }

        if (reads.HasFlag(KubernetesReads.WorkloadNames))
        {
            read.Add(KubernetesJson.Deserialize<KubernetesList<PartialObjectMetadata>>("{\"kind\":\"PartialObjectMetadataList\",\"apiVersion\":\"meta.k8s.io/v1\","
                + "\"metadata\":{\"resourceVersion\":\"1\",\"continue\":\"c\"},\"items\":[{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\"," + Metadata + "}]}"));
        }

        if (reads.HasFlag(KubernetesReads.Workloads))
        {
            read.Add(KubernetesJson.Deserialize<V1DeploymentList>("{\"items\":[{" + Metadata + ",\"spec\":{\"replicas\":1," + Selector + "," + PodTemplate
                + "},\"status\":{\"replicas\":1,\"readyReplicas\":1,\"availableReplicas\":1}}]}"));
            read.Add(KubernetesJson.Deserialize<V1DaemonSetList>("{\"items\":[{" + Metadata + ",\"spec\":{" + Selector + "," + PodTemplate
                + "},\"status\":{\"desiredNumberScheduled\":1,\"numberReady\":1,\"currentNumberScheduled\":1,\"numberMisscheduled\":0}}]}"));
        }

        if (reads.HasFlag(KubernetesReads.Pods))
        {
            read.Add(KubernetesJson.Deserialize<V1PodList>("{\"items\":[{" + Metadata + "," + PodSpec + ",\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],"
                + "\"containerStatuses\":[{\"name\":\"c\",\"ready\":true,\"restartCount\":0,\"image\":\"i\",\"imageID\":\"x\",\"state\":{\"waiting\":{\"reason\":\"r\"}}}]}}]}"));
        }

        return read;
    }
}
