using System.Diagnostics;
using System.Globalization;
using AzMLK8s.Benchmarks;

// Fleet benchmarks against the in-process emulator. Figures are wall-clock on a shared machine: compare ratios,
// not absolute times. Arguments: --quick (smaller fleets, for a smoke run), --requests-only (the requests per scenario;
// --trace lists each request), --soak-only, --memory-only, --cold-start-only [samples] (just the cold start, which runs fresh
// processes and so needs nothing else of this process).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var quick = args.Contains("--quick");
Scenarios.Trace = args.Contains("--trace");
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 64), io);

var total = Stopwatch.StartNew();
if (Array.IndexOf(args, "--memory-child") is var child and >= 0)
{
    return await ModuleMemory.RunChildAsync(int.Parse(args[child + 1], CultureInfo.InvariantCulture));
}

if (args.Contains("--memory-only"))
{
    await ModuleMemory.PrintAsync(500);
    return 0;
}

if (args.Contains("--requests-only"))
{
    await Scenarios.PrintRequestCountsAsync();
    return 0;
}

if (Array.IndexOf(args, "--cold-start-only") is var coldOnly and >= 0)
{
    var samples = coldOnly + 1 < args.Length && int.TryParse(args[coldOnly + 1], out var given) ? given : 10;
    await ColdStart.PrintAsync(samples);
    return 0;
}

if (args.Contains("--soak-only"))
{
    await Fleet.PrintSoakAsync(100);
    return 0;
}

Console.WriteLine($"AzMLK8s benchmarks  ({Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:u})");
Console.WriteLine();
await Scenarios.PrintRequestCountsAsync();
Console.WriteLine($"  (section {total.Elapsed.TotalSeconds:0} s)");
Console.WriteLine();
await Fleet.PrintRolloutAsync(quick ? new[] { 10, 50 } : new[] { 10, 100, 500 }, sequentialUpTo: quick ? 10 : 100);
Console.WriteLine($"  (sections so far {total.Elapsed.TotalSeconds:0} s)");
Console.WriteLine();
await Fleet.PrintSoakAsync(quick ? 20 : 100);
Console.WriteLine();
await ColdStart.PrintAsync(10);
Console.WriteLine();
await ModuleMemory.PrintAsync(quick ? 50 : 500);
Console.WriteLine();
Console.WriteLine($"total benchmark time: {total.Elapsed.TotalSeconds:0.0} s");
return 0;
