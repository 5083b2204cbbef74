using AzMLK8s.Emulator.State;
using Microsoft.AspNetCore.Builder;

namespace AzMLK8s.Emulator.Kubernetes;

/// <summary>Each emulated cluster's Kubernetes API, under its <see cref="EmulatedCluster.KubernetesApiPath"/>.</summary>
public static class KubernetesApi
{
    public static void MapKubernetesApi(this WebApplication app, EmulatorState state)
    {
    }
}
