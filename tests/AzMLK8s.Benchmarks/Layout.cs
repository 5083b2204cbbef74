using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace AzMLK8s.Benchmarks;

/// <summary>Where things are (written into the assembly by the build), and fresh pwsh processes of the local tool.</summary>
internal static class Layout
{
    private static readonly Lazy<string> PwshAssembly = new(FindPwsh);

    public static string RepoRoot => Metadata("RepoRoot");

    /// <summary>
    /// out/AzMLK8s/&lt;version&gt;/AzMLK8s.psd1: the files users get; --module names another build's manifest (an earlier
    /// commit's, to compare), which the sections that start fresh pwsh processes use.
    /// </summary>
    public static string ModuleManifest { get; set; } = Metadata("ModuleManifest");

    /// <summary>The emulator's assembly, for a standalone emulator process.</summary>
    public static string Emulator => Metadata("Emulator");

    /// <summary>A script of this project (tests/AzMLK8s.Benchmarks/*.ps1).</summary>
    public static string Script(string name) => Path.Combine(RepoRoot, "tests", "AzMLK8s.Benchmarks", name);

    /// <summary>
    /// The pwsh.dll that `dotnet tool run pwsh` runs (the local tool of .config/dotnet-tools.json): the benchmarks start
    /// `dotnet &lt;pwsh.dll&gt;` themselves, so that the tool runner's own start is not part of what they time.
    /// </summary>
    public static string Pwsh => PwshAssembly.Value;

    public static bool ModuleIsBuilt(out string message)
    {
        message = $"The module is not built: {ModuleManifest} is missing. Run 'dotnet build AzMLK8s.sln -c Release' first.";
        return File.Exists(ModuleManifest) && File.Exists(Emulator);
    }

    /// <summary>A fresh pwsh (no profile, non-interactive, standard input closed) as a runbook or CI job starts it.</summary>
    public static ProcessStartInfo PwshStart(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Pwsh);
        start.ArgumentList.Add("-NoProfile");
        start.ArgumentList.Add("-NonInteractive");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // As .ci/run sets them: no telemetry, no update check at start; no colour codes in what is read back.
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        start.Environment["NO_COLOR"] = "1";
        return start;
    }

    /// <summary>Runs a pwsh process to its end; each line of its output goes to <paramref name="onLine"/> as it comes.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunPwshAsync(ProcessStartInfo start, Action<string>? onLine = null, TimeSpan? timeout = null)
    {
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = new StringBuilder();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(30));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
            {
                output.AppendLine(line);
                onLine?.Invoke(line);
            }

            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pwsh did not finish in time. Output so far:{Environment.NewLine}{output}");
        }

        return (process.ExitCode, output.ToString(), await error);
    }

    private static string FindPwsh()
    {
        Run("dotnet", "tool", "restore");
        var location = Run("dotnet", "tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-Command", "[Reflection.Assembly]::GetEntryAssembly().Location").Trim();
        return File.Exists(location) ? location : throw new InvalidOperationException($"The local pwsh tool did not say where it is: '{location}'.");
    }

    private static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' failed (exit {process.ExitCode}): {output}{error.Result}");
    }

    private static string Metadata(string key) =>
        typeof(Layout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The benchmark assembly has no {key} metadata.");
}

/// <summary>Median, min and max of a sample.</summary>
internal readonly record struct Spread(double Median, double Min, double Max)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Spread(double.NaN, double.NaN, double.NaN);
        }

        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        return new Spread(median, sorted[0], sorted[^1]);
    }
}
