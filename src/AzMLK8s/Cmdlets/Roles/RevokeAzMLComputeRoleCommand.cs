using System.Management.Automation;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Roles;
using AzMLK8s.Model.Computes;
using AzMLK8s.Model.Roles;

namespace AzMLK8s.Cmdlets.Roles;

/// <summary>
/// Takes a role away from a compute's managed identities on a scope, or removes assignments Grant-AzMLComputeRole
/// returned. Idempotent: nothing to remove is not an error (a verbose message says so).
/// The default set is RoleAssignment, the one whose mandatory parameter comes only from the pipeline: PowerShell checks
/// the default set's mandatory parameters before pipeline input arrives, so with ByName as default
/// `Grant-AzMLComputeRole ... | Revoke-AzMLComputeRole` asked for -Role (or failed without a console) instead of binding
/// the assignments. Named parameters (-Role, -WorkspaceName, -InputObject) still pick ByName or InputObject.
/// </summary>
[Cmdlet(VerbsSecurity.Revoke, "AzMLComputeRole", HelpUri = AzMLK8sCmdlet.HelpUriBase + "Revoke-AzMLComputeRole.md", DefaultParameterSetName = AssignmentSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AzMLRoleAssignment))]
public sealed class RevokeAzMLComputeRoleCommand : ComputeRoleCmdletBase
{
    private const string AssignmentSet = "RoleAssignment";

    /// <summary>An assignment Grant-AzMLComputeRole returned.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = AssignmentSet)]
    public AzMLRoleAssignment? RoleAssignment { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ByNameSet)]
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet)]
    [ArgumentCompleter(typeof(ComputeRoleCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Role { get; set; }

    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    public string? Scope { get; set; }

    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    public string? ContainerRegistry { get; set; }

    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    public string? StorageAccount { get; set; }

    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    public string? Container { get; set; }

    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = InputObjectSet)]
    public string? TargetResourceGroupName { get; set; }

    protected override async Task ProcessOneAsync(CancellationToken cancellationToken)
    {
        foreach (var removed in await RevokeOneAsync(cancellationToken))
        {
            Seam.WriteObject(removed);
        }
    }

    // Not async: the engine's types stay out of this assembly's state machines, which PowerShell loads before the engine.
    private Task<IReadOnlyList<AzMLRoleAssignment>> RevokeOneAsync(CancellationToken cancellationToken)
    {
        if (RoleAssignment is not null)
        {
            return new ComputeRoleGrants(ArmConnection.FromContext(null, Seam)).RevokeAsync(RoleAssignment, Seam.ShouldProcess, cancellationToken);
        }

        var request = RoleRequest(Role!, RoleScopeRequest.Checked(Scope, ContainerRegistry, StorageAccount, Container, TargetResourceGroupName));
        return new ComputeRoleGrants(ArmConnection.FromContext(null, Seam)).RevokeAsync(request, Seam.ShouldProcess, cancellationToken);
    }
}
