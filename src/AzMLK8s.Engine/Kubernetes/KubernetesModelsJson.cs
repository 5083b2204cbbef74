using System.Text.Json.Serialization;
using AzMLK8s.Engine.Kubernetes.Models;
using k8s;
using k8s.Models;

namespace AzMLK8s.Engine.Kubernetes;

/// <summary>
/// The JSON contracts of the library's models that the module reads and writes, generated at build time and put first
/// in the library's resolver chain (<see cref="Install"/>). The library's own generated context covers every Kubernetes
/// kind: its first lookup loads, one by one, the type of each of its roughly two thousand entries it passes before the
/// match, a large part of a cold process's first cluster call. This context holds only the types reachable from
/// these models; any other type (an OpenShift SCC, an exec plugin's answer) still goes to the library's resolvers.
/// </summary>
[JsonSerializable(typeof(VersionInfo))]
[JsonSerializable(typeof(V1APIGroupList))]
[JsonSerializable(typeof(V1NodeList))]
[JsonSerializable(typeof(V1Namespace))]
[JsonSerializable(typeof(V1PodList))]
[JsonSerializable(typeof(V1DeploymentList))]
[JsonSerializable(typeof(V1DaemonSetList))]
[JsonSerializable(typeof(V1StatefulSetList))]
[JsonSerializable(typeof(V1ConfigMap))]
[JsonSerializable(typeof(V1Status))]
[JsonSerializable(typeof(KubernetesList<PartialObjectMetadata>))]
internal sealed partial class KubernetesModelsJson : JsonSerializerContext
{
    private static readonly object Gate = new();
    private static bool _installed;

    /// <summary>
    /// Puts this context first in the library's JSON options, once per load context; before the library's first
    /// (de)serialization, after which its options are read-only (then nothing changes: the library's resolvers serve).
    /// </summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (!_installed)
            {
                KubernetesJson.AddJsonOptions(options =>
                {
                    if (!options.IsReadOnly)
                    {
                        options.TypeInfoResolverChain.Insert(0, Default);
                    }
                });
                _installed = true;
            }
        }
    }
}
