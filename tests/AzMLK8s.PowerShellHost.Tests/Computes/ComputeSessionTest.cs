using System.Text.Json.Nodes;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;
using AzMLK8s.PowerShellHost.Tests.Infrastructure;

namespace AzMLK8s.PowerShellHost.Tests.Computes;

/// <summary>
/// A fresh emulator and signed-in runspace per test for the compute and role cmdlets. Operations finish at their
/// first poll, which the module sends at once (Retry-After 0); a test that needs to watch one in between sets
/// <see cref="EmulatorOptions.OperationDuration"/> to <see cref="Timeout.InfiniteTimeSpan"/> and completes it itself.
/// Arrangements go through the module as a user's would (New-AzMLK8sExtension, Connect-AzMLK8sCompute); what the
/// emulator's ARM API cannot create (other compute types, custom roles, Service Bus namespaces) is put in its state.
/// </summary>
public abstract class ComputeSessionTest : SessionPerTest
{
    protected const string Subscription = EmulatorState.DefaultSubscriptionId;

    protected static readonly string Group = $"/subscriptions/{Subscription}/resourceGroups/{EmulatorState.DefaultResourceGroup}";

    protected static readonly string WorkspaceId = $"{Group}/providers/Microsoft.MachineLearningServices/workspaces/ws-demo";

    protected static readonly string UaiWorkspaceId = $"{Group}/providers/Microsoft.MachineLearningServices/workspaces/ws-uai";

    protected static readonly string IdentityId = $"{Group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-demo";

    protected static readonly string RegistryId = $"{Group}/providers/Microsoft.ContainerRegistry/registries/acrdemo";

    protected override EmulatorOptions Options()
    {
        var options = EmulatorFixture.FastOptions();
        options.OperationDuration = TimeSpan.Zero;
        options.OperationRetryAfterSeconds = 0;
        return options;
    }

    /// <summary>New-AzMLK8sExtension with training (or the given settings), waited for until Succeeded.</summary>
    protected void InstallAzureML(string clusterId, string settings = "-EnableTraining") =>
        Session.Run($"$null = New-AzMLK8sExtension -ClusterResourceId $cluster {settings} -WarningAction SilentlyContinue", ("cluster", clusterId)).ThrowIfFailed();

    /// <summary>Connect-AzMLK8sCompute to ws-demo (or <paramref name="workspaceId"/>), waited for; returns nothing.</summary>
    protected void Attach(string name, string clusterId, string nameSpace = "default", string? workspaceId = null) =>
        Session.Run(
            "$null = Connect-AzMLK8sCompute -Name $name -WorkspaceResourceId $workspace -ClusterResourceId $cluster -Namespace $ns",
            ("name", name), ("workspace", workspaceId ?? WorkspaceId), ("cluster", clusterId), ("ns", nameSpace)).ThrowIfFailed();

    /// <summary>A role assignment made by hand (as in the portal), for the ws-uai workspace's identity by default.</summary>
    protected void GrantByHand(string roleGuid, string scope, string principalId = ArmSeed.IdentityPrincipalId)
    {
        lock (State.Gate)
        {
            State.RoleAssignments.Add(new EmulatedRoleAssignment(
                scope,
                Guid.NewGuid().ToString(),
                $"/subscriptions/{Subscription}/providers/Microsoft.Authorization/roleDefinitions/{roleGuid}",
                principalId,
                "ServicePrincipal",
                null,
                DateTimeOffset.UtcNow));
        }
    }

    /// <summary>Puts a resource in the emulator's ARM store, as if it had been created elsewhere.</summary>
    protected void Seed(string id, string type, JsonObject? properties = null) =>
        State.Resources.Put(id, new JsonObject
        {
            ["id"] = id,
            ["name"] = id[(id.LastIndexOf('/') + 1)..],
            ["type"] = type,
            ["location"] = EmulatorState.DefaultLocation,
            ["properties"] = properties ?? new JsonObject { ["provisioningState"] = "Succeeded" },
        });

    /// <summary>The number of writes (ARM and Kubernetes) the emulator answered; list actions that only read do not count.</summary>
    protected int Writes => State.Requests.Entries.Count(e =>
        e.Method is "PUT" or "PATCH" or "DELETE" || (e.Method == "POST" && !e.Path.Contains("/list", StringComparison.OrdinalIgnoreCase)));

    protected int Count(string method, string route) => State.Requests.Count(method, route);

    protected static async Task Until(Func<bool> condition, string what)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        while (!condition())
        {
            Assert.False(guard.IsCancellationRequested, $"Gave up waiting until {what}.");
            await Task.Delay(10);
        }
    }
}
