using System.Collections.Concurrent;
using System.Management.Automation;
using System.Text.RegularExpressions;
using AzMLK8s.Emulator.State;
using AzMLK8s.PowerShellHost.Tests.Infrastructure;

namespace AzMLK8s.PowerShellHost.Tests.Fleet;

/// <summary>
/// A fresh emulator and signed-in session per test, whose clock the test can freeze: a frozen clock holds every
/// long-running operation (and registration) in flight, so a test observes the states in between without timing.
/// Scripts feed the fleet cmdlets through recorders: <c>$fed</c> holds the inputs PowerShell handed on, <c>$written</c>
/// the cluster of each result as it reached the next command, <c>$threads</c> the pipeline thread's id.
/// </summary>
public abstract class FleetSessionPerTest : SessionPerTest
{
    private DateTimeOffset? _frozenAt;

    protected ConcurrentQueue<string> Fed { get; } = new();

    protected ConcurrentQueue<string> Written { get; } = new();

    protected ConcurrentQueue<int> Threads { get; } = new();

    /// <summary>The pipeline thread of the last script started with <see cref="StartFleet"/>.</summary>
    protected int PipelineThread => Threads.TryPeek(out var id) ? id : throw new InvalidOperationException("No script has started.");

    // Operations answer Retry-After: 1, so a wait polls every second instead of the poller's 5 s default.
    protected override AzMLK8s.Emulator.Hosting.EmulatorOptions Options()
    {
        var options = EmulatorFixture.FastOptions();
        options.OperationRetryAfterSeconds = 1;
        return options;
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        State.Clock = () => _frozenAt ?? DateTimeOffset.UtcNow;
    }

    protected void FreezeClock() => _frozenAt = DateTimeOffset.UtcNow;

    protected void ThawClock() => _frozenAt = null;

    /// <summary>
    /// Pipes one object per cluster (with a ClusterResourceId) into <paramref name="command"/> and records what it
    /// writes. Returns at once; the test stops or awaits it.
    /// </summary>
    protected RunningScript StartFleet(string command, IEnumerable<string> clusters) =>
        Session.Start(
            "$threads.Enqueue([Environment]::CurrentManagedThreadId)\n" +
            "$ids | ForEach-Object { $fed.Enqueue($_); [pscustomobject]@{ ClusterResourceId = $_ } } |\n" +
            $"    {command} |\n" +
            "    ForEach-Object { $written.Enqueue($_.ClusterResourceId) }",
            ("ids", clusters.ToArray()),
            ("fed", Fed),
            ("written", Written),
            ("threads", Threads));

    protected static async Task<ScriptResult> Finish(RunningScript running) =>
        await running.Completion.WaitAsync(FleetWaiting.HangGuard);

    protected int PutsTo(string clusterId) =>
        State.Requests.Entries.Count(e => e.Method == "PUT" && e.Path.StartsWith(clusterId + "/providers/Microsoft.KubernetesConfiguration/extensions/", StringComparison.OrdinalIgnoreCase));

    protected int ExtensionReadsOf(string clusterId) =>
        State.Requests.Entries.Count(e => e.Method == "GET" && e.Route == "Extensions_Get" && e.Path.StartsWith(clusterId + "/", StringComparison.OrdinalIgnoreCase));

    protected IReadOnlyList<string> AddFleet(int count) => FleetSeed.AddClusters(State, count);

    /// <summary>Installs the training extension on a cluster and waits until it succeeded.</summary>
    protected void InstallTraining(string clusterId) =>
        Session.Run("$null = New-AzMLK8sExtension -ClusterResourceId $id -EnableTraining -ErrorAction Stop", ("id", clusterId)).ThrowIfFailed();
}

public static class FleetWaiting
{
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(40);

    public static async Task Until(Func<bool> condition, string what)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        while (!condition())
        {
            Assert.False(guard.IsCancellationRequested, $"Gave up waiting until {what}.");
            await Task.Delay(10);
        }
    }

    /// <summary>What a live stream holds now (the script may still be adding to it).</summary>
    public static IReadOnlyList<T> Snapshot<T>(PSDataCollection<T> stream)
    {
        var copy = new List<T>();
        for (var i = 0; i < stream.Count; i++)
        {
            copy.Add(stream[i]);
        }

        return copy;
    }

    /// <summary>The target of a -Confirm prompt ("... on target \"X\".").</summary>
    public static string TargetOf(string promptMessage) =>
        Regex.Match(promptMessage, "on target \"(?<target>[^\"]+)\"", RegexOptions.CultureInvariant).Groups["target"].Value;
}
