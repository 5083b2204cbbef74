using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Benchmarks;

/// <summary>
/// The in-process emulator as the benchmarks set it up: operations of <see cref="Lro"/> answered with Retry-After: 1
/// (whole seconds, as ARM sends it), so the module's poller, which follows the server, polls each operation once.
/// </summary>
internal static class BenchEmulator
{
    /// <summary>How long an extension or compute operation runs: just under the Retry-After, so one poll finds it done.</summary>
    public static readonly TimeSpan Lro = TimeSpan.FromMilliseconds(900);

    public const int RetryAfterSeconds = 1;

    /// <summary>What one input of a fleet waits for at least: the LRO, polled after Retry-After.</summary>
    public static TimeSpan OperationWait => TimeSpan.FromSeconds(Math.Max(Lro.TotalSeconds, RetryAfterSeconds));

    /// <summary>A delay before every answer in the fleet sections (a request's round trip).</summary>
    public static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(5);

    /// <summary>The same as command-line options of a standalone emulator.</summary>
    public static string[] CommandLine(int fleet) => new[]
    {
        "--fleet", fleet.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--operation-ms", ((int)Lro.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--retry-after", RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--latency-ms", ((int)Latency.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static async Task<EmulatorServer> StartAsync(TimeSpan latency)
    {
        var server = await EmulatorServer.StartAsync(new EmulatorOptions
        {
            OperationDuration = Lro,
            OperationRetryAfterSeconds = RetryAfterSeconds,
            RegistrationDuration = Lro,
        });
        if (latency > TimeSpan.Zero)
        {
            server.State.Faults.Add(new FaultRule(FaultKind.Latency) { Latency = latency });
        }

        return server;
    }

    /// <summary>A request to a cluster's Kubernetes API (the emulator serves them under /k8s/), not to ARM.</summary>
    public static bool IsKubernetes(LoggedRequest request) => request.Path.StartsWith("/k8s/", StringComparison.OrdinalIgnoreCase);

    /// <summary>An ARM request that is not a read (the cluster credential POST counts: it is one to ARM's write budget).</summary>
    public static bool IsArmWrite(LoggedRequest request) => request.Method is not "GET" and not "HEAD" && !IsKubernetes(request);

    /// <summary>A poll of an operation's status.</summary>
    public static bool IsPoll(LoggedRequest request) =>
        request.Method == "GET" && request.Path.Contains("operation", StringComparison.OrdinalIgnoreCase) && !IsKubernetes(request);

    /// <summary>Answered with a fault: 429, 500, 503 or a dropped connection (status 0).</summary>
    public static bool IsFaulted(LoggedRequest request) => request.Status is 429 or 500 or 503 or 0;
}
