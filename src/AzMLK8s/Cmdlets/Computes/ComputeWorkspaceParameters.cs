using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Operations.Computes;

namespace AzMLK8s.Cmdlets.Computes;

/// <summary>The workspace of the compute cmdlets: -WorkspaceName with -ResourceGroupName, or -WorkspaceResourceId.</summary>
internal static class ComputeWorkspaceParameters
{
    public const string ByName = "WorkspaceName";
    public const string ById = "WorkspaceResourceId";

    /// <summary>-WorkspaceName wins when both are bound (PowerShell binds only one; pipeline input may add the id).</summary>
    public static WorkspaceReference Resolve(ArmConnection connection, string? workspaceName, string? resourceGroupName, string? workspaceResourceId) =>
        workspaceName is not null || workspaceResourceId is null
            ? ComputeInputRules.Workspace(connection.SubscriptionId, resourceGroupName, workspaceName)
            : WorkspaceReference.Parse(workspaceResourceId);
}
