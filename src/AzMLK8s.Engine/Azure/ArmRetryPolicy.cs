using global::Azure.Core;
using global::Azure.Core.Pipeline;

namespace AzMLK8s.Engine.Azure;

/// <summary>
/// Azure.Core's exponential retry (429, 408, 5xx, with Retry-After), with two rules of the module's: a rejected
/// certificate is never retried, and a request whose connection failed (refused, not resolved, reset, timed out)
/// <see cref="UnreachableAttempts"/> times is not sent again, so a wrong address fails in seconds, not half a minute.
/// Only the connection failures count toward that limit: a request that was throttled or answered 503 first still
/// gets its three tries at a dropped connection.
/// </summary>
internal sealed class ArmRetryPolicy : RetryPolicy
{
    public const int UnreachableAttempts = 3;

    public ArmRetryPolicy(int maxRetries, DelayStrategy delayStrategy)
        : base(maxRetries, delayStrategy)
    {
    }

    /// <summary>How many attempts the message has had so far (the first one included).</summary>
    public static int AttemptsOf(HttpMessage message) => message.ProcessingContext.RetryNumber + 1;

    protected override bool ShouldRetry(HttpMessage message, Exception? exception) =>
        Allows(message, exception) && base.ShouldRetry(message, exception);

    protected override ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) =>
        Allows(message, exception) ? base.ShouldRetryAsync(message, exception) : new ValueTask<bool>(false);

    private static bool Allows(HttpMessage message, Exception? exception) => TransportFailure.Classify(exception) switch
    {
        TransportFailureKind.CertificateRejected => false,
        TransportFailureKind.Unreachable or TransportFailureKind.TimedOut => CountConnectionFailure(message) < UnreachableAttempts,
        _ => true,
    };

    private static int CountConnectionFailure(HttpMessage message)
    {
        if (!message.TryGetProperty(typeof(ConnectionFailures), out var value) || value is not ConnectionFailures failures)
        {
            failures = new ConnectionFailures();
            message.SetProperty(typeof(ConnectionFailures), failures);
        }

        return ++failures.Count;
    }

    private sealed class ConnectionFailures
    {
        public int Count { get; set; }
    }
}
