using global::Azure.Core;
using global::Azure.Core.Pipeline;

namespace AzMLK8s.Engine.Azure;

/// <summary>
/// Azure.Core's exponential retry (429, 408, 5xx, with Retry-After), with two rules of the module's: a rejected
/// certificate is never retried, and an endpoint that cannot be reached (refused, not resolved, timed out) is tried
/// <see cref="UnreachableAttempts"/> times at most, so a wrong address fails in seconds, not half a minute.
/// </summary>
internal sealed class ArmRetryPolicy : RetryPolicy
{
    public const int UnreachableAttempts = 3;

    public ArmRetryPolicy(int maxRetries, DelayStrategy delayStrategy)
        : base(maxRetries, delayStrategy)
    {
    }

    protected override bool ShouldRetry(HttpMessage message, Exception? exception) =>
        Allows(message, exception) && base.ShouldRetry(message, exception);

    protected override ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) =>
        Allows(message, exception) ? base.ShouldRetryAsync(message, exception) : new ValueTask<bool>(false);

    private static bool Allows(HttpMessage message, Exception? exception) => TransportFailure.Classify(exception) switch
    {
        TransportFailureKind.CertificateRejected => false,
        TransportFailureKind.Unreachable or TransportFailureKind.TimedOut => message.ProcessingContext.RetryNumber + 1 < UnreachableAttempts,
        _ => true,
    };
}
