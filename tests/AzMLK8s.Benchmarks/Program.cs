using System.Diagnostics;
using System.Globalization;
using AzMLK8s.Benchmarks;

// Benchmarks of the built module (out/AzMLK8s/<version>/) in real PowerShell: runspaces of Microsoft.PowerShell.SDK
// against the in-process emulator, and fresh pwsh processes of the local tool. Figures are wall-clock on a shared
// machine: compare ratios, not absolute times. Build first: dotnet build AzMLK8s.sln -c Release.
// Arguments (one section, or all of them):
//   --quick                 smaller fleets, soak and samples, for a smoke run
//   --requests-only         the requests per command line (--trace lists each request)
//   --fleet-only            the fleet rollout and the write-budget run
//   --soak-only             the fault soak (Invoke-FaultSoak.ps1 in a fresh pwsh)
//   --memory-only           the memory of a fresh pwsh rolling out to 500 clusters (50 with --quick)
//   --cold-start-only [K]   K fresh pwsh processes with the module and K bare ones (default 10)
//   --module <psd1>         with --memory-only or --cold-start-only: measure that build of the module instead (an
//                           earlier commit's out/AzMLK8s/<version>/AzMLK8s.psd1, for a before/after comparison)
//   --compare <psd1>        with --cold-start-only K: K rounds of this build and that one in alternation, compared
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var quick = args.Contains("--quick");
Scenarios.Trace = args.Contains("--trace");
var total = Stopwatch.StartNew();
if (Array.IndexOf(args, "--module") is var moduleAt and >= 0 && moduleAt + 1 < args.Length)
{
    Layout.ModuleManifest = Path.GetFullPath(args[moduleAt + 1]);
}

if (!Layout.ModuleIsBuilt(out var notBuilt))
{
    Console.Error.WriteLine(notBuilt);
    return 2;
}

var fleetSizes = quick ? new[] { 10, 50 } : new[] { 10, 100, 500 };
var sequentialUpTo = quick ? 10 : 100;
var budgetFleet = quick ? 20 : 100;
var (soakClusters, soakComputes) = quick ? (20, 10) : (100, 30);
var memoryFleet = quick ? 50 : 500;

if (args.Contains("--requests-only"))
{
    await Scenarios.PrintRequestCountsAsync();
    return 0;
}

if (args.Contains("--fleet-only"))
{
    await Fleet.PrintRolloutAsync(fleetSizes, sequentialUpTo);
    Console.WriteLine();
    await Fleet.PrintWriteBudgetAsync(budgetFleet);
    return 0;
}

if (args.Contains("--soak-only"))
{
    await FaultSoak.PrintAsync(soakClusters, soakComputes);
    return 0;
}

if (args.Contains("--memory-only"))
{
    await ModuleMemory.PrintAsync(memoryFleet);
    return 0;
}

if (Array.IndexOf(args, "--cold-start-only") is var coldOnly and >= 0)
{
    var samples = coldOnly + 1 < args.Length && int.TryParse(args[coldOnly + 1], out var given) ? given : quick ? 3 : 10;
    if (Array.IndexOf(args, "--compare") is var compareAt and >= 0 && compareAt + 1 < args.Length)
    {
        await ColdStart.CompareAsync(samples, Path.GetFullPath(args[compareAt + 1]));
        return 0;
    }

    await ColdStart.PrintAsync(samples);
    return 0;
}

Console.WriteLine($"AzMLK8s benchmarks in PowerShell 7.6  ({Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:u}{(quick ? ", --quick" : string.Empty)})");
Console.WriteLine();
void Section(string name, Func<Task> run)
{
    var clock = Stopwatch.StartNew();
    run().GetAwaiter().GetResult();
    Console.WriteLine($"  ({name}: {clock.Elapsed.TotalSeconds:0} s)");
    Console.WriteLine();
}

Section("requests", Scenarios.PrintRequestCountsAsync);
Section("fleet rollout", () => Fleet.PrintRolloutAsync(fleetSizes, sequentialUpTo));
Section("write budget", () => Fleet.PrintWriteBudgetAsync(budgetFleet));
Section("fault soak", () => FaultSoak.PrintAsync(soakClusters, soakComputes));
Section("cold start", () => ColdStart.PrintAsync(quick ? 3 : 10));
Section("memory", () => ModuleMemory.PrintAsync(memoryFleet));
Console.WriteLine($"total benchmark time: {total.Elapsed.TotalSeconds:0.0} s");
return 0;
