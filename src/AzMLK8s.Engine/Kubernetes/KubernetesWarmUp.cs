using k8s;
using k8s.Models;

namespace AzMLK8s.Engine.Kubernetes;

/// <summary>
/// Prepares KubernetesClient's first call on a thread-pool thread while the operation still talks to Azure (the
/// cluster's credential, its checks). The library's JSON contracts for the models the module reads are built by
/// reflection on first use, and its request path is compiled on first use: together most of the first cluster call's
/// time, done once per process. Runs at most once; a failure here changes nothing (the real call does the same work).
/// </summary>
public static class KubernetesWarmUp
{
    private static int _started;

    // One of each object the module reads, with the nested parts its checks look at (metadata, containers, status).
    private const string Metadata = "\"metadata\":{\"name\":\"a\",\"namespace\":\"n\",\"labels\":{\"k\":\"v\"},\"annotations\":{\"k\":\"v\"},"
        + "\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"K\",\"name\":\"o\",\"uid\":\"u\"}],\"creationTimestamp\":\"2024-01-01T00:00:00Z\"}";
    private const string PodSpec = "\"spec\":{\"nodeSelector\":{\"k\":\"v\"},\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"1Gi\"}}}]}";
    private const string PodTemplate = "\"template\":{" + Metadata + "," + PodSpec + "}";
    private const string Selector = "\"selector\":{\"matchLabels\":{\"k\":\"v\"}}";

    public static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = Task.Run(() =>
            {
                try
                {
                    Prepare();
                }
                catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
                {
                    // Only a head start: the real call builds the same contracts and reports its own errors.
                }
            });
        }
    }

    /// <summary>Reads one sample of each model and returns what it read; throws when a sample no longer fits the library's model.</summary>
    internal static IReadOnlyList<object> Prepare() =>
    [
        KubernetesJson.Deserialize<VersionInfo>("{\"major\":\"1\",\"minor\":\"30\",\"gitVersion\":\"v1.30.0\"}"),
        KubernetesJson.Deserialize<V1NodeList>("{\"items\":[{" + Metadata
            + ",\"spec\":{\"taints\":[{\"key\":\"k\",\"effect\":\"NoSchedule\"}]},\"status\":{\"capacity\":{\"cpu\":\"4\"},\"allocatable\":{\"cpu\":\"4\",\"memory\":\"16Gi\"},"
            + "\"nodeInfo\":{\"kubeletVersion\":\"v1.30.0\",\"operatingSystem\":\"linux\",\"architecture\":\"amd64\"},\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}],\"metadata\":{\"resourceVersion\":\"1\"}}"),
        KubernetesJson.Deserialize<V1DeploymentList>("{\"items\":[{" + Metadata + ",\"spec\":{\"replicas\":1," + Selector + "," + PodTemplate
            + "},\"status\":{\"replicas\":1,\"readyReplicas\":1,\"availableReplicas\":1}}]}"),
        KubernetesJson.Deserialize<V1DaemonSetList>("{\"items\":[{" + Metadata + ",\"spec\":{" + Selector + "," + PodTemplate
            + "},\"status\":{\"desiredNumberScheduled\":1,\"numberReady\":1,\"currentNumberScheduled\":1,\"numberMisscheduled\":0}}]}"),
        KubernetesJson.Deserialize<V1PodList>("{\"items\":[{" + Metadata + "," + PodSpec + ",\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],"
            + "\"containerStatuses\":[{\"name\":\"c\",\"ready\":true,\"restartCount\":0,\"image\":\"i\",\"imageID\":\"x\",\"state\":{\"waiting\":{\"reason\":\"r\"}}}]}}]}"),
        KubernetesJson.Deserialize<V1Namespace>("{" + Metadata + ",\"status\":{\"phase\":\"Active\"}}"),
        KubernetesJson.Deserialize<V1Status>("{\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404,\"details\":{\"name\":\"a\"}}"),
    ];
}
