using System.Management.Automation;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Roles;
using AzMLK8s.Model.Computes;
using AzMLK8s.Model.Roles;

namespace AzMLK8s.Cmdlets.Roles;

/// <summary>
/// Gives a Kubernetes compute's managed identity (system- or user-assigned) a role on a scope, e.g. AcrPull on the
/// registry its images come from. Idempotent: an assignment already there is returned with Status Existing.
/// </summary>
[Cmdlet(VerbsSecurity.Grant, "AzMLComputeRole", HelpUri = AzMLK8sCmdlet.HelpUriBase + "Grant-AzMLComputeRole.md", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AzMLRoleAssignment))]
public sealed class GrantAzMLComputeRoleCommand : ComputeRoleCmdletBase
{
    /// <summary>AcrPull, StorageBlobDataReader, StorageBlobDataContributor, or any role's name or GUID.</summary>
    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(ComputeRoleCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Role { get; set; }

    /// <summary>Any scope's id: a resource, resource group or subscription.</summary>
    [Parameter]
    public string? Scope { get; set; }

    /// <summary>A container registry by name.</summary>
    [Parameter]
    public string? ContainerRegistry { get; set; }

    /// <summary>A storage account by name.</summary>
    [Parameter]
    public string? StorageAccount { get; set; }

    /// <summary>One blob container of -StorageAccount; without it the role covers the whole account.</summary>
    [Parameter]
    public string? Container { get; set; }

    /// <summary>The resource group of -ContainerRegistry or -StorageAccount; defaults to the compute's.</summary>
    [Parameter]
    public string? TargetResourceGroupName { get; set; }

    protected override async Task ProcessOneAsync(CancellationToken cancellationToken)
    {
        foreach (var assignment in await GrantOneAsync(cancellationToken))
        {
            Seam.WriteObject(assignment);
        }
    }

    // Not async: the engine's types stay out of this assembly's state machines, which PowerShell loads before the engine.
    private Task<IReadOnlyList<AzMLRoleAssignment>> GrantOneAsync(CancellationToken cancellationToken)
    {
        var request = RoleRequest(Role!, RoleScopeRequest.Checked(Scope, ContainerRegistry, StorageAccount, Container, TargetResourceGroupName));
        return new ComputeRoleGrants(ArmConnection.FromContext(null, Seam)).GrantAsync(request, Seam.ShouldProcess, cancellationToken);
    }
}
