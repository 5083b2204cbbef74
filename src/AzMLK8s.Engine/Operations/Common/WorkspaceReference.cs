namespace AzMLK8s.Engine.Operations.Common;

/// <summary>An Azure Machine Learning workspace, named by its parts or its resource id.</summary>
public sealed record WorkspaceReference(string SubscriptionId, string ResourceGroupName, string Name)
{
    public const string ResourceType = "Microsoft.MachineLearningServices/workspaces";

    public string ResourceId =>
        $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroupName}/providers/{ResourceType}/{Name}";

    public override string ToString() => ResourceId;

    /// <summary>Parses a workspace id; anything else is the error InvalidWorkspaceResourceId.</summary>
    public static WorkspaceReference Parse(string? resourceId, string parameterName = "WorkspaceResourceId")
    {
        var parsed = ArmResourceId.Parse(resourceId, ResourceType, "InvalidWorkspaceResourceId", parameterName);
        return new WorkspaceReference(parsed.SubscriptionId, parsed.ResourceGroupName, parsed.Name);
    }
}
