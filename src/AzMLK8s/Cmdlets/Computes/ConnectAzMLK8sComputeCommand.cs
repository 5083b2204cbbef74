using System.Collections;
using System.Management.Automation;
using AzMLK8s.Cmdlets.Completion;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Operations.Computes;
using AzMLK8s.Model.Computes;

namespace AzMLK8s.Cmdlets.Computes;

/// <summary>
/// Attaches an AKS or Arc cluster that runs the Azure ML extension to a workspace as a Kubernetes compute, after
/// checking the extension, the namespace and the workspace identity's roles. Takes the cluster from
/// Get-AzMLK8sExtension (or a compute) by its ClusterResourceId.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "AzMLK8sCompute", HelpUri = AzMLK8sCmdlet.HelpUriBase + "Connect-AzMLK8sCompute.md", DefaultParameterSetName = ComputeWorkspaceParameters.ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AzMLK8sCompute))]
public sealed class ConnectAzMLK8sComputeCommand : ConcurrentInputCmdlet
{
    /// <summary>The compute's name in the workspace (2-16 letters, digits, hyphens).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("ComputeName")]
    [ArgumentCompleter(typeof(ComputeNameCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ParameterSetName = ComputeWorkspaceParameters.ByName)]
    [ArgumentCompleter(typeof(WorkspaceNameCompleter))]
    public string? WorkspaceName { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ComputeWorkspaceParameters.ByName)]
    [ArgumentCompleter(typeof(ResourceGroupNameCompleter))]
    public string? ResourceGroupName { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ComputeWorkspaceParameters.ById, ValueFromPipelineByPropertyName = true)]
    public string? WorkspaceResourceId { get; set; }

    /// <summary>The AKS or Arc cluster; AzMLK8sExtension and AzMLK8sCompute objects bind it by property name.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ClusterId", "Id")]
    public string ClusterResourceId { get; set; } = string.Empty;

    /// <summary>The Kubernetes namespace the workspace's jobs and endpoints run in; it must exist (see -CreateNamespace).</summary>
    [Parameter]
    public string Namespace { get; set; } = "default";

    [Parameter]
    public SwitchParameter CreateNamespace { get; set; }

    /// <summary>Default: UserAssigned when -UserAssignedIdentity is given, else SystemAssigned.</summary>
    [Parameter]
    [ValidateSet("None", "SystemAssigned", "UserAssigned")]
    public string? IdentityType { get; set; }

    /// <summary>The resource id of the one user-assigned identity (Azure ML uses only the first; more is an error).</summary>
    [Parameter]
    public string[]? UserAssignedIdentity { get; set; }

    [Parameter]
    public string? DefaultInstanceType { get; set; }

    /// <summary>@{ name = @{ nodeSelector = @{...}; resources = @{ requests = @{ cpu; memory }; limits = @{ cpu; memory } } } }.</summary>
    [Parameter]
    public Hashtable? InstanceType { get; set; }

    [Parameter]
    public string? Description { get; set; }

    [Parameter]
    public string? KubeconfigPath { get; set; }

    [Parameter]
    public string? KubeContext { get; set; }

    /// <summary>Replace a compute of that name that has another definition (detach, then attach) without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter NoWait { get; set; }

    /// <summary>Runs the command as a PowerShell job (Get-Job, Receive-Job, Wait-Job, Stop-Job), one per input; see about_AzMLK8s.</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    private protected override bool RunsAsJob => AsJob.IsPresent;

    private protected override string JobTarget => $"{WorkspaceResourceId ?? WorkspaceName}/computes/{Name}";

    protected override async Task ProcessOneAsync(CancellationToken cancellationToken)
    {
        var connection = ArmConnection.FromContext(null, Seam);
        var input = new ComputeAttachInput
        {
            Workspace = ComputeWorkspaceParameters.Resolve(connection, WorkspaceName, ResourceGroupName, WorkspaceResourceId),
            Name = Name,
            ClusterResourceId = ClusterResourceId,
            Namespace = Namespace,
            IdentityType = IdentityType,
            UserAssignedIdentities = UserAssignedIdentity ?? Array.Empty<string>(),
            DefaultInstanceType = DefaultInstanceType,
            InstanceTypes = InstanceType,
            Description = Description,
            CreateNamespace = CreateNamespace.IsPresent,
            Force = Force.IsPresent,
            NoWait = NoWait.IsPresent,
            KubernetesAccess = KubeconfigPath is null && KubeContext is null
                ? null
                : new KubernetesAccessOptions { KubeconfigPath = UserFile.Existing(Seam, KubeconfigPath, nameof(KubeconfigPath)), KubeContext = KubeContext },
        };

        var compute = await new ConnectComputeOperation(connection, Seam).ConnectAsync(input, cancellationToken).ConfigureAwait(false);
        if (compute is not null)
        {
            Seam.WriteObject(compute);
        }
    }

}
