using System.Diagnostics;

namespace AzMLK8s.Benchmarks;

/// <summary>
/// `dotnet AzMLK8s.Emulator.dll --port 0 [options]` in its own process, so that what this process measures is the
/// module's alone; its first two lines give address and certificate.
/// </summary>
internal sealed class StandaloneEmulator : IDisposable
{
    private readonly Process _process;

    private StandaloneEmulator(Process process, Uri address, string thumbprint)
    {
        _process = process;
        Address = address;
        Thumbprint = thumbprint;
    }

    public Uri Address { get; }

    public string Thumbprint { get; }

    public static async Task<StandaloneEmulator> StartAsync(string emulatorAssembly, params string[] options)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "exec", emulatorAssembly, "--port", "0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var option in options)
        {
            start.ArgumentList.Add(option);
        }

        var process = Process.Start(start)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            Uri? address = null;
            string? thumbprint = null;
            while ((address is null || thumbprint is null) && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                const string listening = "AzMLK8s emulator listening on ", certificate = "Certificate thumbprint (SHA-256): ";
                if (line.StartsWith(listening, StringComparison.Ordinal))
                {
                    address = new Uri(line[listening.Length..].Trim() + "/");
                }
                else if (line.StartsWith(certificate, StringComparison.Ordinal))
                {
                    thumbprint = line[certificate.Length..].Trim();
                }
            }

            return new StandaloneEmulator(process, address ?? throw new InvalidOperationException("The emulator printed no address."), thumbprint!);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
