using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Engine.Azure.Context;
using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Model.Computes;
using AzMLK8s.Tests.Azure;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.RoleCmdlets;

/// <summary>A compute attached through the engine, turned into the pipeline object Connect-/Get-AzMLK8sCompute emit.</summary>
internal static class RoleTestWorld
{
    public const string RegistryName = "acrdemo";

    public static readonly string RegistryId = $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.ContainerRegistry/registries/acrdemo";

    public static readonly string StorageId = $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.Storage/storageAccounts/stdemo";

    /// <summary>A host whose session points at the emulator, as Set-AzMLK8sContext would leave it.</summary>
    public static RecordingHost Host(EmulatorServer server)
    {
        var host = new RecordingHost();
        AzureContextStore.Set(host, ArmTestConnections.Settings(server));
        return host;
    }

    public static async Task<AzMLK8sCompute> AttachAsync(EmulatorServer server, string computeName, string identityType = "SystemAssigned")
    {
        var connection = ArmTestConnections.Connect(server);
        await connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml", ExtensionOperationsTests.AzureML(("enableTraining", "true")), default);
        var body = ComputeAndRoleOperationsTests.KubernetesCompute(ArmTestConnections.AksId, identityType);
        var workspaceId = ArmTestConnections.WorkspaceId;
        if (identityType == "UserAssigned")
        {
            body.Identity!.UserAssignedIdentities = new() { [ArmTestConnections.IdentityId] = new ArmUserAssignedIdentityReference() };
            workspaceId = ArmTestConnections.UaiWorkspaceId;
            ArmTestConnections.GrantWorkspaceIdentityAksRoles(server, ArmTestConnections.AksId);
        }

        var compute = await connection.Computes.CreateOrUpdateAsync(workspaceId, computeName, body, default);
        return ToModel(compute, workspaceId);
    }

    public static AzMLK8sCompute ToModel(ComputeResource compute, string workspaceId) => new()
    {
        Name = compute.Name!,
        ResourceId = compute.Id!,
        WorkspaceName = workspaceId[(workspaceId.LastIndexOf('/') + 1)..],
        WorkspaceResourceId = workspaceId,
        ResourceGroupName = AzMLK8s.Emulator.State.EmulatorState.DefaultResourceGroup,
        SubscriptionId = ArmTestConnections.Subscription,
        ClusterResourceId = compute.Properties.ResourceId,
        Namespace = compute.Properties.Properties?.Namespace,
        IdentityType = compute.Identity?.Type ?? "None",
        PrincipalId = compute.Identity?.PrincipalId,
        UserAssignedIdentities = (compute.Identity?.UserAssignedIdentities ?? new()).ToDictionary(u => u.Key, u => u.Value.PrincipalId ?? string.Empty),
    };
}
