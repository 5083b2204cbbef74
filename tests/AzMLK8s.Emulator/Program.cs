using System.Globalization;
using System.Security.Cryptography;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;

// Standalone: dotnet run --project tests/AzMLK8s.Emulator -- [options]
//   --port N             the HTTPS port on 127.0.0.1 (default 0: a free one, printed at start)
//   --fleet N            adds N AKS clusters fleet-000 ... (as the benchmarks' fleets)
//   --operation-ms MS    how long extension and compute operations run (default 2000), with no Retry-After
//   --retry-after S      the Retry-After (whole seconds, as ARM sends it) on 201/202 and running operation statuses,
//                        also with --operation-ms (in any order); 0 sends none. Without both options: 1.
//   --latency-ms MS      a delay before every answer
//   --fault RULE         a fault rule, repeatable: KIND[=RATE][,scope=arm|k8s|REGEX][,method=M][,times=N]
//                        [,retry-after=S][,latency-ms=MS]; KIND is 429, 500, 503, 400, reset or latency
//   --fault-seed N       makes the faults' random draws repeatable
// It prints "AzMLK8s emulator listening on <url>" and the certificate's SHA-256 thumbprint, then serves until
// Ctrl+C or SIGTERM. Tests drive it further through its control API (/_emulator/, see ControlApi).
var port = 0;
var fleet = 0;
int? operationMilliseconds = null;
int? retryAfterSeconds = null;
var latencyMilliseconds = 0;
var faults = new List<FaultRule>();
int? faultSeed = null;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
        int Number() => int.Parse(Value(), CultureInfo.InvariantCulture);
        switch (args[i])
        {
            case "--port":
                port = Number();
                break;
            case "--fleet":
                fleet = Number();
                break;
            case "--operation-ms":
                operationMilliseconds = Number();
                break;
            case "--retry-after":
                retryAfterSeconds = Number();
                break;
            case "--latency-ms":
                latencyMilliseconds = Number();
                break;
            case "--fault":
                faults.Add(FaultRuleText.Parse(Value()));
                break;
            case "--fault-seed":
                faultSeed = Number();
                break;
            default:
                throw new FormatException($"Unknown option '{args[i]}'.");
        }
    }
}
catch (FormatException ex)
{
    Console.Error.WriteLine($"AzMLK8s emulator: {ex.Message}");
    return 2;
}

var options = new EmulatorOptions { Port = port };
if (operationMilliseconds is { } operation)
{
    options.OperationDuration = TimeSpan.FromMilliseconds(operation);
    options.RegistrationDuration = TimeSpan.FromMilliseconds(operation);
    options.OperationRetryAfterSeconds = null;
}

if (retryAfterSeconds is { } retryAfter)
{
    options.OperationRetryAfterSeconds = retryAfter > 0 ? retryAfter : null;
}

await using var server = await EmulatorServer.StartAsync(options);
if (faultSeed is { } seed)
{
    server.State.Faults.Seed(seed);
}

foreach (var rule in faults)
{
    server.State.Faults.Add(rule);
}

if (latencyMilliseconds > 0)
{
    server.State.Faults.Add(new FaultRule(FaultKind.Latency) { Latency = TimeSpan.FromMilliseconds(latencyMilliseconds) });
}

var added = FleetSeed.AddClusters(server.State, fleet);
Console.WriteLine($"AzMLK8s emulator listening on {server.BaseAddress.ToString().TrimEnd('/')}");
Console.WriteLine($"Certificate thumbprint (SHA-256): {server.Certificate.GetCertHashString(HashAlgorithmName.SHA256)}");
if (added.Count > 0)
{
    Console.WriteLine($"Fleet: {added.Count} AKS clusters, {added[0]} ...");
}

Console.Out.Flush();

// The host's console lifetime turns Ctrl+C and SIGTERM into a shutdown.
await server.WaitForShutdownAsync();
return 0;
