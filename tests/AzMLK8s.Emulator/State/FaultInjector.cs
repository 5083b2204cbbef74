using System.Text.RegularExpressions;

namespace AzMLK8s.Emulator.State;

public enum FaultKind
{
    /// <summary>429 with Retry-After.</summary>
    TooManyRequests,

    /// <summary>500 InternalServerError.</summary>
    InternalServerError,

    /// <summary>503 ServiceUnavailable with Retry-After.</summary>
    ServiceUnavailable,

    /// <summary>The connection is dropped without a response.</summary>
    ConnectionReset,

    /// <summary>The request is served normally after <see cref="FaultRule.Latency"/>.</summary>
    Latency,

    /// <summary>400: the service refuses this request (not transient: clients do not retry it).</summary>
    BadRequest,
}

/// <summary>
/// One fault: which requests it hits (method, path regex; null = any), how often (the next <see cref="Times"/>
/// matches, or for ever), and with what probability (drawn from the injector's seeded random).
/// </summary>
public sealed record FaultRule(FaultKind Kind)
{
    public string? Method { get; init; }

    /// <summary>Case-insensitive regex matched against the path.</summary>
    public string? PathPattern { get; init; }

    /// <summary>Hit this many matching requests, then retire; null: no limit.</summary>
    public int? Times { get; init; }

    public double Probability { get; init; } = 1.0;

    /// <summary>The Retry-After of a 429 or 503; on a Kubernetes API path, 0 sends a 503 without one.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(200);

    internal bool Matches(string method, string path) =>
        (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        && (PathPattern is null || Regex.IsMatch(path, PathPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant));
}

/// <summary>Scripted or seeded-random faults, per route or global.</summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<(FaultRule Rule, int Remaining)> _rules = new();
    private Random _random = new(0);

    public void Add(FaultRule rule)
    {
        lock (_gate)
        {
            _rules.Add((rule, rule.Times ?? int.MaxValue));
        }
    }

    /// <summary>Makes the random draws repeatable.</summary>
    public void Seed(int seed)
    {
        lock (_gate)
        {
            _random = new Random(seed);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>
    /// What this request gets: the delay of every latency rule that fires (they add up, so a base latency never hides
    /// the faults behind it), and the first other matching rule that fires, if any.
    /// </summary>
    public (TimeSpan Delay, FaultRule? Fault) Next(string method, string path)
    {
        lock (_gate)
        {
            var delay = TimeSpan.Zero;
            for (var i = 0; i < _rules.Count; i++)
            {
                var (rule, remaining) = _rules[i];
                if (remaining <= 0 || !rule.Matches(method, path) || (rule.Probability < 1.0 && _random.NextDouble() >= rule.Probability))
                {
                    continue;
                }

                _rules[i] = (rule, remaining == int.MaxValue ? remaining : remaining - 1);
                if (rule.Kind == FaultKind.Latency)
                {
                    delay += rule.Latency;
                    continue;
                }

                return (delay, rule);
            }

            return (delay, null);
        }
    }
}
