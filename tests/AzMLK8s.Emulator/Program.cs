using System.Globalization;
using AzMLK8s.Emulator.Hosting;

// Standalone: dotnet run --project tests/AzMLK8s.Emulator -- --port 8443
var port = 0;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--port" && i + 1 < args.Length)
    {
        port = int.Parse(args[++i], CultureInfo.InvariantCulture);
    }
}

await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = port });
Console.WriteLine($"AzMLK8s emulator listening on {server.BaseAddress.ToString().TrimEnd('/')}");
Console.WriteLine($"Certificate thumbprint (SHA-256): {server.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)}");
// The host's console lifetime turns Ctrl+C and SIGTERM into a shutdown.
await server.WaitForShutdownAsync();
