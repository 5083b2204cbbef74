using System.Text.Json.Nodes;
using AzMLK8s.Cmdlets;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Azure.Context;
using AzMLK8s.Engine.Operations.Roles;
using AzMLK8s.Harness;
using AzMLK8s.Tests.Azure;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.ComputeCmdlets;

/// <summary>
/// One emulator per test for the compute cmdlets: operations finish at the next poll (Retry-After 0), so the real
/// cmdlets wait without slowing the tests; helpers install the extension and seed roles and Relay namespaces.
/// </summary>
public abstract class ComputeTestWorld : IAsyncLifetime
{
    protected static readonly string Sub = EmulatorState.DefaultSubscriptionId;
    protected static readonly string Group = ArmTestConnections.ResourceGroupScope;
    protected static readonly string AksId = ArmTestConnections.AksId;
    protected static readonly string ArcId = ArmTestConnections.ArcId;
    protected static readonly string WorkspaceId = ArmTestConnections.WorkspaceId;
    protected static readonly string UaiWorkspaceId = ArmTestConnections.UaiWorkspaceId;
    protected static readonly string IdentityId = ArmTestConnections.IdentityId;
    /// <summary>The Azure CLI's name for arc-demo's relay namespace (letters and digits of "arc-demo-{sub}-rg-demo-relay").</summary>
    protected const string RelayName = "arcdemo00000000000000000000000000000001rgdemorelay";

    protected static readonly string RelayId = $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.Relay/namespaces/{RelayName}";

    protected EmulatorServer Server { get; private set; } = null!;

    protected EmulatorState State => Server.State;

    public async Task InitializeAsync()
    {
        var options = EmulatorFixture.FastOptions();
        options.OperationDuration = TimeSpan.Zero;
        options.OperationRetryAfterSeconds = 0;
        Server = await EmulatorServer.StartAsync(options);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    protected RecordingHost NewHost()
    {
        var host = new RecordingHost();
        AzureContextStore.Set(host, ArmTestConnections.Settings(Server));
        return host;
    }

    protected async Task InstallAzureMLAsync(string clusterId, params (string Key, string Value)[] settings)
    {
        var chosen = settings.Length > 0 ? settings : new[] { ("enableTraining", "true") };
        var connection = ArmTestConnections.Connect(Server);
        await connection.Extensions.CreateOrReplaceAsync(clusterId, "azureml", ExtensionOperationsTests.AzureML(chosen), default);
    }

    protected void SeedRelayNamespace(string? id = null)
    {
        id ??= RelayId;
        State.Resources.Put(id, new JsonObject
        {
            ["id"] = id,
            ["name"] = id[(id.LastIndexOf('/') + 1)..],
            ["type"] = "Microsoft.Relay/namespaces",
            ["location"] = EmulatorState.DefaultLocation,
            ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
        });
    }

    /// <summary>Gives the ws-uai workspace's identity (id-demo) a role, as a hand-made assignment would.</summary>
    protected void GrantWorkspaceIdentity(BuiltInRole role, string scope) => GrantWorkspaceIdentity(role.Id, scope);

    /// <summary>The same, with any role the emulator knows (Owner, a custom role...) by its GUID.</summary>
    protected void GrantWorkspaceIdentity(string roleGuid, string scope)
    {
        lock (State.Gate)
        {
            State.RoleAssignments.Add(new EmulatedRoleAssignment(
                scope,
                Guid.NewGuid().ToString(),
                $"/subscriptions/{Sub}/providers/Microsoft.Authorization/roleDefinitions/{roleGuid}",
                ArmSeed.IdentityPrincipalId,
                "ServicePrincipal",
                null,
                DateTimeOffset.UtcNow));
        }
    }

    protected void GrantAllWorkspaceIdentityRoles(string clusterId, bool aks)
    {
        GrantWorkspaceIdentity(BuiltInRole.Reader, clusterId);
        GrantWorkspaceIdentity(BuiltInRole.KubernetesExtensionContributor, clusterId);
        GrantWorkspaceIdentity(BuiltInRole.AksClusterAdmin, clusterId);
        if (!aks)
        {
            GrantWorkspaceIdentity(BuiltInRole.AzureRelayOwner, RelayId);
        }
    }

    /// <summary>An AmlCompute cluster in ws-demo: a compute of another type with a name.</summary>
    protected void SeedAmlCompute(string name)
    {
        var id = $"{WorkspaceId}/computes/{name}";
        State.Resources.Put(id, new JsonObject
        {
            ["id"] = id,
            ["name"] = name,
            ["type"] = "Microsoft.MachineLearningServices/workspaces/computes",
            ["location"] = EmulatorState.DefaultLocation,
            ["properties"] = new JsonObject { ["computeType"] = "AmlCompute", ["provisioningState"] = "Succeeded" },
        });
    }

    protected static RunResult Run(AzMLK8sCmdlet cmdlet, RecordingHost host, params object[] input) => CmdletRunner.Run(cmdlet, host, input);

    protected int Count(string method, string route) => State.Requests.Count(method, route);

    protected int Writes => State.Requests.Entries.Count(e => e.Method is "PUT" or "PATCH" or "POST" or "DELETE" && !e.Path.EndsWith("/listClusterUserCredential", StringComparison.OrdinalIgnoreCase));
}
