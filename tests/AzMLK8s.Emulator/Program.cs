using System.Globalization;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;

// Standalone: dotnet run --project tests/AzMLK8s.Emulator -- --port 8443
//   [--fleet N]          adds N AKS clusters fleet-000 ... (as the benchmarks' fleets)
//   [--operation-ms MS]  how long extension and compute operations run (default 2000)
//   [--latency-ms MS]    a delay before every answer
var port = 0;
var fleet = 0;
int? operationMilliseconds = null;
var latencyMilliseconds = 0;
for (var i = 0; i + 1 < args.Length; i++)
{
    switch (args[i])
    {
        case "--port":
            port = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--fleet":
            fleet = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--operation-ms":
            operationMilliseconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--latency-ms":
            latencyMilliseconds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
    }
}

var options = new EmulatorOptions { Port = port };
if (operationMilliseconds is { } operation)
{
    options.OperationDuration = TimeSpan.FromMilliseconds(operation);
    options.RegistrationDuration = TimeSpan.FromMilliseconds(operation);
    options.OperationRetryAfterSeconds = null;
}

await using var server = await EmulatorServer.StartAsync(options);
if (latencyMilliseconds > 0)
{
    server.State.Faults.Add(new FaultRule(FaultKind.Latency) { Latency = TimeSpan.FromMilliseconds(latencyMilliseconds) });
}

var added = FleetSeed.AddClusters(server.State, fleet);
Console.WriteLine($"AzMLK8s emulator listening on {server.BaseAddress.ToString().TrimEnd('/')}");
Console.WriteLine($"Certificate thumbprint (SHA-256): {server.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)}");
if (added.Count > 0)
{
    Console.WriteLine($"Fleet: {added.Count} AKS clusters, {added[0]} ...");
}

// The host's console lifetime turns Ctrl+C and SIGTERM into a shutdown.
await server.WaitForShutdownAsync();
