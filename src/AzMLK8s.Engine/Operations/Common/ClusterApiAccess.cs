using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Model;

namespace AzMLK8s.Engine.Operations.Common;

/// <summary>How to reach a cluster's Kubernetes API: a local kubeconfig when given, otherwise Azure's user kubeconfig.</summary>
public sealed record KubernetesAccessOptions
{
    /// <summary>A kubeconfig file; null uses the one Azure hands out for the cluster (listClusterUserCredential).</summary>
    public string? KubeconfigPath { get; init; }

    /// <summary>The kubeconfig context; null uses its current context.</summary>
    public string? KubeContext { get; init; }

    public KubernetesClientOptions? ClientOptions { get; init; }
}

/// <summary>A connected client, or the reason the cluster's API could not be used (for "skipped, because ..." results).</summary>
public sealed class ClusterApiConnection : IDisposable
{
    private ClusterApiConnection(KubernetesClient? client, ModuleError? unavailable)
    {
        Client = client;
        Unavailable = unavailable;
    }

    public KubernetesClient? Client { get; }

    /// <summary>Why the API cannot be used; null when <see cref="Client"/> is set.</summary>
    public ModuleError? Unavailable { get; }

    public static ClusterApiConnection Connected(KubernetesClient client) => new(client, null);

    public static ClusterApiConnection NotAvailable(ModuleError reason) => new(null, reason);

    public void Dispose() => Client?.Dispose();
}

/// <summary>
/// The one way operations reach a cluster's Kubernetes API. Checks that need the API are optional: when it cannot be
/// reached (network, credentials, permissions), callers get the reason and decide to warn, skip or fail.
/// </summary>
public static class ClusterApiAccess
{
    private static readonly HashSet<string> UnavailableErrorIds = new(StringComparer.Ordinal)
    {
        KubernetesErrorIds.ApiUnreachable, KubernetesErrorIds.Unauthorized, KubernetesErrorIds.Forbidden,
        KubernetesErrorIds.RequestTimeout, KubernetesErrorIds.ServerCertificateInvalid, KubernetesErrorIds.AzureAdTokenFailed,
    };

    public static async Task<ClusterApiConnection> ConnectAsync(
        ArmConnection connection,
        ClusterReference cluster,
        KubernetesAccessOptions? access,
        CancellationToken cancellationToken)
    {
        KubernetesWarmUp.Start();
        try
        {
            KubernetesClient client;
            if (access?.KubeconfigPath is not null || access?.KubeContext is not null)
            {
                var path = access.KubeconfigPath is null ? null : Path.GetFullPath(access.KubeconfigPath, connection.Host.CurrentDirectory);
                client = KubernetesConnector.FromKubeconfigFile(path, access.KubeContext, connection.Host, access.ClientOptions);
            }
            else
            {
                var provider = new ArmKubernetesClientProvider(connection.Clusters, connection.Credential, connection.Host, access?.ClientOptions);
                client = await provider.ConnectAsync(cluster.ResourceId, cancellationToken).ConfigureAwait(false);
            }

            // A cheap call that proves the API answers with these credentials before any real check runs.
            await client.GetVersionAsync(cancellationToken).ConfigureAwait(false);
            return ClusterApiConnection.Connected(client);
        }
        catch (ModuleErrorException ex) when (IsUnavailable(ex.Error))
        {
            return ClusterApiConnection.NotAvailable(ex.Error);
        }
    }

    private static bool IsUnavailable(ModuleError error) =>
        UnavailableErrorIds.Contains(error.ErrorId)
        || error.ErrorId.StartsWith("Kubeconfig", StringComparison.Ordinal)
        || error.ErrorId.StartsWith("KubernetesExecPlugin", StringComparison.Ordinal)
        || error.ErrorId is "Arm.AuthorizationFailed" or "Arm.Http403";
}
