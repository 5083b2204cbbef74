using System.Management.Automation;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Roles;
using AzMLK8s.Model.Computes;
using AzMLK8s.Model.Roles;

namespace AzMLK8s.Cmdlets.Roles;

/// <summary>
/// Takes a role away from a compute's managed identities on a scope, or removes assignments Grant-AzMLComputeRole
/// returned. Idempotent: nothing to remove is not an error (a verbose message says so).
/// </summary>
[Cmdlet(VerbsSecurity.Revoke, "AzMLComputeRole", DefaultParameterSetName = ByNameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AzMLRoleAssignment))]
public sealed class RevokeAzMLComputeRoleCommand : AzMLK8sCmdlet
{
    private const string ByNameSet = "ByName";
    private const string InputObjectSet = "InputObject";
    private const string AssignmentSet = "RoleAssignment";

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public AzMLK8sCompute? InputObject { get; set; }

    /// <summary>An assignment Grant-AzMLComputeRole returned.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = AssignmentSet)]
    public AzMLRoleAssignment? RoleAssignment { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNameSet)]
    public string? WorkspaceName { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNameSet)]
    public string? ResourceGroupName { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByNameSet)]
    [Alias("Name")]
    public string? ComputeName { get; set; }

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

    protected override async Task ProcessAsync(CancellationToken cancellationToken)
    {
        if (RoleAssignment is not null)
        {
            await RevokeAssignmentAsync(ArmConnection.FromContext(null, Seam), RoleAssignment, cancellationToken);
            return;
        }

        var scopeRequest = ComputeRoleTarget.ScopeRequest(Scope, ContainerRegistry, StorageAccount, Container, TargetResourceGroupName);

        var connection = ArmConnection.FromContext(null, Seam);
        var compute = await ComputeRoleTarget.ResolveAsync(connection, InputObject, WorkspaceName, ResourceGroupName, ComputeName, cancellationToken);
        await RevokeOneAsync(connection, compute, scopeRequest, cancellationToken);
    }

    private async Task RevokeOneAsync(ArmConnection connection, ComputeIdentity compute, RoleScopeRequest scopeRequest, CancellationToken cancellationToken)
    {
        var scope = await scopeRequest.ResolveAsync(connection, compute.SubscriptionId, compute.ResourceGroupName, cancellationToken);
        var role = await RoleReference.ResolveAsync(connection, Role!, cancellationToken);
        var assignments = new RoleAssignments(connection);
        foreach (var principal in compute.Principals)
        {
            if (!Seam.ShouldProcess(scope, $"Revoke role '{role.Name}' from {principal.Description} (principal {principal.PrincipalId})"))
            {
                continue;
            }

            foreach (var removed in await assignments.RevokeAsync(scope, principal.PrincipalId, role, cancellationToken))
            {
                Seam.WriteObject(removed);
            }
        }
    }

    private async Task RevokeAssignmentAsync(ArmConnection connection, AzMLRoleAssignment assignment, CancellationToken cancellationToken)
    {
        if (!Seam.ShouldProcess(assignment.Scope, $"Revoke role '{assignment.RoleDefinitionName}' from principal {assignment.PrincipalId} (assignment {assignment.Name})"))
        {
            return;
        }

        if (await new RoleAssignments(connection).RemoveAsync(assignment.Scope, assignment.Name, cancellationToken))
        {
            Seam.WriteObject(new AzMLRoleAssignment
            {
                Name = assignment.Name,
                ResourceId = assignment.ResourceId,
                Scope = assignment.Scope,
                RoleDefinitionName = assignment.RoleDefinitionName,
                RoleDefinitionId = assignment.RoleDefinitionId,
                PrincipalId = assignment.PrincipalId,
                PrincipalType = assignment.PrincipalType,
                Status = "Removed",
            });
        }
    }
}
