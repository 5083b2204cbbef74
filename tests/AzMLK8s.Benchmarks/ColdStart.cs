using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Benchmarks;

/// <summary>
/// Cold start: the standalone emulator in one process, then K fresh processes of the cold-start probe, each importing
/// the built module folder and running Set-AzMLK8sContext and Get-AzMLK8sExtension until its first request is on
/// the wire. The figure starts when the probe loads AzMLK8s.dll; starting dotnet itself is reported apart.
/// </summary>
internal static partial class ColdStart
{
    public const double TargetMilliseconds = 300;

    private static readonly string ClusterResourceId =
        $"/subscriptions/{EmulatorState.DefaultSubscriptionId}/resourceGroups/{EmulatorState.DefaultResourceGroup}/providers/Microsoft.ContainerService/managedClusters/aks-demo";

    private static readonly (string Key, string Label)[] Phases =
    {
        ("phase import (load AzMLK8s.dll + module initializer)", "import: load AzMLK8s.dll + module initializer"),
        ("phase engine first call (Set-AzMLK8sContext)", "engine load context, first call (Set-AzMLK8sContext)"),
        ("phase connection (Get-AzMLK8sExtension up to the HTTP send)", "credential + pipeline + request (up to HttpClient send)"),
        ("phase first request (connect, TLS, headers on the wire)", "first request: connect, TLS, headers on the wire"),
        ("  of which TLS handshake", "  of which TLS handshake"),
    };

    public static async Task PrintAsync(int samples)
    {
        Console.WriteLine($"Cold start: from loading AzMLK8s.dll through the isolated engine to the first request's headers on the wire");
        Console.WriteLine($"(Set-AzMLK8sContext, then Get-AzMLK8sExtension against the standalone emulator; {samples} fresh processes, none discarded)");
        var moduleFolder = Metadata("ModuleFolder");
        if (!File.Exists(Path.Combine(moduleFolder, "AzMLK8s.dll")))
        {
            Console.WriteLine($"  skipped: {moduleFolder} has not been built (dotnet build AzMLK8s.sln -c Release).");
            return;
        }

        using var emulator = await StandaloneEmulator.StartAsync(Metadata("Emulator"));
        var runs = new List<ProbeRun>();
        for (var i = 0; i < samples; i++)
        {
            runs.Add(await RunProbeAsync(Metadata("ColdStartProbe"), moduleFolder, emulator));
        }

        var failed = runs.Where(r => !r.Succeeded).ToArray();
        foreach (var run in failed)
        {
            Console.WriteLine($"  a probe run failed (exit {run.ExitCode}):{Environment.NewLine}{run.Output}");
        }

        var good = runs.Where(r => r.Succeeded).ToArray();
        if (good.Length == 0)
        {
            return;
        }

        var total = good.Select(r => r.Milliseconds["cold start"]).ToArray();
        Console.WriteLine();
        Console.WriteLine("| Phase (median of the runs) | ms |");
        Console.WriteLine("| --- | --: |");
        Console.WriteLine($"| dotnet process start to the probe's Main (not part of the figure) | {Median(good.Select(r => r.DotnetStartup)):0} |");
        foreach (var (key, label) in Phases)
        {
            Console.WriteLine($"| {label} | {Median(good.Select(r => r.Milliseconds[key])):0} |");
        }

        Console.WriteLine($"| cold start (the figure) | {Median(total):0} |");
        Console.WriteLine($"| CPU time of the probe during the cold start (all threads) | {Median(good.Select(r => r.Milliseconds["cold start cpu time"])):0} |");
        Console.WriteLine($"| the cmdlet's end (response read and written; not part of the figure) | {Median(good.Select(r => r.Milliseconds["cmdlet done (response read, output written)"])):0} |");
        Console.WriteLine();
        var median = Median(total);
        Console.WriteLine($"  cold start over {good.Length} runs: min {total.Min():0} ms, median {median:0} ms, max {total.Max():0} ms; " +
            $"target under {TargetMilliseconds:0} ms: {(median < TargetMilliseconds ? "met" : "MISSED")} (median)");
        Console.WriteLine($"  machine load average when done: {LoadAverage()} ({Environment.ProcessorCount} cores): wall times stretch with other work, CPU time much less.");
        Console.WriteLine($"  every run: {string.Join(", ", total.Select(t => t.ToString("0", CultureInfo.InvariantCulture)))} ms; " +
            $"assemblies loaded (default + engine context): {good[0].Values["assemblies in the default context"]} + {good[0].Values["assemblies in the engine context"]}");
    }

    private static async Task<ProbeRun> RunProbeAsync(string probe, string moduleFolder, StandaloneEmulator emulator)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "exec", probe, moduleFolder, emulator.Address.ToString(), emulator.Thumbprint, ClusterResourceId },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Stopwatch ticks are CLOCK_MONOTONIC on Linux (and QPC on Windows): the probe's are comparable with ours.
        var launched = Stopwatch.GetTimestamp();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        return ProbeRun.Parse(process.ExitCode, output, launched);
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static string Metadata(string key) =>
        typeof(ColdStart).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The benchmark assembly has no {key} metadata.");

    private sealed record ProbeRun(int ExitCode, string Output, IReadOnlyDictionary<string, double> Milliseconds, IReadOnlyDictionary<string, long> Values, double DotnetStartup)
    {
        public bool Succeeded => ExitCode == 0 && Milliseconds.ContainsKey("cold start");

        public static ProbeRun Parse(int exitCode, string output, long launched)
        {
            var milliseconds = new Dictionary<string, double>(StringComparer.Ordinal);
            var values = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (Match line in LineFormat().Matches(output))
            {
                var (key, value) = (line.Groups["key"].Value, line.Groups["value"].Value.Trim());
                if (value.EndsWith(" ms", StringComparison.Ordinal))
                {
                    milliseconds[key] = double.Parse(value[..^3], CultureInfo.InvariantCulture);
                }
                else if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                {
                    values[key] = number;
                }
            }

            var startup = values.TryGetValue("timestamp main-entered", out var main) ? (main - launched) * 1000.0 / Stopwatch.Frequency : double.NaN;
            return new ProbeRun(exitCode, output, milliseconds, values, startup);
        }
    }

    [GeneratedRegex(@"^(?<key>[^:\r\n]+): (?<value>[^\r\n]*)$", RegexOptions.Multiline)]
    private static partial Regex LineFormat();
}
