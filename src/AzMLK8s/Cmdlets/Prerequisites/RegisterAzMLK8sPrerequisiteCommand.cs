using System.Management.Automation;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Operations.Prerequisites;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Prerequisites;

namespace AzMLK8s.Cmdlets.Prerequisites;

/// <summary>
/// Registers the resource providers (Microsoft.KubernetesConfiguration, Microsoft.ContainerService or
/// Microsoft.Kubernetes, Microsoft.MachineLearningServices, Microsoft.Relay for Arc) and, for AKS, the
/// AKS-ExtensionManager feature in the context's subscription, waiting until each is Registered. Idempotent.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "AzMLK8sPrerequisite", HelpUri = AzMLK8sCmdlet.HelpUriBase + "Register-AzMLK8sPrerequisite.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AzMLK8sPrerequisiteCheck))]
public sealed class RegisterAzMLK8sPrerequisiteCommand : AzMLK8sCmdlet
{
    /// <summary>Register what this cluster's type needs.</summary>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ClusterId", "Id")]
    public string? ClusterResourceId { get; set; }

    /// <summary>Register what clusters of this type need; without it and -ClusterResourceId, what both types need.</summary>
    [Parameter]
    public AzMLK8sClusterType? ClusterType { get; set; }

    /// <summary>Tests shorten the registration polls.</summary>
    internal ArmConnectionOptions? ConnectionOptions { get; set; }

    protected override async Task ProcessAsync(CancellationToken cancellationToken)
    {
        foreach (var result in await RegisterOneAsync(cancellationToken))
        {
            Seam.WriteObject(result);
        }
    }

    // Not async: the engine's types stay out of this assembly's state machines, which PowerShell loads before the engine.
    private Task<IReadOnlyList<AzMLK8sPrerequisiteCheck>> RegisterOneAsync(CancellationToken cancellationToken)
    {
        var clusterType = ClusterResourceId is not null ? ClusterReference.Parse(ClusterResourceId).Type : ClusterType;
        if (ClusterResourceId is not null && ClusterType is not null && ClusterType != clusterType)
        {
            throw new AzMLK8s.Model.ModuleErrorException(new AzMLK8s.Model.ModuleError(
                "ClusterTypeMismatch",
                AzMLK8s.Model.ErrorKind.InvalidArgument,
                $"-ClusterType {ClusterType} contradicts -ClusterResourceId, which is an {clusterType} cluster.")
            {
                RecommendedAction = "Give only -ClusterResourceId.",
                TargetObject = ClusterResourceId,
            });
        }

        var connection = ArmConnection.FromContext(null, Seam, ConnectionOptions);
        return new PrerequisiteRegistrar(connection, Seam.ShouldProcess).RegisterAsync(clusterType, cancellationToken);
    }
}
