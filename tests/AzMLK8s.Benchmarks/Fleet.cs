using System.Diagnostics;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Benchmarks;

/// <summary>
/// New-AzMLK8sExtension rolled out to N clusters by one command line through PowerShell's pipeline (a runspace of the
/// real PowerShell, the emulator in this process); the same under a subscription write budget.
/// </summary>
internal static class Fleet
{
    public const int ThrottleLimit = 16;

    /// <summary>The set-up line, not timed: one object per cluster whose ClusterResourceId binds by property name.</summary>
    public const string Inputs = "$clusters = $ids | ForEach-Object { [pscustomobject]@{ ClusterResourceId = $_ } }";

    public static string Rollout(int throttleLimit) => $"$installed = $clusters | New-AzMLK8sExtension -EnableTraining -ThrottleLimit {throttleLimit}";

    public static async Task PrintRolloutAsync(IReadOnlyList<int> sizes, int sequentialUpTo)
    {
        var wait = BenchEmulator.OperationWait.TotalSeconds;
        Console.WriteLine($"Fleet rollout through the pipeline of a PowerShell runspace, LRO {BenchEmulator.Lro.TotalMilliseconds:0} ms with Retry-After: {BenchEmulator.RetryAfterSeconds}, latency {BenchEmulator.Latency.TotalMilliseconds:0} ms/request:");
        Console.WriteLine($"    PS> {Inputs}");
        Console.WriteLine($"    PS> {Rollout(ThrottleLimit)}        (timed; sequential: -ThrottleLimit 1)");
        Console.WriteLine($"{"N",5} {"wall s",8} {"seq s",8} {"x faster",9} {"ideal s",8} {"x ideal",8} {"requests",9} {"in flight",10} {"heap MiB",9} {"errors",7} {"end state",10}");
        // The process's first call JITs PowerShell's and the module's code: a small rollout first, not shown.
        await RolloutAsync(4, ThrottleLimit, budget: null);
        double? perInputSequential = null;
        foreach (var n in sizes)
        {
            var parallel = await RolloutAsync(n, ThrottleLimit, budget: null);
            string sequential;
            double sequentialSeconds;
            if (n <= sequentialUpTo)
            {
                var seq = await RolloutAsync(n, 1, budget: null);
                sequentialSeconds = seq.Wall.TotalSeconds;
                perInputSequential = sequentialSeconds / n;
                sequential = $"{sequentialSeconds,8:0.00}";
            }
            else
            {
                sequentialSeconds = perInputSequential!.Value * n;
                sequential = $"{sequentialSeconds,7:0.0}*";
            }

            // Every input waits for its operation at least; ThrottleLimit inputs run at once.
            var ideal = Math.Ceiling(n / (double)ThrottleLimit) * wait;
            Console.WriteLine($"{n,5} {parallel.Wall.TotalSeconds,8:0.00} {sequential} {sequentialSeconds / parallel.Wall.TotalSeconds,9:0.0} {ideal,8:0.00} {parallel.Wall.TotalSeconds / ideal,8:0.00} " +
                $"{parallel.ArmRequests,9} {parallel.PeakInFlight,10} {parallel.HeapGrowthMiB,9:0.0} {parallel.Errors,7} {(parallel.AllSucceeded ? "Succeeded" : "WRONG"),10}");
            foreach (var error in parallel.FirstErrors)
            {
                Console.WriteLine($"      error {error}");
            }
        }

        Console.WriteLine($"  * extrapolated from the sequential run at N={sequentialUpTo}. ideal: ceil(N/{ThrottleLimit}) x {wait:0.0} s (an operation, polled after Retry-After).");
        Console.WriteLine("  in flight: most clusters whose requests overlapped, seen from the emulator's log; heap: managed heap growth during the call");
        Console.WriteLine("  (the emulator runs in this process); end state: every extension Succeeded in the emulator and came out of the pipeline.");
        Console.WriteLine("  The process ran a small rollout first (not shown), so that no row pays for the first call's JIT.");
        using var self = Process.GetCurrentProcess();
        Console.WriteLine($"  this process's peak working set (PowerShell, module and emulator): {self.PeakWorkingSet64 / (1024 * 1024)} MiB");
    }

    public static async Task PrintWriteBudgetAsync(int n)
    {
        var writes = n / 2;
        Console.WriteLine($"Under a subscription write budget of {writes} writes per 3 s (N={n}, ThrottleLimit {ThrottleLimit}, the same command line):");
        var run = await RolloutAsync(n, ThrottleLimit, budget: (writes, TimeSpan.FromSeconds(3)));
        Console.WriteLine($"  wall {run.Wall.TotalSeconds:0.00} s, {run.ArmRequests} requests ({run.ArmWrites} writes), {run.Throttled} answered 429, errors {run.Errors}, end state {(run.AllSucceeded ? "every extension Succeeded" : "WRONG")}");
        foreach (var error in run.FirstErrors)
        {
            Console.WriteLine($"      error {error}");
        }
    }

    private static async Task<RolloutFigures> RolloutAsync(int n, int throttleLimit, (int Writes, TimeSpan Window)? budget)
    {
        await using var emulator = await BenchEmulator.StartAsync(BenchEmulator.Latency);
        var ids = FleetSeed.AddClusters(emulator.State, n);
        using var session = ModuleRunspace.Open(emulator);
        session.Run(Inputs, ("ids", ids.ToArray())).ThrowIfFailed("The fleet's inputs");
        if (budget is { } b)
        {
            emulator.State.Throttle.WriteBudget = b.Writes;
            emulator.State.Throttle.Window = b.Window;
            emulator.State.Throttle.Reset();
        }

        emulator.State.Requests.Clear();
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = baseline;
        PipelineRun run;
        using (new Timer(_ => InterlockedMax(ref peak, GC.GetTotalMemory(false)), null, 0, 20))
        {
            run = session.Run(Rollout(throttleLimit));
        }

        InterlockedMax(ref peak, GC.GetTotalMemory(false));
        var returned = session.Run("@($installed).Count").Output.Select(o => (int)o.BaseObject).Single();
        var log = emulator.State.Requests.Entries;
        var arm = log.Where(r => !BenchEmulator.IsKubernetes(r)).ToArray();
        var succeeded = emulator.State.Extensions.Values.Count(e => e.ProvisioningState == "Succeeded" && ids.Contains(e.Cluster.ResourceId, StringComparer.OrdinalIgnoreCase));
        return new RolloutFigures(
            run.Wall,
            arm.Length,
            arm.Count(BenchEmulator.IsArmWrite),
            arm.Count(r => r.Status == 429),
            (Interlocked.Read(ref peak) - baseline) / (1024.0 * 1024.0),
            run.ErrorCount,
            run.Describe().Take(3).ToArray(),
            PeakInFlight(arm),
            succeeded == n && returned == n);
    }

    /// <summary>The most clusters whose requests overlapped in time: each cluster busy from its first answer to its last.</summary>
    private static int PeakInFlight(IEnumerable<LoggedRequest> arm)
    {
        var spans = arm
            .Select(r => (Cluster: ClusterOf(r.Path), r.At))
            .Where(r => r.Cluster is not null)
            .GroupBy(r => r.Cluster, StringComparer.OrdinalIgnoreCase)
            .Select(g => (Start: g.Min(r => r.At), End: g.Max(r => r.At)));
        var events = spans.SelectMany(s => new[] { (s.Start, +1), (s.End, -1) }).OrderBy(e => e.Item1).ThenByDescending(e => e.Item2);
        int current = 0, peak = 0;
        foreach (var (_, step) in events)
        {
            current += step;
            peak = Math.Max(peak, current);
        }

        return peak;
    }

    private static string? ClusterOf(string path)
    {
        const string Marker = "/managedClusters/";
        var at = path.IndexOf(Marker, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        var rest = path[(at + Marker.Length)..];
        var end = rest.IndexOf('/', StringComparison.Ordinal);
        return end < 0 ? rest : rest[..end];
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed record RolloutFigures(
        TimeSpan Wall,
        int ArmRequests,
        int ArmWrites,
        int Throttled,
        double HeapGrowthMiB,
        int Errors,
        IReadOnlyList<string> FirstErrors,
        int PeakInFlight,
        bool AllSucceeded);
}
