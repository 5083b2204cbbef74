using AzMLK8s.Model.Host;
using System.Collections.Concurrent;
using System.Globalization;
using global::Azure.Core;
using global::Azure.Core.Pipeline;

namespace AzMLK8s.Engine.Azure;

/// <summary>
/// ARM's request budget of one subscription as this process sees it, shared by every connection to it (a fleet
/// rollout runs many at once). A 429 or 503 with Retry-After pauses every request to the subscription, not just the
/// one that got it (writes and reads apart, as ARM counts them). The remaining budget ARM reports (x-ms-ratelimit-remaining-subscription-writes/reads) is
/// counted down as requests leave; once it is spent, one request at a time goes out to learn when the budget is
/// back (its Retry-After), instead of every waiting request running into the 429. While nothing is known yet (the
/// first request, or the first after a pause) one request goes alone and its answer tells the rest what is left.
/// </summary>
internal sealed class ArmRequestPacer
{
    public const string RemainingWritesHeader = "x-ms-ratelimit-remaining-subscription-writes";
    public const string RemainingReadsHeader = "x-ms-ratelimit-remaining-subscription-reads";

    /// <summary>The longest pause shared with other requests (the retry policy's longest delay).</summary>
    public static readonly TimeSpan MaxSharedPause = TimeSpan.FromSeconds(60);

    private static readonly ConcurrentDictionary<(string Endpoint, string Subscription), ArmRequestPacer> Pacers = new();

    private readonly object _gate = new();
    private readonly Budget _writes = new();
    private readonly Budget _reads = new();
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>A pacer of its own (tests); connections share <see cref="For"/>.</summary>
    internal ArmRequestPacer()
    {
    }

    /// <summary>The pacer of one subscription behind one ARM endpoint.</summary>
    public static ArmRequestPacer For(Uri endpoint, string subscriptionId) =>
        Pacers.GetOrAdd((endpoint.GetLeftPart(UriPartial.Authority).ToLowerInvariant(), subscriptionId.ToLowerInvariant()), _ => new ArmRequestPacer());

    /// <summary>How often a request waited for a pause another request's 429 started, or for spent budget.</summary>
    public int Waits { get; private set; }

    /// <summary>Waits until a request of this kind may go out, and takes it from the budget.</summary>
    public async ValueTask AcquireAsync(bool write, CancellationToken cancellationToken, Action<string>? onWait = null)
    {
        var waited = false;
        while (true)
        {
            Task changed;
            TimeSpan pause;
            lock (_gate)
            {
                var budget = write ? _writes : _reads;
                pause = budget.PausedUntil - DateTimeOffset.UtcNow;
                if (pause <= TimeSpan.Zero && budget.TryTake())
                {
                    if (waited)
                    {
                        Waits++;
                    }

                    return;
                }

                changed = _changed.Task;
            }

            waited = true;
            onWait?.Invoke(pause > TimeSpan.Zero
                ? $"waits {pause.TotalSeconds:0.0} s: ARM asked this subscription's {(write ? "writes" : "reads")} to pause (a 429 or 503 with Retry-After)"
                : $"waits for another request to finish: this subscription's {(write ? "write" : "read")} budget (x-ms-ratelimit-remaining-subscription-{(write ? "writes" : "reads")}) is spent");
            if (pause > TimeSpan.Zero)
            {
                await Task.WhenAny(changed, Task.Delay(pause, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Learns from an answer (status 0: none came): the remaining budget, or a pause for everyone on 429/503 with
    /// Retry-After.
    /// </summary>
    public void Observe(bool write, int status, Func<string, string?> header)
    {
        lock (_gate)
        {
            var budget = write ? _writes : _reads;
            budget.Returned(status);
            if (int.TryParse(header(write ? RemainingWritesHeader : RemainingReadsHeader), NumberStyles.Integer, CultureInfo.InvariantCulture, out var left))
            {
                budget.Report(left);
            }

            if (status is 429 or 503 && RetryAfter(header("Retry-After")) is { } wait)
            {
                // ARM counts writes and reads apart: a 429 pauses its kind; 503 (the service itself) pauses both.
                // A pause longer than a retry would wait is not shared: those requests fail or retry on their own.
                var until = DateTimeOffset.UtcNow + (wait < MaxSharedPause ? wait : MaxSharedPause);
                budget.PauseUntil(until);
                if (status == 503)
                {
                    (write ? _reads : _writes).PauseUntil(until);
                }
            }

            var changed = _changed;
            _changed = NewSignal();
            changed.TrySetResult();
        }
    }

    private static TimeSpan? RetryAfter(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at - DateTimeOffset.UtcNow : null;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// What ARM last said is left, less the requests sent since. Unknown at first and after a pause: then one request
    /// goes out and its answer says what is left, instead of a burst (a fleet's first writes, or every request a pause
    /// held) running past a budget nobody knows yet.
    /// </summary>
    private sealed class Budget
    {
        private int? _left;
        private int _inFlight;
        private bool _learned;

        public bool TryTake()
        {
            // Unknown, or spent: only one request at a time goes out, to learn what is left or when it is back.
            if ((!_learned || _left is <= 0) && _inFlight > 0)
            {
                return false;
            }

            _left--;
            _inFlight++;
            return true;
        }

        /// <summary>An answer came back (status 0: none did, and nothing was learned).</summary>
        public void Returned(int status)
        {
            _inFlight = Math.Max(0, _inFlight - 1);
            _learned |= status != 0;
        }

        public void Report(int left) => _left = left - _inFlight;

        public DateTimeOffset PausedUntil { get; private set; } = DateTimeOffset.MinValue;

        /// <summary>Nothing goes out until then; the budget is back after it (the next answer says how much).</summary>
        public void PauseUntil(DateTimeOffset until)
        {
            PausedUntil = until > PausedUntil ? until : PausedUntil;
            _left = null;
            _learned = false;
        }
    }
}

/// <summary>Paces every attempt (retries included) through the subscription's <see cref="ArmRequestPacer"/>.</summary>
internal sealed class ArmPacingPolicy : HttpPipelinePolicy
{
    private readonly ArmRequestPacer _pacer;
    private readonly ICmdletHost? _host;

    public ArmPacingPolicy(ArmRequestPacer pacer, ICmdletHost? host = null)
    {
        _pacer = pacer;
        _host = host;
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var write = message.Request.Method != RequestMethod.Get && message.Request.Method != RequestMethod.Head;
        await _pacer.AcquireAsync(
            write,
            message.CancellationToken,
            _host is { WritesDebug: true } host ? reason => host.WriteDebug($"ARM {message.Request.Method} {ArmDiagnosticsPolicy.SafeUri(message.Request.Uri.ToUri())} {reason}") : null).ConfigureAwait(false);
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        finally
        {
            var response = message.HasResponse ? message.Response : null;
            _pacer.Observe(write, response?.Status ?? 0, name => response is not null && response.Headers.TryGetValue(name, out var value) ? value : null);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();
}
