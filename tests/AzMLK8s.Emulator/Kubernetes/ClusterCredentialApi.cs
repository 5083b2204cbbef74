using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AzMLK8s.Emulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace AzMLK8s.Emulator.Kubernetes;

/// <summary>
/// The ARM actions that hand out a cluster's user kubeconfig: AKS managedClusters/listClusterUserCredential and
/// Arc connectedClusters/listClusterUserCredential. The kubeconfigs point at the emulator's Kubernetes API.
/// </summary>
public static class ClusterCredentialApi
{
    /// <summary>The tenant written into kubelogin kubeconfigs.</summary>
    public const string TenantId = "00000000-0000-0000-0000-0000000000aa";

    public static void MapClusterCredentialApi(this WebApplication app, EmulatorState state)
    {
        app.MapPost(
            "/subscriptions/{subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.ContainerService/managedClusters/{cluster}/listClusterUserCredential",
            (HttpContext context, string subscription, string resourceGroup, string cluster) =>
                ListManagedClusterUserCredential(context, state, subscription, resourceGroup, cluster));
        app.MapPost(
            "/subscriptions/{subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/{cluster}/listClusterUserCredential",
            (HttpContext context, string subscription, string resourceGroup, string cluster) =>
                ListConnectedClusterUserCredentialAsync(context, state, subscription, resourceGroup, cluster));
    }

    private static IResult ListManagedClusterUserCredential(HttpContext context, EmulatorState state, string subscription, string resourceGroup, string name)
    {
        var cluster = state.FindCluster(subscription, resourceGroup, name);
        if (cluster is not { Kind: ClusterKind.Managed })
        {
            return NotFound("Microsoft.ContainerService/managedClusters", name, resourceGroup);
        }

        string? format = context.Request.Query["format"];
        if (format is not (null or "" or "azure" or "exec"))
        {
            return ArmError(400, "InvalidParameter", $"The value '{format}' of parameter 'format' is not valid; use 'azure' or 'exec'.");
        }

        // Like AKS: 'format' only matters for Entra ID clusters, whose kubeconfig defaults to kubelogin (exec).
        var mode = cluster.Kubernetes.AadEnabled
            ? (format == "azure" ? KubeconfigUserMode.AzureAuthProvider : KubeconfigUserMode.KubeloginExec)
            : LocalMode(cluster);
        return Results.Json(new { kubeconfigs = new[] { new { name = "clusterUser", value = Kubeconfig(context, state, cluster, mode) } } });
    }

    private static async Task<IResult> ListConnectedClusterUserCredentialAsync(HttpContext context, EmulatorState state, string subscription, string resourceGroup, string name)
    {
        var cluster = state.FindCluster(subscription, resourceGroup, name);
        if (cluster is not { Kind: ClusterKind.Connected })
        {
            return NotFound("Microsoft.Kubernetes/connectedClusters", name, resourceGroup);
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            body = null;
        }

        var method = body?["authenticationMethod"] is JsonValue m && m.TryGetValue<string>(out var text) ? text : null;
        var clientProxy = body?["clientProxy"] is JsonValue p && p.TryGetValue<bool>(out var proxy) ? proxy : (bool?)null;
        if (method is not ("Token" or "AAD") || clientProxy is null)
        {
            return ArmError(400, "InvalidRequestContent",
                "The request content must be {\"authenticationMethod\": \"Token\" | \"AAD\", \"clientProxy\": true | false}; both properties are required.");
        }

        var mode = method == "AAD" ? KubeconfigUserMode.KubeloginExec : LocalMode(cluster);
        var result = new JsonObject
        {
            ["kubeconfigs"] = new JsonArray(new JsonObject { ["name"] = "credentialName1", ["value"] = Kubeconfig(context, state, cluster, mode) }),
        };
        if (clientProxy.Value)
        {
            result["hybridConnectionConfig"] = new JsonObject
            {
                ["expirationTime"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
                ["hybridConnectionName"] = $"{cluster.Name}-hc",
                ["relay"] = $"azgnrelay-{cluster.Location}-l1",
                ["token"] = "SharedAccessSignature " + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            };
        }

        return Results.Text(result.ToJsonString(), "application/json", Encoding.UTF8, 200);
    }

    private static KubeconfigUserMode LocalMode(EmulatedCluster cluster) =>
        cluster.Kubernetes.UserCredentialKind == KubeconfigCredentialKind.ClientCertificate
            ? KubeconfigUserMode.ClientCertificate
            : KubeconfigUserMode.Token;

    private static string Kubeconfig(HttpContext context, EmulatorState state, EmulatedCluster cluster, KubeconfigUserMode mode)
    {
        var yaml = KubeconfigWriter.Write(cluster, state.BaseAddress, ServerCertificatePem(context), mode, TenantId);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(yaml));
    }

    // The certificate this very connection was served with is the emulator's server certificate: the kubeconfig's CA.
    private static string ServerCertificatePem(HttpContext context)
    {
        var certificate = context.Features.Get<ISslStreamFeature>()?.SslStream.LocalCertificate
            ?? throw new InvalidOperationException("listClusterUserCredential was called over a connection without TLS.");
        return PemEncoding.WriteString("CERTIFICATE", certificate.GetRawCertData());
    }

    private static IResult NotFound(string type, string name, string resourceGroup) =>
        ArmError(404, "ResourceNotFound",
            $"The Resource '{type}/{name}' under resource group '{resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");

    private static IResult ArmError(int status, string code, string message) =>
        Results.Json(new { error = new { code, message } }, statusCode: status);
}
