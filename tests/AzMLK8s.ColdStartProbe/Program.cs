using System.Diagnostics;
using System.Globalization;
using System.Net;
using AzMLK8s.ColdStartProbe;

// Usage: AzMLK8s.ColdStartProbe <module folder> <ARM endpoint> <certificate SHA-256> <cluster resource id> [--trace]
//        [--managed-identity[=<client id>]]
//
// One cold start of the module in a fresh process: load AzMLK8s.dll from the built module folder and run its module
// initializer (as Import-Module does), run Set-AzMLK8sContext (the first call into the isolated engine) and then
// Get-AzMLK8sExtension -ClusterResourceId <id> against the emulator at <ARM endpoint>. The clock starts just before
// AzMLK8s.dll is loaded and stops when the first request's headers start going out on the connection.
// Prints "key: value" lines (phases in milliseconds; "timestamp ..." lines are raw Stopwatch ticks, which on Linux
// are CLOCK_MONOTONIC nanoseconds and so comparable with the launching process's). --trace adds every assembly load.
// --managed-identity signs in as the managed identity whose token endpoint the environment names (IDENTITY_ENDPOINT and
// IDENTITY_HEADER, as in Azure Automation and App Service) instead of with a token.
// Exit code 0 when one request was sent and the cmdlet wrote no error.
var mainEntered = Stopwatch.GetTimestamp();
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (args.Length < 4)
{
    Console.Error.WriteLine("Usage: AzMLK8s.ColdStartProbe <module folder> <ARM endpoint> <certificate SHA-256> <cluster resource id> [--trace]");
    return 2;
}

var probe = new ProbeArguments(
    Path.GetFullPath(args[0]),
    new Uri(args[1]),
    args[2],
    args[3],
    // The user's token exists before the import (Read-Host -AsSecureString, a variable): not part of the cold start.
    new NetworkCredential(string.Empty, "cold-start-probe-token").SecurePassword,
    args.Contains("--trace"),
    args.FirstOrDefault(a => a.StartsWith("--managed-identity", StringComparison.Ordinal)) is { } identity ? identity["--managed-identity".Length..].TrimStart('=') : null);
return ColdStart.Run(probe, mainEntered);
