using AzMLK8s.Model;
using AzMLK8s.Model.Computes;

namespace AzMLK8s.Engine.Operations.Computes;

/// <summary>Turns a Failed attach into an error that says the likely cause and the fix (known service messages).</summary>
internal static class ProvisioningFailure
{
    private static readonly (string Marker, string Cause, string Fix)[] Known =
    {
        ("extension not installed", "Azure ML could not see the AzureML extension: it is missing, or the workspace's identity lacks Kubernetes Extension Contributor on the cluster.", "Check Get-AzMLK8sExtension -ClusterResourceId '{cluster}', then Grant-AzMLWorkspaceIdentityRole -WorkspaceName '{workspace}' -ResourceGroupName '{group}' -ClusterResourceId '{cluster}'"),
        ("role check failed", "The workspace's user-assigned identity lacks a role on the cluster.", "Grant-AzMLWorkspaceIdentityRole -WorkspaceName '{workspace}' -ResourceGroupName '{group}' -ClusterResourceId '{cluster}'"),
        ("internal server", "For a workspace with a user-assigned identity this usually means the identity lacks the Azure Kubernetes Service Cluster Admin Role.", "Grant-AzMLWorkspaceIdentityRole -WorkspaceName '{workspace}' -ResourceGroupName '{group}' -ClusterResourceId '{cluster}'"),
        ("ClusterNotReachable", "Azure ML could not reach the cluster (Arc agents offline, or the AKS API not reachable from Azure ML).", "Check the cluster's connectivity (Arc: connectivityStatus Connected), then attach again."),
        ("ClusterNotFound", "The cluster was not found by Azure ML; it must be in the workspace's subscription unless it is Arc-connected.", "Attach a cluster of the workspace's subscription, or connect it to Azure Arc."),
    };

    public static ModuleError For(AzMLK8sCompute compute, ComputeAttachInput input, ModuleErrorException cause)
    {
        var errors = compute.ProvisioningErrors.Count > 0 ? string.Join("; ", compute.ProvisioningErrors) : cause.Error.Message;
        var hint = Known.FirstOrDefault(k => errors.Contains(k.Marker, StringComparison.OrdinalIgnoreCase));
        var fix = (hint.Fix ?? "Read the errors, correct the cause, then attach again with -Force (it detaches the failed compute first).")
            .Replace("{cluster}", compute.ClusterResourceId, StringComparison.Ordinal)
            .Replace("{workspace}", input.Workspace.Name, StringComparison.Ordinal)
            .Replace("{group}", input.Workspace.ResourceGroupName, StringComparison.Ordinal);
        return new ModuleError(
            ComputeErrors.ProvisioningFailed,
            ErrorKind.InvalidResult,
            $"Attaching compute '{compute.Name}' Failed: {errors}" + (hint.Cause is null ? string.Empty : $" Likely cause: {hint.Cause}"))
        {
            RecommendedAction = fix,
            TargetObject = compute.ResourceId,
            InnerException = cause,
        };
    }
}
