using System.Management.Automation;
using AzMLK8s.Engine.Operations.Extensions;
using AzMLK8s.Model.Extensions;

namespace AzMLK8s.Cmdlets.Extensions;

/// <summary>
/// Gets the AzureML extension of a cluster by name, or every AzureML extension on it (other extension types are left
/// out). Takes clusters from the pipeline (any object with a ClusterResourceId).
/// </summary>
[Cmdlet(VerbsCommon.Get, "AzMLK8sExtension", HelpUri = AzMLK8sCmdlet.HelpUriBase + "Get-AzMLK8sExtension.md", DefaultParameterSetName = ByInputObject)]
[OutputType(typeof(AzMLK8sExtension))]
public sealed class GetAzMLK8sExtensionCommand : ExtensionCmdletBase
{
    /// <summary>An extension from Get-, New- or Update-AzMLK8sExtension, or its health report: its resource id names it.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObject)]
    public IAzMLK8sExtensionReference? InputObject
    {
        get => PipedExtension;
        set => PipedExtension = value;
    }

    /// <summary>The extension's name; without it, every AzureML extension on the cluster.</summary>
    [Parameter(ParameterSetName = ByClusterId)]
    [Parameter(ParameterSetName = ByClusterName)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    protected override Task ProcessOneAsync(CancellationToken cancellationToken) =>
        ExtensionCommands.GetAsync(Seam, Target(Name), CommandContext(), cancellationToken);
}
