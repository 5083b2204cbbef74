using System.Management.Automation;
using AzMLK8s.Cmdlets.Completion;
using AzMLK8s.Engine.Operations.Roles;
using AzMLK8s.Model.Computes;

namespace AzMLK8s.Cmdlets.Roles;

/// <summary>
/// What Grant- and Revoke-AzMLComputeRole share: the compute whose identity gets or loses the role, either piped
/// in as an AzMLK8sCompute or named by workspace, resource group and compute name. The piped compute's set is the
/// default: PowerShell latches on to a default set that takes pipeline input by property name, so with the by-name set
/// as default a piped AzMLK8sCompute bound by its names (and was read again from the context's subscription) instead
/// of by value, and a piped role assignment made Revoke ask for -Role.
/// </summary>
public abstract class ComputeRoleCmdletBase : ConcurrentInputCmdlet
{
    protected const string ByNameSet = "ByName";
    protected const string InputObjectSet = "InputObject";

    /// <summary>A compute from Get-AzMLK8sCompute or Connect-AzMLK8sCompute.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public AzMLK8sCompute? InputObject { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNameSet)]
    [ArgumentCompleter(typeof(WorkspaceNameCompleter))]
    public string? WorkspaceName { get; set; }

    /// <summary>The workspace's resource group.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNameSet)]
    [ArgumentCompleter(typeof(ResourceGroupNameCompleter))]
    public string? ResourceGroupName { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNameSet)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(ComputeNameCompleter))]
    public string? ComputeName { get; set; }

    /// <summary>The role and its scope, for the compute this input names.</summary>
    private protected ComputeRoleRequest RoleRequest(string role, RoleScopeRequest scope) => new(role, scope)
    {
        Compute = InputObject,
        WorkspaceName = WorkspaceName,
        ResourceGroupName = ResourceGroupName,
        ComputeName = ComputeName,
    };
}
