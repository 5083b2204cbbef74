using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace AzMLK8s.PowerShellHost.Tests.Infrastructure;

/// <summary>
/// A fresh pwsh process (the repository's local .NET tool, .config/dotnet-tools.json) running a script file, for what
/// an in-process runspace cannot show: process-wide environment variables such as a runbook sandbox's.
/// </summary>
public static class PwshProcess
{
    public static string RepoRoot =>
        typeof(PwshProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    /// <summary>Runs <paramref name="script"/> with -NoProfile -NonInteractive -File, standard input closed.</summary>
    /// <param name="environment">Variables set for that process only.</param>
    public static (int ExitCode, string Output) Run(string script, IReadOnlyDictionary<string, string>? environment = null, int timeoutSeconds = 120)
    {
        var file = Path.Combine(Path.GetTempPath(), $"azmlk8s-host-test-{Guid.NewGuid():N}.ps1");
        File.WriteAllText(file, "$PSStyle.OutputRendering = 'PlainText'\n" + script);
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = RepoRoot,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-File", file })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["NO_COLOR"] = "1";
            start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
            start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[name] = value;
            }

            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(timeoutSeconds * 1000))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"pwsh did not finish within {timeoutSeconds} s. Output so far: {stdout.Result}");
            }

            process.WaitForExit();
            return (process.ExitCode, new StringBuilder(stdout.Result).Append(stderr.Result).ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A value for a single-quoted PowerShell string.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
