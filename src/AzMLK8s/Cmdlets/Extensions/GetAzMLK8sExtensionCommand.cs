using System.Management.Automation;
using AzMLK8s.Engine.Operations.Extensions;
using AzMLK8s.Model.Extensions;

namespace AzMLK8s.Cmdlets.Extensions;

/// <summary>
/// Gets the AzureML extension of a cluster by name, or every AzureML extension on it (other extension types are left
/// out). Takes clusters from the pipeline (any object with a ClusterResourceId).
/// </summary>
[Cmdlet(VerbsCommon.Get, "AzMLK8sExtension", DefaultParameterSetName = ByClusterId)]
[OutputType(typeof(AzMLK8sExtension))]
public sealed class GetAzMLK8sExtensionCommand : ExtensionCmdletBase
{
    /// <summary>The extension's name; without it, every AzureML extension on the cluster.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    protected override Task ProcessAsync(CancellationToken cancellationToken) => ProcessOneAsync(cancellationToken);

    private async Task ProcessOneAsync(CancellationToken cancellationToken)
    {
        if (Name is not null)
        {
            ExtensionErrors.CheckName(Name);
        }

        var connection = Connect();
        var cluster = ResolveCluster(connection);
        var lifecycle = new ExtensionLifecycle(connection);
        if (Name is not null)
        {
            Seam.WriteObject(await lifecycle.GetAsync(cluster, Name, cancellationToken).ConfigureAwait(false));
            return;
        }

        var all = await lifecycle.ListAsync(cluster, cancellationToken).ConfigureAwait(false);
        if (all.Count == 0)
        {
            Seam.WriteVerbose($"Cluster '{cluster.Name}' has no AzureML extension.");
        }

        foreach (var extension in all)
        {
            Seam.WriteObject(extension);
        }
    }
}
