using System.Diagnostics;

namespace AzMLK8s.Tests.Infrastructure;

/// <summary>Runs the isolation probe on the built module folder in a fresh process.</summary>
public static class ProbeProcess
{
    /// <summary>tests/AzMLK8s.IsolationProbe: the module folder, then the mode.</summary>
    public static (int ExitCode, string Output) Isolation(string mode) => Run(BuildLayout.IsolationProbe, new[] { mode });

    /// <param name="environment">Variables set for the probe's process only.</param>
    private static (int ExitCode, string Output) Run(string probe, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(probe);
        start.ArgumentList.Add(BuildLayout.RequireModuleFolder());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileNameWithoutExtension(probe)} did not finish within a minute.");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
