using System.Diagnostics;
using System.Reflection;
using System.Text;
using Xunit.Abstractions;

namespace AzMLK8s.Pester;

/// <summary>
/// One xunit test per Pester suite file. The first test starts every suite, up to <see cref="SideBySide"/> at a time
/// (each has its own pwsh and emulator process, and spends most of its time waiting on the emulator); each test then
/// waits for its own suite's result.
/// </summary>
public sealed class PesterSuites
{
    private const int SideBySide = 3;
    private static readonly Lazy<IReadOnlyDictionary<string, Task<SuiteRun>>> Runs = new(StartAll);
    private readonly ITestOutputHelper _output;

    public PesterSuites(ITestOutputHelper output)
    {
        _output = output;
    }

    public static IEnumerable<object[]> Suites => SuiteNames().Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(Suites))]
    public async Task Every_test_of_the_suite_passes_in_pwsh(string suite)
    {
        var run = await Runs.Value[suite];
        _output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, $"Pester suite {suite} failed (exit code {run.ExitCode}):\n{Summary(run.Output)}");
    }

    private static IEnumerable<string> SuiteNames() =>
        Directory.GetFiles(SuiteFolder, "*.Tests.ps1").Select(path => Path.GetFileName(path)!).Order(StringComparer.Ordinal);

    private static IReadOnlyDictionary<string, Task<SuiteRun>> StartAll()
    {
        var slots = new SemaphoreSlim(SideBySide);
        return SuiteNames().ToDictionary(name => name, name => Task.Run(async () =>
        {
            await slots.WaitAsync().ConfigureAwait(false);
            try
            {
                return RunSuite(name);
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    private static SuiteRun RunSuite(string suite)
    {
        var results = Path.Combine(Layout("RepoRoot"), "out", "test-results", "pester");
        Directory.CreateDirectory(results);
        var resultPath = Path.Combine(results, Path.GetFileNameWithoutExtension(suite) + ".xml");
        File.Delete(resultPath);

        return RunPwsh(
            "-NoProfile", "-NonInteractive", "-File", Path.Combine(SuiteFolder, "Invoke-PesterSuite.ps1"),
            "-Path", Path.Combine(SuiteFolder, suite),
            "-ResultPath", resultPath,
            "-PesterPath", Layout("PesterModule"));
    }

    private static string SuiteFolder => Path.Combine(Layout("RepoRoot"), "tests", "pester");

    // The failures, which Invoke-PesterSuite.ps1 lists after its totals; the whole output is in the test's output.
    private static string Summary(string output)
    {
        var index = output.LastIndexOf("Pester: ", StringComparison.Ordinal);
        return index < 0 ? output[Math.Max(0, output.Length - 4000)..] : output[index..];
    }

    private static SuiteRun RunPwsh(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Layout("RepoRoot"),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "tool", "run", "pwsh", "--" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AZMLK8S_CONFIGURATION"] = Layout("Configuration");
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = new StringBuilder();
        var stderr = process.StandardError.ReadToEndAsync();
        output.Append(process.StandardOutput.ReadToEnd());
        process.WaitForExit();
        output.Append(stderr.Result);
        return new SuiteRun(process.ExitCode, output.ToString());
    }

    private static string Layout(string key) =>
        typeof(PesterSuites).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly has no {key} metadata.");
}

public sealed record SuiteRun(int ExitCode, string Output);
