using System.Collections;
using System.Management.Automation;
using AzMLK8s.Cmdlets.Completion;
using AzMLK8s.Engine.Operations.Extensions;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Extensions;

namespace AzMLK8s.Cmdlets.Extensions;

/// <summary>
/// What the extension cmdlets share: the cluster parameters (resource id, from the pipeline, or name + resource group
/// + type) and hashtable unwrapping. The flows live in the engine (ExtensionCommands); these classes hold no engine
/// type in a field or an async state machine, so importing the module loads no engine assembly.
/// </summary>
public abstract class ExtensionCmdletBase : ConcurrentInputCmdlet
{
    protected const string ByClusterId = "ByClusterId";
    protected const string ByClusterName = "ByClusterName";
    protected const string ByResourceId = "ByResourceId";
    protected const string ByInputObject = "ByInputObject";
    protected const string DefaultExtensionName = "azureml";

    /// <summary>
    /// The cluster's resource id. From the pipeline: an id string, or an object with ClusterResourceId (the module's
    /// computes) or Id (Get-AzAksCluster, Get-AzConnectedKubernetes).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ByClusterId, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ClusterId", "Id")]
    [ValidateNotNullOrEmpty]
    public string? ClusterResourceId { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ByClusterName)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ClusterNameCompleter))]
    public string? ClusterName { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ByClusterName)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ResourceGroupNameCompleter))]
    public string? ResourceGroupName { get; set; }

    /// <summary>Aks or Arc (tab completion lists both).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByClusterName)]
    public AzMLK8sClusterType ClusterType { get; set; }

    /// <summary>The extension's resource id, instead of its cluster and name.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByResourceId)]
    [ValidateNotNullOrEmpty]
    public string? ResourceId { get; set; }

    /// <summary>
    /// An extension the module wrote (Get-AzMLK8sExtension...): the cmdlets that act on an extension take it by value, in
    /// their default set, because PowerShell binds pipeline input to the default set first; otherwise a piped
    /// extension would bind its ClusterResourceId alone and be taken for the cluster's default-named extension.
    /// </summary>
    protected IAzMLK8sExtensionReference? PipedExtension { get; set; }

    protected ExtensionTarget Target(string? name) => new()
    {
        ResourceId = PipedExtension?.ResourceId ?? ResourceId,
        ClusterResourceId = ClusterResourceId,
        ClusterName = ClusterName,
        ResourceGroupName = ResourceGroupName,
        ClusterType = ClusterType,
        Name = name,
    };

    /// <summary>
    /// Relative PEM paths are resolved against the process's current directory: the host seam has no member for the
    /// PowerShell location yet.
    /// </summary>
    protected ExtensionCommandContext CommandContext() => new() { BaseDirectory = Seam.CurrentDirectory };

    /// <summary>A PowerShell hashtable with PSObject-wrapped keys and values unwrapped; null stays null.</summary>
    protected static Hashtable? Unwrapped(IDictionary? table)
    {
        if (table is null)
        {
            return null;
        }

        var copy = new Hashtable(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            copy[Unwrap(entry.Key) ?? string.Empty] = Unwrap(entry.Value);
        }

        return copy;
    }

    protected static bool? TrueOrNull(bool present) => present ? true : null;

    private static object? Unwrap(object? value) => value is PSObject p ? p.BaseObject : value;
}
