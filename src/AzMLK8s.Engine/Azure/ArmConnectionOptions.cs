namespace AzMLK8s.Engine.Azure;

/// <summary>Retry and polling behaviour of an <see cref="ArmConnection"/>. Tests shorten the delays.</summary>
public sealed record ArmConnectionOptions
{
    public static ArmConnectionOptions Default { get; } = new();

    /// <summary>Retries after the first attempt on 408, 429, 5xx and connection failures.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The first back-off delay (exponential with jitter); a longer Retry-After from the service wins.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>One attempt's time limit.</summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromSeconds(100);

    public ArmPollingOptions Polling { get; init; } = new();
}
