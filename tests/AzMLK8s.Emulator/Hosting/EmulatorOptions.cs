namespace AzMLK8s.Emulator.Hosting;

/// <summary>How protected extension settings come back on GET (real Azure's choice is unconfirmed).</summary>
public enum ProtectedSettingsResponse
{
    /// <summary>configurationProtectedSettings is null.</summary>
    Null,

    /// <summary>configurationProtectedSettings lists the keys, each with a null value.</summary>
    KeysOnly,
}

public sealed class EmulatorOptions
{
    /// <summary>0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>Seed the default subscription, resource group, clusters and workspaces.</summary>
    public bool SeedDefaults { get; set; } = true;

    /// <summary>How long extension and compute operations run. <see cref="Timeout.InfiniteTimeSpan"/>: until the test calls EmulatorState.CompleteOperations.</summary>
    public TimeSpan OperationDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Retry-After (seconds) on 201/202 and on running operation statuses; null sends none.</summary>
    public int? OperationRetryAfterSeconds { get; set; } = 1;

    /// <summary>How long a feature or provider stays Registering.</summary>
    public TimeSpan RegistrationDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a new principal (e.g. a compute's system-assigned identity) is unknown to role assignments.</summary>
    public TimeSpan PrincipalReplicationDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How long a new role assignment stays out of role assignment lists while the PUT already sees it (Azure's
    /// lists lag behind writes made elsewhere moments before).
    /// </summary>
    public TimeSpan RoleAssignmentListDelay { get; set; } = TimeSpan.Zero;

    public ProtectedSettingsResponse ProtectedSettingsResponse { get; set; } = ProtectedSettingsResponse.Null;

    /// <summary>Writes (PUT/PATCH/POST/DELETE) allowed per subscription per <see cref="ThrottlingWindow"/>, like ARM's 1200/hour.</summary>
    public int WriteBudget { get; set; } = 1200;

    public int ReadBudget { get; set; } = 12000;

    public TimeSpan ThrottlingWindow { get; set; } = TimeSpan.FromHours(1);
}
