using AzMLK8s.Engine.Azure;
using AzMLK8s.Model;

namespace AzMLK8s.Engine.Operations.Roles;

/// <summary>A role resolved to its definition GUID and display name.</summary>
public sealed record RoleReference(string Name, string Id)
{
    public static RoleReference From(BuiltInRole role) => new(role.Name, role.Id);

    /// <summary>
    /// A built-in role of the table (by name, compact name or GUID) without a request; any other GUID as is; any
    /// other name looked up among the subscription's role definitions.
    /// </summary>
    public static async Task<RoleReference> ResolveAsync(ArmConnection connection, string nameOrId, CancellationToken cancellationToken)
    {
        if (BuiltInRole.Find(nameOrId) is { } builtIn)
        {
            return From(builtIn);
        }

        if (Guid.TryParse(nameOrId, out var guid))
        {
            return new RoleReference(guid.ToString(), guid.ToString());
        }

        var definition = await connection.RoleAssignments.FindRoleDefinitionAsync($"/subscriptions/{connection.SubscriptionId}", nameOrId, cancellationToken).ConfigureAwait(false);
        if (definition?.Name is null)
        {
            throw new ModuleErrorException(new ModuleError(
                "RoleNotFound",
                ErrorKind.ObjectNotFound,
                $"No role named '{nameOrId}' exists in subscription '{connection.SubscriptionId}'.")
            {
                RecommendedAction = "Check the name with Get-AzRoleDefinition -Name '<name>', or pass the role's GUID to -Role.",
                TargetObject = nameOrId,
            });
        }

        return new RoleReference(definition.Properties.RoleName ?? nameOrId, definition.Name);
    }
}
