using System.Net;
using System.Security;
using System.Security.Cryptography;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Context;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Azure;

/// <summary>Builds engine connections to a test emulator over HTTPS with its certificate pinned.</summary>
internal static class ArmTestConnections
{
    public const string Token = "emulator-test-token-canary-7d1f";

    public static readonly string Subscription = EmulatorState.DefaultSubscriptionId;

    public static readonly string ResourceGroupScope = $"/subscriptions/{EmulatorState.DefaultSubscriptionId}/resourceGroups/{EmulatorState.DefaultResourceGroup}";

    public static readonly string AksId = $"{ResourceGroupScope}/providers/Microsoft.ContainerService/managedClusters/aks-demo";

    public static readonly string ArcId = $"{ResourceGroupScope}/providers/Microsoft.Kubernetes/connectedClusters/arc-demo";

    public static readonly string WorkspaceId = $"{ResourceGroupScope}/providers/Microsoft.MachineLearningServices/workspaces/ws-demo";

    public static readonly string UaiWorkspaceId = $"{ResourceGroupScope}/providers/Microsoft.MachineLearningServices/workspaces/ws-uai";

    public static readonly string IdentityId = $"{ResourceGroupScope}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-demo";

    /// <summary>Short delays so retries and polls do not slow the tests; server Retry-After still wins.</summary>
    /// <summary>
    /// Gives the ws-uai workspace's identity (id-demo) the roles Azure ML acts with on an AKS cluster, as an admin
    /// would before attaching it to that workspace.
    /// </summary>
    public static void GrantWorkspaceIdentityAksRoles(EmulatorServer server, string clusterId)
    {
        lock (server.State.Gate)
        {
            foreach (var role in new[] { "Reader", "Kubernetes Extension Contributor", "Azure Kubernetes Service Cluster Admin Role" })
            {
                server.State.RoleAssignments.Add(new EmulatedRoleAssignment(
                    clusterId,
                    Guid.NewGuid().ToString(),
                    $"/subscriptions/{Subscription}/providers/Microsoft.Authorization/roleDefinitions/{BuiltInRoles.ByName[role]}",
                    ArmSeed.IdentityPrincipalId,
                    "ServicePrincipal",
                    null,
                    DateTimeOffset.UtcNow));
            }
        }
    }

    public static ArmConnectionOptions FastOptions(int maxRetries = 3, TimeSpan? timeout = null) => new()
    {
        MaxRetries = maxRetries,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromSeconds(5),
        NetworkTimeout = TimeSpan.FromSeconds(30),
        Polling = new ArmPollingOptions { DefaultInterval = TimeSpan.FromMilliseconds(25), Timeout = timeout ?? TimeSpan.FromSeconds(30) },
    };

    public static AzureContextSettings Settings(EmulatorServer server, string token = Token) =>
        AzureContextSettings.ForCustomEndpoint(server.BaseAddress, Thumbprint(server), EmulatorState.DefaultSubscriptionId, Secure(token));

    public static ArmConnection Connect(EmulatorServer server, RecordingHost? host = null, ArmConnectionOptions? options = null) =>
        ArmConnection.FromContext(Settings(server), host ?? new RecordingHost(), options ?? FastOptions());

    public static string ExtensionId(string clusterId, string name) => AzMLK8s.Engine.Azure.Resources.ExtensionOperations.ExtensionId(clusterId, name);

    public static string Thumbprint(EmulatorServer server) => server.Certificate.GetCertHashString(HashAlgorithmName.SHA256);

    public static SecureString Secure(string value) => new NetworkCredential(string.Empty, value).SecurePassword;
}
