namespace AzMLK8s.Emulator.State;

/// <summary>
/// ARM-like per-subscription request budgets: a fixed number of writes and reads per window. Each answer reports
/// what is left (x-ms-ratelimit-remaining-subscription-writes/reads); an empty budget means 429.
/// </summary>
public sealed class SubscriptionThrottle
{
    private readonly object _gate = new();
    private readonly Dictionary<(string Subscription, bool Write), (DateTimeOffset WindowStart, int Used)> _usage = new();

    public SubscriptionThrottle(int writeBudget, int readBudget, TimeSpan window)
    {
        WriteBudget = writeBudget;
        ReadBudget = readBudget;
        Window = window;
    }

    public int WriteBudget { get; set; }

    public int ReadBudget { get; set; }

    public TimeSpan Window { get; set; }

    /// <summary>Takes one request from the budget. Returns what is left, or the wait until the window resets.</summary>
    public (bool Allowed, int Remaining, TimeSpan RetryAfter) Take(string subscriptionId, bool write, DateTimeOffset now)
    {
        lock (_gate)
        {
            var key = (subscriptionId.ToLowerInvariant(), write);
            var budget = write ? WriteBudget : ReadBudget;
            var (start, used) = _usage.TryGetValue(key, out var found) && now - found.WindowStart < Window ? found : (now, 0);
            if (used >= budget)
            {
                _usage[key] = (start, used);
                return (false, 0, start + Window - now);
            }

            _usage[key] = (start, used + 1);
            return (true, budget - used - 1, TimeSpan.Zero);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _usage.Clear();
        }
    }
}
