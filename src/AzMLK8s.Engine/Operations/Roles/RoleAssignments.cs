using System.Globalization;
using System.Text.RegularExpressions;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Resources;
using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;
using AzMLK8s.Model.Roles;

namespace AzMLK8s.Engine.Operations.Roles;

/// <summary>
/// Grants and revokes one role for one managed identity on one scope, idempotently: the assignment name is derived
/// from (scope, principal, role), an assignment already there is reported as Existing, and a principal that Entra ID
/// has not replicated yet is retried with back-off.
/// </summary>
public sealed partial class RoleAssignments
{
    public const string ManagedIdentityPrincipalType = "ServicePrincipal";
    private const int RetryActivityId = 7301;

    private readonly ArmConnection _connection;
    private readonly RoleAssignmentRetryOptions _retry;

    public RoleAssignments(ArmConnection connection, RoleAssignmentRetryOptions? retry = null)
    {
        _connection = connection;
        _retry = retry ?? RoleAssignmentRetryOptions.Default;
    }

    /// <summary>The assignments of exactly this (scope, principal, role), whatever their names.</summary>
    public async Task<IReadOnlyList<RoleAssignmentResource>> FindAsync(string scope, string principalId, RoleReference role, CancellationToken cancellationToken)
    {
        var listed = await _connection.RoleAssignments.ListForScopeAsync(scope, principalId, atScope: true, cancellationToken).ConfigureAwait(false);
        return listed.Where(a => Matches(a, scope, principalId, role)).ToArray();
    }

    public async Task<AzMLRoleAssignment> GrantAsync(string scope, string principalId, RoleReference role, string? description, CancellationToken cancellationToken)
    {
        scope = NormalizeScope(scope);
        var existing = (await FindAsync(scope, principalId, role, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        if (existing is not null)
        {
            _connection.Host.WriteVerbose($"Role '{role.Name}' is already assigned to principal '{principalId}' on '{scope}' ({existing.Name}).");
            return ToModel(existing, scope, principalId, role, "Existing");
        }

        var name = RoleAssignmentName.For(scope, principalId, role.Id);
        try
        {
            var created = await CreateWithReplicationRetryAsync(scope, name, principalId, role, description, cancellationToken).ConfigureAwait(false);
            return ToModel(created, scope, principalId, role, "Created");
        }
        catch (ModuleErrorException ex) when (ex.Error.ErrorId == "Arm.RoleAssignmentExists")
        {
            // Created in between by someone else, under another name: the end state is what was asked for.
            var found = (await FindAsync(scope, principalId, role, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            var existingName = found?.Name ?? ExistingNameFrom(ex.Error.Message) ?? name;
            _connection.Host.WriteVerbose($"Role '{role.Name}' was already assigned to principal '{principalId}' on '{scope}' ({existingName}).");
            return found is not null
                ? ToModel(found, scope, principalId, role, "Existing")
                : new AzMLRoleAssignment
                {
                    Name = existingName,
                    ResourceId = RoleAssignmentOperations.RoleAssignmentId(scope, existingName),
                    Scope = scope,
                    RoleDefinitionName = role.Name,
                    RoleDefinitionId = role.Id,
                    PrincipalId = principalId,
                    PrincipalType = ManagedIdentityPrincipalType,
                    Status = "Existing",
                };
        }
    }

    /// <summary>Removes every assignment of (scope, principal, role); none there is not an error.</summary>
    public async Task<IReadOnlyList<AzMLRoleAssignment>> RevokeAsync(string scope, string principalId, RoleReference role, CancellationToken cancellationToken)
    {
        scope = NormalizeScope(scope);
        var removed = new List<AzMLRoleAssignment>();
        foreach (var assignment in await FindAsync(scope, principalId, role, cancellationToken).ConfigureAwait(false))
        {
            if (await RemoveAsync(scope, assignment.Name!, cancellationToken).ConfigureAwait(false))
            {
                removed.Add(ToModel(assignment, scope, principalId, role, "Removed"));
            }
        }

        if (removed.Count == 0)
        {
            _connection.Host.WriteVerbose($"Principal '{principalId}' has no '{role.Name}' assignment on '{scope}': nothing to remove.");
        }

        return removed;
    }

    /// <summary>Removes one assignment by name; false (and a verbose note) when it was already gone.</summary>
    public async Task<bool> RemoveAsync(string scope, string assignmentName, CancellationToken cancellationToken)
    {
        var deleted = await _connection.RoleAssignments.DeleteAsync(NormalizeScope(scope), assignmentName, cancellationToken).ConfigureAwait(false);
        if (!deleted)
        {
            _connection.Host.WriteVerbose($"Role assignment '{assignmentName}' on '{scope}' does not exist: nothing to remove.");
        }

        return deleted;
    }

    public static string NormalizeScope(string scope) => "/" + scope.Trim().Trim('/');

    private async Task<RoleAssignmentResource> CreateWithReplicationRetryAsync(string scope, string name, string principalId, RoleReference role, string? description, CancellationToken cancellationToken)
    {
        var roleDefinitionId = RoleAssignmentOperations.RoleDefinitionId(_connection.SubscriptionId, role.Id);
        var started = DateTimeOffset.UtcNow;
        var delay = _retry.InitialDelay;
        var waited = false;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await _connection.RoleAssignments.CreateAsync(scope, name, roleDefinitionId, principalId, ManagedIdentityPrincipalType, description, cancellationToken).ConfigureAwait(false);
                }
                catch (ModuleErrorException ex) when (ex.Error.ErrorId == "Arm.PrincipalNotFound")
                {
                    var elapsed = DateTimeOffset.UtcNow - started;
                    if (elapsed + delay > _retry.Timeout)
                    {
                        throw new ModuleErrorException(new ModuleError(
                            "PrincipalNotReplicated",
                            ErrorKind.OperationTimeout,
                            $"Microsoft Entra ID still does not know principal '{principalId}' after {Seconds(elapsed)} seconds ({attempt} attempts); the role '{role.Name}' was not assigned on '{scope}'.")
                        {
                            RecommendedAction = "A managed identity created minutes ago can take longer to replicate. Run the same command again in a few minutes; it is safe to repeat.",
                            TargetObject = principalId,
                            InnerException = ex,
                        });
                    }

                    var message = $"Principal '{principalId}' is not replicated yet (attempt {attempt}); retrying in {Seconds(delay)} s.";
                    _connection.Host.WriteVerbose(message);
                    _connection.Host.WriteProgress(new ProgressUpdate(RetryActivityId, $"Assigning '{role.Name}'", "Waiting for the new identity to replicate in Microsoft Entra ID") { CurrentOperation = message });
                    waited = true;
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _retry.MaxDelay.Ticks));
                }
            }
        }
        finally
        {
            if (waited)
            {
                _connection.Host.WriteProgress(new ProgressUpdate(RetryActivityId, $"Assigning '{role.Name}'", "Done") { Completed = true });
            }
        }
    }

    private static bool Matches(RoleAssignmentResource assignment, string scope, string principalId, RoleReference role) =>
        string.Equals(assignment.Properties.PrincipalId, principalId, StringComparison.OrdinalIgnoreCase)
        && string.Equals(NormalizeScope(assignment.Properties.Scope ?? ScopeOf(assignment.Id) ?? string.Empty), scope, StringComparison.OrdinalIgnoreCase)
        && string.Equals(GuidOf(assignment.Properties.RoleDefinitionId), role.Id, StringComparison.OrdinalIgnoreCase);

    private static AzMLRoleAssignment ToModel(RoleAssignmentResource assignment, string scope, string principalId, RoleReference role, string status) => new()
    {
        Name = assignment.Name ?? string.Empty,
        ResourceId = assignment.Id ?? RoleAssignmentOperations.RoleAssignmentId(scope, assignment.Name ?? string.Empty),
        Scope = scope,
        RoleDefinitionName = role.Name,
        RoleDefinitionId = role.Id,
        PrincipalId = principalId,
        PrincipalType = assignment.Properties.PrincipalType ?? ManagedIdentityPrincipalType,
        Status = status,
    };

    /// <summary>The role's GUID, the last segment of a role definition id.</summary>
    internal static string? GuidOf(string? roleDefinitionId) =>
        roleDefinitionId is null ? null : roleDefinitionId[(roleDefinitionId.LastIndexOf('/') + 1)..];

    private static string? ScopeOf(string? assignmentId)
    {
        var marker = assignmentId?.IndexOf("/providers/Microsoft.Authorization/roleAssignments/", StringComparison.OrdinalIgnoreCase) ?? -1;
        return marker < 0 ? null : assignmentId![..marker];
    }

    /// <summary>"... The ID of the existing role assignment is 0a2b7dc58eb4...": the id comes without dashes.</summary>
    private static string? ExistingNameFrom(string message)
    {
        var match = ExistingIdPattern().Match(message);
        return match.Success && Guid.TryParseExact(match.Groups["id"].Value, "N", out var id) ? id.ToString() : null;
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    [GeneratedRegex("existing role assignment is (?<id>[0-9a-fA-F]{32})")]
    private static partial Regex ExistingIdPattern();
}
