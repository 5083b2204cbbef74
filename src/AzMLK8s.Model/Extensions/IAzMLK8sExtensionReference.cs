namespace AzMLK8s.Model.Extensions;

/// <summary>
/// What names one AzureML extension: its ARM resource id (which holds the cluster and the name). The extension
/// (<see cref="AzMLK8sExtension"/>) and its health report (<see cref="AzMLK8sExtensionHealth"/>) both carry it, so
/// either piped into Get-, Update-, Test- or Remove-AzMLK8sExtension binds as -InputObject, by value.
/// </summary>
public interface IAzMLK8sExtensionReference
{
    /// <summary>The extension's ARM resource id.</summary>
    string ResourceId { get; }
}
