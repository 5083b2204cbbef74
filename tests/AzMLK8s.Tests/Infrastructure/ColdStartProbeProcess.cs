using System.Diagnostics;

namespace AzMLK8s.Tests.Infrastructure;

/// <summary>Runs the cold-start probe (tests/AzMLK8s.ColdStartProbe) on the built module folder in a fresh process.</summary>
public static class ColdStartProbeProcess
{
    /// <param name="arguments">What follows the module folder: endpoint, thumbprint, cluster id, options.</param>
    /// <param name="environment">Variables set for the probe's process only.</param>
    public static (int ExitCode, string Output) Run(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(BuildLayout.ColdStartProbe);
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
            Assert.Fail("The cold-start probe did not finish within a minute.");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
