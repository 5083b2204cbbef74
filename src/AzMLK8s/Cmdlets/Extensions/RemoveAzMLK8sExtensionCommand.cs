using System.Management.Automation;
using AzMLK8s.Engine.Operations.Extensions;
using AzMLK8s.Model.Extensions;

namespace AzMLK8s.Cmdlets.Extensions;

/// <summary>
/// Removes the AzureML extension from a cluster and waits until it is gone (unless -NoWait). Running jobs and
/// inference endpoints on the cluster stop. -Force deletes the Azure resource at once without cleaning up the cluster
/// (forceDelete). Removing an extension that is not there is not an error.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "AzMLK8sExtension", DefaultParameterSetName = ByClusterId, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(AzMLK8sExtension))]
public sealed class RemoveAzMLK8sExtensionCommand : ExtensionCmdletBase
{
    [Parameter(ParameterSetName = ByClusterId, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ByClusterName)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = DefaultExtensionName;

    [Parameter(Mandatory = true, ParameterSetName = ByResourceId)]
    [ValidateNotNullOrEmpty]
    public string? ResourceId { get; set; }

    /// <summary>forceDelete: removes the Azure resource even when the cluster cannot be cleaned up (offline Arc cluster).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter NoWait { get; set; }

    /// <summary>Writes the extension as it was before removal.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override Task ProcessAsync(CancellationToken cancellationToken) => ProcessOneAsync(cancellationToken);

    private async Task ProcessOneAsync(CancellationToken cancellationToken)
    {
        var (cluster, name) = ResourceId is not null ? ExtensionParameters.ParseExtensionId(ResourceId) : (null, Name);
        ExtensionErrors.CheckName(name);
        var connection = Connect();
        cluster ??= ResolveCluster(connection);
        var lifecycle = new ExtensionLifecycle(connection);
        var force = IsPresent(Force);
        var action = force
            ? $"Force-delete the AzureML extension '{name}' (the Azure resource goes at once; its components may stay on the cluster); running jobs and inference endpoints stop"
            : $"Remove the AzureML extension '{name}' and its components from the cluster; running jobs and inference endpoints stop";
        var target = Engine.Azure.Resources.ExtensionOperations.ExtensionId(cluster.ResourceId, name);
        if (!Seam.ShouldProcess(target, action))
        {
            return;
        }

        AzMLK8sExtension? before = null;
        if (IsPresent(PassThru))
        {
            before = (await lifecycle.ListAsync(cluster, cancellationToken).ConfigureAwait(false)).FirstOrDefault(e => e.Name == name);
        }

        var removed = await lifecycle.RemoveAsync(cluster, name, force, IsPresent(NoWait), cancellationToken).ConfigureAwait(false);
        if (!removed)
        {
            Seam.WriteVerbose($"Cluster '{cluster.Name}' has no extension named '{name}'; nothing to remove.");
            return;
        }

        Seam.WriteVerbose(IsPresent(NoWait) ? $"Removal of extension '{name}' started." : $"Extension '{name}' was removed.");
        if (before is not null)
        {
            Seam.WriteObject(before);
        }
    }
}
