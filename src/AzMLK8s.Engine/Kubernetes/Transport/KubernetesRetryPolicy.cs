using System.Net;

namespace AzMLK8s.Engine.Kubernetes.Transport;

/// <summary>
/// When <see cref="KubernetesClient"/> sends a request again, after client-go (rest/with_retry.go, rest/request.go):
/// <list type="bullet">
/// <item>A 429, or a 5xx with Retry-After: the server says it did not act, so any request goes again after the
/// Retry-After delay (capped; a 429 without one backs off).</item>
/// <item>A 500/502/503/504 without Retry-After, a refused or dropped connection: only reads (GET) go again, after an
/// exponential back-off with jitter. A write may have been applied before the failure; sending it again blindly could
/// apply it twice, so its caller gets the error and resolves the outcome by reading.</item>
/// <item>An attempt that timed out is not sent again, as client-go does not: the server gave no answer in the whole
/// timeout.</item>
/// </list>
/// At most <see cref="KubernetesClientOptions.MaxAttempts"/> attempts; the waits end at once on cancellation.
/// </summary>
internal sealed class KubernetesRetryPolicy
{
    private readonly int _maxAttempts;
    private readonly TimeSpan _retryDelay;
    private readonly TimeSpan _maxRetryDelay;

    public KubernetesRetryPolicy(KubernetesClientOptions options)
    {
        _maxAttempts = Math.Max(1, options.MaxAttempts);
        _retryDelay = options.RetryDelay < TimeSpan.Zero ? TimeSpan.Zero : options.RetryDelay;
        _maxRetryDelay = options.MaxRetryDelay < TimeSpan.Zero ? TimeSpan.Zero : options.MaxRetryDelay;
    }

    /// <summary>The wait before the next attempt after this answer to attempt <paramref name="attempt"/>; null: the answer stands.</summary>
    public TimeSpan? DelayAfterResponse(HttpMethod method, HttpResponseMessage response, int attempt)
    {
        var throttled = response.StatusCode == HttpStatusCode.TooManyRequests;
        if (attempt >= _maxAttempts || (!throttled && (int)response.StatusCode < 500))
        {
            return null;
        }

        if (RetryAfter(response) is { } serverDelay)
        {
            return serverDelay < _maxRetryDelay ? serverDelay : _maxRetryDelay;
        }

        return throttled || (IsRead(method) && TransientFailure.IsTransientStatus(response.StatusCode))
            ? Backoff(attempt)
            : null;
    }

    /// <summary>The wait before the next attempt after a transient transport failure; null: give up.</summary>
    public TimeSpan? DelayAfterFailure(HttpMethod method, int attempt) =>
        attempt < _maxAttempts && IsRead(method) ? Backoff(attempt) : null;

    private static bool IsRead(HttpMethod method) => method == HttpMethod.Get || method == HttpMethod.Head;

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return delay is null ? null : delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }

    // Doubling from RetryDelay, capped, then spread over 80-120% so that a fleet's clients do not retry in step.
    private TimeSpan Backoff(int attempt)
    {
        var doubled = _retryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20));
        var jittered = Math.Min(doubled, _maxRetryDelay.TotalMilliseconds) * (0.8 + (0.4 * Random.Shared.NextDouble()));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, _maxRetryDelay.TotalMilliseconds));
    }
}
