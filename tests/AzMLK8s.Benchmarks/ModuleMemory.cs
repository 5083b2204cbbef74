using System.Diagnostics;
using System.Globalization;
using System.Net;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Azure.Context;
using AzMLK8s.Harness;

namespace AzMLK8s.Benchmarks;

/// <summary>
/// The module's own memory in a fleet rollout. The other sections run the emulator in their process; here a fresh
/// process (this benchmark with --memory-child N) runs New-AzMLK8sExtension on N clusters of a standalone emulator,
/// so its working set is the module's, its dependencies' and the runtime's alone.
/// </summary>
internal static class ModuleMemory
{
    public const int TargetMiB = 200;
    private const int ThrottleLimit = 16;

    public static async Task PrintAsync(int n)
    {
        Console.WriteLine($"Module memory: New-AzMLK8sExtension -EnableTraining on {n} AKS clusters (ThrottleLimit {ThrottleLimit}) in a fresh process, the emulator in another");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "exec", typeof(ModuleMemory).Assembly.Location, "--memory-child", n.ToString(CultureInfo.InvariantCulture) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Console.Write(await output);
        if (process.ExitCode != 0)
        {
            Console.WriteLine($"  the run failed (exit {process.ExitCode}): {await errors}");
        }
    }

    /// <summary>The measured run, in the child process; exit code 0 when every cluster got its extension.</summary>
    public static async Task<int> RunChildAsync(int n)
    {
        using var emulator = await StandaloneEmulator.StartAsync(
            ColdStart.Metadata("Emulator"),
            "--fleet", n.ToString(CultureInfo.InvariantCulture), "--operation-ms", "500", "--latency-ms", "5");
        var clusters = Enumerable.Range(0, n)
            .Select(i => $"/subscriptions/{EmulatorState.DefaultSubscriptionId}/resourceGroups/{EmulatorState.DefaultResourceGroup}/providers/Microsoft.ContainerService/managedClusters/fleet-{i:000}")
            .ToArray();
        var host = new BenchHost();
        AzureContextStore.Set(host, AzureContextSettings.ForCustomEndpoint(
            emulator.Address, emulator.Thumbprint, EmulatorState.DefaultSubscriptionId, new NetworkCredential(string.Empty, "benchmark-token").SecurePassword));
        var cmdlet = Fleet.Training(ThrottleLimit);
        cmdlet.PollingInterval = TimeSpan.FromMilliseconds(50);

        GC.Collect();
        var before = WorkingSet();
        long peak = before;
        long peakManaged = GC.GetTotalMemory(forceFullCollection: true);
        using (new Timer(_ =>
        {
            Bench.InterlockedMax(ref peak, WorkingSet());
            Bench.InterlockedMax(ref peakManaged, GC.GetTotalMemory(false));
        }, null, 0, 20))
        {
            var clock = Stopwatch.StartNew();
            var result = CmdletRunner.Run(cmdlet, host, Fleet.Inputs(clusters));
            clock.Stop();
            Bench.InterlockedMax(ref peak, WorkingSet());
            var failures = host.Errors.Count + (result.TerminatingError is null ? 0 : 1);
            Console.WriteLine($"  wall {clock.Elapsed.TotalSeconds:0.00} s, {host.Output.Count} extensions written, {failures} errors");
            Console.WriteLine($"  working set: {MiB(before)} MiB before the first cmdlet (runtime and benchmark), peak {MiB(peak)} MiB during the call; managed heap peak {MiB(peakManaged)} MiB");
            Console.WriteLine($"  target: peak under {TargetMiB} MiB at N={n}: {(MiB(peak) < TargetMiB ? "met" : "missed")}");
            return failures == 0 && host.Output.Count == n ? 0 : 1;
        }
    }

    private static long WorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private static long MiB(long bytes) => bytes / (1024 * 1024);
}
