namespace AzMLK8s.Engine.Operations.Roles;

/// <summary>
/// How long to keep retrying an assignment whose principal Microsoft Entra ID does not know yet: a compute's or
/// identity's principal created moments ago takes a while to replicate.
/// </summary>
public sealed record RoleAssignmentRetryOptions
{
    public static RoleAssignmentRetryOptions Default { get; } = new();

    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>After this long the grant fails with PrincipalNotReplicated.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}
