using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Walkthrough;

/// <summary>
/// Starts the emulator when no subscription is given, then runs examples/MainJob.ps1 in pwsh (the repository's local
/// .NET tool) on this console, so a user sees what PowerShell shows: format views, -WhatIf text, progress.
/// </summary>
public static class Walkthrough
{
    // The emulator takes any token; this one only has to be a SecureString on the way in.
    private const string EmulatorToken = "walkthrough-emulator-token";

    public static async Task<int> RunAsync(WalkthroughOptions options)
    {
        var repoRoot = Metadata("RepoRoot");
        if (Run(repoRoot, "dotnet", "tool", "restore") is var restored and not 0)
        {
            Console.Error.WriteLine("# 'dotnet tool restore' failed: pwsh (.config/dotnet-tools.json) could not be restored.");
            return restored;
        }

        EmulatorServer? emulator = null;
        try
        {
            var parameters = new List<string>
            {
                "-ModulePath", Quote(Metadata("ModuleManifest")),
                "-ResourceGroupName", Quote(options.ResourceGroup),
                "-ClusterName", Quote(options.Cluster),
                "-WorkspaceName", Quote(options.Workspace),
                "-ContainerRegistry", Quote(options.ContainerRegistry),
            };
            if (options.UsesEmulator)
            {
                emulator = await EmulatorServer.StartAsync(new EmulatorOptions
                {
                    OperationDuration = TimeSpan.FromMilliseconds(600),
                    RegistrationDuration = TimeSpan.FromMilliseconds(600),
                });
                Console.WriteLine($"# No --subscription given: running against the embedded emulator at {emulator.BaseAddress}");
                parameters.AddRange(new[]
                {
                    "-SubscriptionId", Quote(EmulatorState.DefaultSubscriptionId),
                    "-ArmEndpoint", Quote(emulator.BaseAddress.ToString()),
                    "-TrustedCertificateThumbprint", Quote(emulator.Certificate.GetCertHashString(HashAlgorithmName.SHA256)),
                    "-AccessToken", $"(ConvertTo-SecureString {Quote(EmulatorToken)} -AsPlainText -Force)",
                });
            }
            else
            {
                parameters.AddRange(new[] { "-SubscriptionId", Quote(options.SubscriptionId!) });
                if (options.TenantId is not null)
                {
                    parameters.AddRange(new[] { "-TenantId", Quote(options.TenantId) });
                }
            }

            if (options.Verbose)
            {
                parameters.Add("-Verbose");
            }

            var script = Path.Combine(repoRoot, "examples", "MainJob.ps1");
            var command = $"& {Quote(script)} {string.Join(' ', parameters)}";
            Console.WriteLine($"# pwsh: {Path.GetRelativePath(repoRoot, script)} (the module from {Path.GetRelativePath(repoRoot, Metadata("ModuleManifest"))})");
            var exitCode = await Task.Run(() => Run(repoRoot, "dotnet", "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-Command", command));
            Console.WriteLine();
            Console.WriteLine(exitCode == 0 ? "# Walk-through complete." : $"# Walk-through stopped: pwsh exited with {exitCode}.");
            return exitCode;
        }
        finally
        {
            if (emulator is not null)
            {
                await emulator.DisposeAsync();
            }
        }
    }

    // PowerShell's single-quoted literal.
    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    // A child process on this console (its output, colours and progress go straight to the user).
    private static int Run(string workingDirectory, string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    private static string Metadata(string key) =>
        typeof(Walkthrough).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The walk-through has no {key} metadata.");
}
