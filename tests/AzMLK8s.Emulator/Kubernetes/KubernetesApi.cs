using AzMLK8s.Emulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AzMLK8s.Emulator.Kubernetes;

/// <summary>
/// Each emulated cluster's Kubernetes API, under its <see cref="EmulatedCluster.KubernetesApiPath"/>, and the ARM
/// actions that hand out kubeconfigs pointing there.
/// </summary>
public static class KubernetesApi
{
    public static void MapKubernetesApi(this WebApplication app, EmulatorState state)
    {
        app.Map("/k8s/{subscription}/{resourceGroup}/{cluster}/{**path}", (HttpContext context) => KubernetesRequestHandler.HandleAsync(context, state));
        app.MapClusterCredentialApi(state);
    }
}
