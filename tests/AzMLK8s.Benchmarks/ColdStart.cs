using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Benchmarks;

/// <summary>
/// Cold start in real pwsh: K fresh processes (dotnet &lt;pwsh.dll&gt;, the local tool, started directly) each run
/// Measure-ColdStart.ps1 (Import-Module of the built folder, Set-AzMLK8sContext to a standalone emulator,
/// Get-AzMLK8sExtension: the first request), timed from outside as a whole and inside by phase; and K bare
/// `pwsh -NoProfile -c exit` starts, taken in turn with them, so that the module's share is full minus bare.
/// </summary>
internal static partial class ColdStart
{
    private static readonly string ClusterResourceId =
        $"/subscriptions/{EmulatorState.DefaultSubscriptionId}/resourceGroups/{EmulatorState.DefaultResourceGroup}/providers/Microsoft.ContainerService/managedClusters/aks-demo";

    private const string ToFirstClusterAnswer = "cold start in the script (import to the first cluster answer)";

    private static readonly string[] Phases =
    {
        "phase Import-Module (AzMLK8s.dll, module initializer, format views)",
        "phase Set-AzMLK8sContext (first call into the engine's load context)",
        "phase Get-AzMLK8sExtension, first request (credential, pipeline, connect, TLS, answer)",
        "phase Get-AzMLK8sExtension again (warm connection)",
        "phase Test-AzMLK8sPrerequisite, first cluster call (credential, kubeconfig, Kubernetes client, nodes)",
        "cold start in the script (import to first answer)",
        ToFirstClusterAnswer,
        "cold start cpu time (all threads, script start to first answer)",
        "cold start cpu time (all threads, script start to the first cluster answer)",
        "pwsh cpu time before the script",
    };

    public static async Task PrintAsync(int samples)
    {
        Console.WriteLine($"Cold start in pwsh 7.6: {samples} fresh processes `dotnet <pwsh.dll> -NoProfile -NonInteractive -File Measure-ColdStart.ps1`");
        Console.WriteLine("(Import-Module, Set-AzMLK8sContext to a standalone emulator, Get-AzMLK8sExtension: the first request, again warm,");
        Console.WriteLine(" Test-AzMLK8sPrerequisite -ClusterResourceId: the first call into a cluster's API),");
        Console.WriteLine($"each after a bare `dotnet <pwsh.dll> -NoProfile -NonInteractive -c exit`; none discarded. Module: {Layout.ModuleManifest}");
        Console.WriteLine($"pwsh: {Layout.Pwsh}");
        if (!Layout.ModuleIsBuilt(out var message))
        {
            Console.WriteLine($"  skipped: {message}");
            return;
        }

        using var emulator = await StandaloneEmulator.StartAsync(Layout.Emulator);
        var bare = new List<double>();
        var full = new List<Sample>();
        for (var i = 0; i < samples; i++)
        {
            bare.Add((await TimeAsync(Layout.PwshStart("-Command", "exit"))).Milliseconds);
            var run = await RunScriptAsync(emulator, Layout.ModuleManifest);
            full.Add(run);
            if (run.ExitCode != 0)
            {
                Console.WriteLine($"  a run failed (exit {run.ExitCode}):{Environment.NewLine}{run.Output}");
            }
        }

        var good = full.Where(r => r.ExitCode == 0 && r.Values.ContainsKey(ToFirstClusterAnswer)).ToArray();
        if (good.Length == 0)
        {
            return;
        }

        var paired = full.Select((r, i) => r.ExitCode == 0 ? r.Milliseconds - bare[i] : double.NaN);
        Console.WriteLine();
        Console.WriteLine("| ms (over the runs) | median | min | max |");
        Console.WriteLine("| --- | --: | --: | --: |");
        Row("bare pwsh: process start to exit", Spread.Of(bare));
        Row("full: process start to exit (import, sign-in, first request, first cluster call)", Spread.Of(good.Select(r => r.Milliseconds)));
        Row("full minus bare (the module's share; each full run minus the bare one before it)", Spread.Of(paired));
        Row("  pwsh start to the script's first line", Spread.Of(good.Select(r => r.ToScript)));
        foreach (var phase in Phases)
        {
            Row("  " + phase.Replace("phase ", string.Empty, StringComparison.Ordinal), Spread.Of(good.Select(r => r.Values.GetValueOrDefault(phase, double.NaN))));
        }

        Row("  first answer to process exit (second request, first cluster call, pwsh's exit)", Spread.Of(good.Select(r => r.AfterFirstAnswer)));
        Console.WriteLine();
        Console.WriteLine($"  every full run: {string.Join(", ", full.Select(r => r.Milliseconds.ToString("0", CultureInfo.InvariantCulture)))} ms; every bare run: {string.Join(", ", bare.Select(b => b.ToString("0", CultureInfo.InvariantCulture)))} ms");
        Console.WriteLine($"  first request minus the warm one: what the first connection costs (connect, TLS handshake with the certificate store read, first-call JIT of the request path).");
        Console.WriteLine($"  machine load average when done: {LoadAverage()} ({Environment.ProcessorCount} cores): wall times stretch with other work, CPU time much less.");
    }

    private static void Row(string label, Spread spread) =>
        Console.WriteLine($"| {label} | {spread.Median:0} | {spread.Min:0} | {spread.Max:0} |");

    /// <summary>One fresh pwsh running Measure-ColdStart.ps1 with the module of <paramref name="manifest"/>.</summary>
    private static Task<Sample> RunScriptAsync(StandaloneEmulator emulator, string manifest) =>
        TimeAsync(Layout.PwshStart("-File", Layout.Script("Measure-ColdStart.ps1"), "-ArmEndpoint", emulator.Address.ToString(),
            "-Thumbprint", emulator.Thumbprint, "-ClusterResourceId", ClusterResourceId, "-ModulePath", manifest));

    private static async Task<Sample> TimeAsync(ProcessStartInfo start)
    {
        // Stopwatch ticks are CLOCK_MONOTONIC on Linux: the script's timestamps are comparable with ours.
        var launched = Stopwatch.GetTimestamp();
        var (exitCode, output, error) = await Layout.RunPwshAsync(start, timeout: TimeSpan.FromMinutes(2));
        var exited = Stopwatch.GetTimestamp();
        return Sample.Parse(exitCode, output + error, launched, exited);
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

    private sealed record Sample(int ExitCode, string Output, double Milliseconds, IReadOnlyDictionary<string, double> Values, double ToScript, double AfterFirstAnswer)
    {
        public static Sample Parse(int exitCode, string output, long launched, long exited)
        {
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            var timestamps = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (Match line in LineFormat().Matches(output))
            {
                var (key, value) = (line.Groups["key"].Value, line.Groups["value"].Value.Trim());
                if (value.EndsWith(" ms", StringComparison.Ordinal) && double.TryParse(value[..^3], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
                {
                    values[key] = ms;
                }
                else if (key.StartsWith("timestamp ", StringComparison.Ordinal) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks))
                {
                    timestamps[key["timestamp ".Length..]] = ticks;
                }
            }

            double Between(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
            var toScript = timestamps.TryGetValue("script-start", out var start) ? Between(launched, start) : double.NaN;
            var after = timestamps.TryGetValue("first-answer", out var answer) ? Between(answer, exited) : double.NaN;
            return new Sample(exitCode, output, Between(launched, exited), values, toScript, after);
        }
    }

    [GeneratedRegex(@"^(?<key>[^:\r\n]+): (?<value>[^\r\n]*)$", RegexOptions.Multiline)]
    private static partial Regex LineFormat();
}
