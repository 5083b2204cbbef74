using System.Text.RegularExpressions;
using AzMLK8s.Engine.Operations.Common;

namespace AzMLK8s.Engine.Operations.Computes;

/// <summary>
/// The service's naming rules, checked before any request: compute names (Azure resource naming rules for
/// workspaces/computes: 2-16 letters, digits and hyphens), Kubernetes namespace names (RFC 1123 labels) and
/// workspace names (the REST spec's pattern).
/// </summary>
public static partial class ComputeInputRules
{
    public static void CheckComputeName(string? name)
    {
        if (name is null || !ComputeName().IsMatch(name))
        {
            throw ComputeErrors.Invalid(
                ComputeErrors.InvalidComputeName,
                $"-Name '{name}' is not a valid compute name: Azure ML compute names have 2 to 16 characters, letters, digits and hyphens only.",
                "Choose a name such as 'k8s-compute' (2-16 letters, digits or hyphens).",
                name);
        }
    }

    public static void CheckNamespace(string? ns)
    {
        if (ns is null || ns.Length > 63 || !NamespaceName().IsMatch(ns))
        {
            throw ComputeErrors.Invalid(
                ComputeErrors.InvalidNamespaceName,
                $"-Namespace '{ns}' is not a valid Kubernetes namespace name: at most 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit.",
                "Give an existing namespace such as 'default' or 'team-a'.",
                ns);
        }
    }

    public static WorkspaceReference Workspace(string subscriptionId, string? resourceGroupName, string? workspaceName)
    {
        if (workspaceName is null || !WorkspaceName().IsMatch(workspaceName))
        {
            throw ComputeErrors.Invalid(
                ComputeErrors.InvalidWorkspaceName,
                $"-WorkspaceName '{workspaceName}' is not a valid Azure ML workspace name: 3 to 33 letters, digits, hyphens or underscores, starting with a letter or digit.",
                "Give the workspace's name as Azure shows it, or its id with -WorkspaceResourceId.",
                workspaceName);
        }

        if (string.IsNullOrWhiteSpace(resourceGroupName))
        {
            throw ComputeErrors.Invalid(
                ComputeErrors.InvalidWorkspaceName,
                "-ResourceGroupName is required with -WorkspaceName.",
                "Give the workspace's resource group with -ResourceGroupName, or its id with -WorkspaceResourceId.",
                workspaceName);
        }

        return new WorkspaceReference(subscriptionId, resourceGroupName, workspaceName);
    }

    [GeneratedRegex("^[A-Za-z0-9-]{2,16}$", RegexOptions.CultureInvariant)]
    private static partial Regex ComputeName();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespaceName();

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex WorkspaceName();
}
