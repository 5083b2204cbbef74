using System.Text.Json.Nodes;

namespace AzMLK8s.Emulator.State;

/// <summary>
/// The default seed's ARM resources besides the clusters: workspaces ws-demo (system-assigned identity) and
/// ws-uai (user-assigned id-demo), the identity, registry acrdemo, storage stdemo, and registration states.
/// </summary>
public static class ArmSeed
{
    public const string IdentityPrincipalId = "11111111-0000-0000-0000-00000000d001";
    public const string IdentityClientId = "11111111-0000-0000-0000-00000000c001";
    public const string WorkspacePrincipalId = "11111111-0000-0000-0000-00000000a001";

    public static void Apply(EmulatorState state)
    {
        const string sub = EmulatorState.DefaultSubscriptionId;
        const string rg = EmulatorState.DefaultResourceGroup;
        var group = $"/subscriptions/{sub}/resourceGroups/{rg}/providers";
        var identityId = $"{group}/Microsoft.ManagedIdentity/userAssignedIdentities/id-demo";
        var registryId = $"{group}/Microsoft.ContainerRegistry/registries/acrdemo";
        var storageId = $"{group}/Microsoft.Storage/storageAccounts/stdemo";

        Add(state, identityId, "Microsoft.ManagedIdentity/userAssignedIdentities", new JsonObject
        {
            ["tenantId"] = EmulatorState.DefaultTenantId,
            ["principalId"] = IdentityPrincipalId,
            ["clientId"] = IdentityClientId,
        });
        Add(state, registryId, "Microsoft.ContainerRegistry/registries", new JsonObject { ["loginServer"] = "acrdemo.azurecr.io", ["provisioningState"] = "Succeeded" });
        Add(state, storageId, "Microsoft.Storage/storageAccounts", new JsonObject { ["provisioningState"] = "Succeeded" });

        var workspace = Add(state, $"{group}/Microsoft.MachineLearningServices/workspaces/ws-demo", "Microsoft.MachineLearningServices/workspaces", WorkspaceProperties("ws-demo", registryId, storageId, null));
        workspace["identity"] = new JsonObject { ["type"] = "SystemAssigned", ["principalId"] = WorkspacePrincipalId, ["tenantId"] = EmulatorState.DefaultTenantId };
        state.Resources.Put(workspace["id"]!.GetValue<string>(), workspace);

        var workspaceUai = Add(state, $"{group}/Microsoft.MachineLearningServices/workspaces/ws-uai", "Microsoft.MachineLearningServices/workspaces", WorkspaceProperties("ws-uai", registryId, storageId, identityId));
        workspaceUai["identity"] = new JsonObject
        {
            ["type"] = "UserAssigned",
            ["userAssignedIdentities"] = new JsonObject { [identityId] = new JsonObject { ["principalId"] = IdentityPrincipalId, ["clientId"] = IdentityClientId } },
        };
        state.Resources.Put(workspaceUai["id"]!.GetValue<string>(), workspaceUai);

        foreach (var provider in new[]
                 {
                     "Microsoft.ContainerService", "Microsoft.Kubernetes", "Microsoft.KubernetesConfiguration",
                     "Microsoft.MachineLearningServices", "Microsoft.Relay", "Microsoft.ServiceBus", "Microsoft.OperationalInsights",
                 })
        {
            state.Registrations.Set(Registrations.ProviderKey(sub, provider), "Registered");
        }
    }

    private static JsonObject WorkspaceProperties(string name, string registryId, string storageId, string? primaryIdentity) => new()
    {
        ["friendlyName"] = name,
        ["workspaceId"] = Guid.NewGuid().ToString(),
        ["provisioningState"] = "Succeeded",
        ["containerRegistry"] = registryId,
        ["storageAccount"] = storageId,
        ["primaryUserAssignedIdentity"] = primaryIdentity,
    };

    private static JsonObject Add(EmulatorState state, string id, string type, JsonObject properties) =>
        state.Resources.Put(id, new JsonObject
        {
            ["id"] = id,
            ["name"] = id[(id.LastIndexOf('/') + 1)..],
            ["type"] = type,
            ["location"] = EmulatorState.DefaultLocation,
            ["properties"] = properties,
        });
}
