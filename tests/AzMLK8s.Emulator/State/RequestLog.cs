using System.Collections.Concurrent;

namespace AzMLK8s.Emulator.State;

/// <summary>One request the emulator answered. <see cref="Route"/> is the ARM operation name (e.g. Extensions_Create) or the endpoint's.</summary>
public sealed record LoggedRequest(DateTimeOffset At, string Method, string Path, string Route, int Status, string? CorrelationId, string? UserAgent)
{
    /// <summary>Which bearer token came with it, as <see cref="Fingerprint"/> gives it (never the token itself).</summary>
    public string? BearerFingerprint { get; init; }

    /// <summary>Its place in the order requests arrived (from 1), given before it was handled; see <see cref="RequestLog.Arrived"/>.</summary>
    public long Arrival { get; init; }

    /// <summary>The first 16 hex digits of a token's SHA-256: enough to tell tokens apart in a test.</summary>
    public static string Fingerprint(string token) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)))[..16];
}

/// <summary>Every request, for tests and benchmarks: counts by method and route.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<LoggedRequest> _entries = new();
    private long _arrived;

    public IReadOnlyList<LoggedRequest> Entries => _entries.ToArray();

    /// <summary>
    /// How many requests have arrived, answered or not. A request is logged when it has been answered, so one that
    /// arrived before a moment can be logged after it; tests that ask "was anything sent after X" compare arrivals.
    /// </summary>
    public long Arrived => Interlocked.Read(ref _arrived);

    /// <summary>Numbers a request as it arrives; the number goes into its <see cref="LoggedRequest.Arrival"/>.</summary>
    public long Arrive() => Interlocked.Increment(ref _arrived);

    /// <summary>The requests that arrived after <paramref name="arrived"/> (a value of <see cref="Arrived"/>).</summary>
    public IReadOnlyList<LoggedRequest> ArrivedAfter(long arrived) => _entries.Where(e => e.Arrival > arrived).ToArray();

    public void Add(LoggedRequest entry) => _entries.Enqueue(entry);

    public void Clear() => _entries.Clear();

    public int Count(string method, string route) =>
        _entries.Count(e => string.Equals(e.Method, method, StringComparison.OrdinalIgnoreCase) && string.Equals(e.Route, route, StringComparison.OrdinalIgnoreCase));

    public int Count(string route) => _entries.Count(e => string.Equals(e.Route, route, StringComparison.OrdinalIgnoreCase));

    /// <summary>"METHOD Route" -> count.</summary>
    public IReadOnlyDictionary<string, int> CountsByRoute() =>
        _entries.GroupBy(e => $"{e.Method} {e.Route}").OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
}
