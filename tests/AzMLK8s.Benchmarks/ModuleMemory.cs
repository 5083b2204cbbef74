namespace AzMLK8s.Benchmarks;

/// <summary>
/// The memory of a fresh pwsh that rolls the extension out to N clusters through its pipeline
/// (Measure-FleetMemory.ps1), against a standalone emulator process: its working set is PowerShell's, the module's and
/// the runtime's alone.
/// </summary>
internal static class ModuleMemory
{
    public static async Task PrintAsync(int n)
    {
        Console.WriteLine($"Memory: a fresh pwsh runs `$clusters | New-AzMLK8sExtension -EnableTraining -ThrottleLimit {Fleet.ThrottleLimit}` on {n} AKS clusters");
        Console.WriteLine($"(Measure-FleetMemory.ps1), the emulator in a process of its own (AzMLK8s.Emulator {string.Join(' ', BenchEmulator.CommandLine(n))})");
        Console.WriteLine($"Module: {Layout.ModuleManifest}");
        if (!Layout.ModuleIsBuilt(out var message))
        {
            Console.WriteLine($"  skipped: {message}");
            return;
        }

        using var emulator = await StandaloneEmulator.StartAsync(Layout.Emulator, BenchEmulator.CommandLine(n));
        var (exitCode, _, error) = await Layout.RunPwshAsync(
            Layout.PwshStart("-File", Layout.Script("Measure-FleetMemory.ps1"), "-ArmEndpoint", emulator.Address.ToString(), "-Count", n.ToString(System.Globalization.CultureInfo.InvariantCulture), "-ModulePath", Layout.ModuleManifest),
            line => Console.WriteLine("  " + line));
        if (exitCode != 0)
        {
            Console.WriteLine($"  the run failed (exit {exitCode}): {error}");
        }

        var ideal = Math.Ceiling(n / (double)Fleet.ThrottleLimit) * BenchEmulator.OperationWait.TotalSeconds;
        Console.WriteLine($"  (ideal wall: ceil({n}/{Fleet.ThrottleLimit}) x {BenchEmulator.OperationWait.TotalSeconds:0.0} s = {ideal:0.0} s)");
    }
}
