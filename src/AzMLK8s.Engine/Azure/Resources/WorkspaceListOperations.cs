using AzMLK8s.Engine.Azure.Wire;

namespace AzMLK8s.Engine.Azure.Resources;

/// <summary>Microsoft.MachineLearningServices/workspaces: the workspaces of a resource group or of a subscription.</summary>
public sealed class WorkspaceListOperations : ResourceOperations
{
    public WorkspaceListOperations(ArmConnection connection)
        : base(connection)
    {
    }

    public Task<IReadOnlyList<WorkspaceResource>> ListByResourceGroupAsync(string subscriptionId, string resourceGroupName, CancellationToken cancellationToken)
    {
        var scope = $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}";
        var request = ArmRequest.Get($"{scope}/providers/Microsoft.MachineLearningServices/workspaces", ArmApiVersions.MachineLearning)
            .Describe("List workspaces", scope);
        return ListAsync<WorkspaceResource>(request, cancellationToken);
    }

    public Task<IReadOnlyList<WorkspaceResource>> ListBySubscriptionAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        var scope = $"/subscriptions/{subscriptionId}";
        var request = ArmRequest.Get($"{scope}/providers/Microsoft.MachineLearningServices/workspaces", ArmApiVersions.MachineLearning)
            .Describe("List workspaces", scope);
        return ListAsync<WorkspaceResource>(request, cancellationToken);
    }
}
