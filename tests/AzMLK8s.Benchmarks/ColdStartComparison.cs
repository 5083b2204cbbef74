using System.Globalization;

namespace AzMLK8s.Benchmarks;

/// <summary>
/// Two builds of the module in alternation (--compare &lt;psd1&gt;): each round runs Measure-ColdStart.ps1 once with
/// each, the one that goes first changing every round, so that a machine that gets busier or quieter during the run
/// weighs on both alike. Compared by the median of each and by the median of the rounds' differences.
/// </summary>
internal static partial class ColdStart
{
    private static readonly string[] Compared =
    {
        ToFirstClusterAnswer,
        "phase Test-AzMLK8sPrerequisite, first cluster call (credential, kubeconfig, Kubernetes client, nodes)",
        "cold start in the script (import to first answer)",
        "phase Import-Module (AzMLK8s.dll, module initializer, format views)",
        "cold start cpu time (all threads, script start to the first cluster answer)",
    };

    public static async Task CompareAsync(int rounds, string otherManifest)
    {
        Console.WriteLine($"Cold start in pwsh 7.6, two builds in alternation: {rounds} rounds of one fresh process each.");
        Console.WriteLine($"  this:  {Layout.ModuleManifest}");
        Console.WriteLine($"  other: {otherManifest}");
        if (!Layout.ModuleIsBuilt(out var message) || !File.Exists(otherManifest))
        {
            Console.WriteLine($"  skipped: {message ?? $"{otherManifest} is missing."}");
            return;
        }

        using var emulator = await StandaloneEmulator.StartAsync(Layout.Emulator);
        var (mine, other) = (new List<Sample>(), new List<Sample>());
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (manifest, samples) in round % 2 == 0 ? new[] { (Layout.ModuleManifest, mine), (otherManifest, other) } : [(otherManifest, other), (Layout.ModuleManifest, mine)])
            {
                var run = await RunScriptAsync(emulator, manifest);
                if (run.ExitCode != 0)
                {
                    Console.WriteLine($"  a run failed (exit {run.ExitCode}):{Environment.NewLine}{run.Output}");
                }

                samples.Add(run);
            }
        }

        Console.WriteLine();
        Console.WriteLine("| ms, median over the rounds | this | other | this minus other (median of the rounds) | this / other |");
        Console.WriteLine("| --- | --: | --: | --: | --: |");
        foreach (var figure in Compared)
        {
            double Value(Sample s) => s.ExitCode == 0 ? s.Values.GetValueOrDefault(figure, double.NaN) : double.NaN;
            var (a, b) = (Spread.Of(mine.Select(Value)).Median, Spread.Of(other.Select(Value)).Median);
            var difference = Spread.Of(mine.Zip(other, (m, o) => Value(m) - Value(o))).Median;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {figure.Replace("phase ", string.Empty, StringComparison.Ordinal)} | {a:0} | {b:0} | {difference:+0;-0;0} | {a / b:0.00} |"));
        }
    }
}
