using System.Globalization;
using System.Text.Json;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Benchmarks;

/// <summary>
/// The fault soak: a fresh pwsh runs Invoke-FaultSoak.ps1 (1000+ operations through its pipeline) against the emulator
/// of this process while it injects faults on about 20% of the ARM and Kubernetes API requests; then the script's
/// figures, and the end state read here from the emulator's own state as a second judge.
/// </summary>
internal static class FaultSoak
{
    private const string Prefix = "soak";
    private const int Seed = 1;
    private const double Rate = 0.045;

    /// <summary>The rules, as the emulator's --fault option takes them: five kinds at 4.5% each, drawn in turn (1 - 0.955^5 = 20.6%).</summary>
    public static IReadOnlyList<string> Rules { get; } = new[] { "arm", "k8s" }.SelectMany(scope => new[]
    {
        $"429={Rate.ToString(CultureInfo.InvariantCulture)},scope={scope},retry-after=1",
        $"500={Rate.ToString(CultureInfo.InvariantCulture)},scope={scope}",
        $"503={Rate.ToString(CultureInfo.InvariantCulture)},scope={scope},retry-after=1",
        $"reset={Rate.ToString(CultureInfo.InvariantCulture)},scope={scope}",
        $"latency={Rate.ToString(CultureInfo.InvariantCulture)},scope={scope},latency-ms=300",
    }).ToArray();

    public static async Task PrintAsync(int clusters, int computes)
    {
        var share = 1 - Math.Pow(1 - Rate, 5);
        Console.WriteLine($"Fault soak: a fresh pwsh runs Invoke-FaultSoak.ps1 -ClusterCount {clusters} -ComputeCount {computes} against the emulator of this process,");
        Console.WriteLine($"which injects a fault into {share:P1} of the ARM and Kubernetes API requests (seed {Seed}; the same as a standalone emulator's options");
        Console.WriteLine($"--operation-ms {BenchEmulator.Lro.TotalMilliseconds:0} --retry-after {BenchEmulator.RetryAfterSeconds} --latency-ms {BenchEmulator.Latency.TotalMilliseconds:0} --fault-seed {Seed} {string.Join(' ', Rules.Select(r => "--fault " + r))})");
        if (!Layout.ModuleIsBuilt(out var message))
        {
            Console.WriteLine($"  skipped: {message}");
            return;
        }

        await using var emulator = await BenchEmulator.StartAsync(TimeSpan.Zero);
        emulator.State.Faults.Seed(Seed);
        foreach (var rule in Rules)
        {
            emulator.State.Faults.Add(FaultRuleText.Parse(rule));
        }

        // The first rule that fires wins: the base latency, which fires on every request, goes last.
        emulator.State.Faults.Add(new FaultRule(FaultKind.Latency) { Latency = BenchEmulator.Latency });

        var resultPath = Path.Combine(Path.GetTempPath(), $"azmlk8s-soak-{Guid.NewGuid():N}.json");
        var started = emulator.State.Clock();
        try
        {
            var (exitCode, _, error) = await Layout.RunPwshAsync(
                Layout.PwshStart(
                    "-File", Layout.Script("Invoke-FaultSoak.ps1"),
                    "-ArmEndpoint", emulator.BaseAddress.ToString(),
                    "-ModulePath", Layout.ModuleManifest,
                    "-ClusterCount", clusters.ToString(CultureInfo.InvariantCulture),
                    "-ComputeCount", computes.ToString(CultureInfo.InvariantCulture),
                    "-Prefix", Prefix,
                    "-ResultPath", resultPath),
                line => Console.WriteLine("  " + line),
                TimeSpan.FromMinutes(60));
            if (!string.IsNullOrWhiteSpace(error))
            {
                Console.WriteLine($"  standard error of the soak's pwsh (exit {exitCode}):{Environment.NewLine}{error}");
            }

            if (!File.Exists(resultPath))
            {
                Console.WriteLine($"  the soak wrote no result (exit {exitCode}).");
                return;
            }

            using var result = JsonDocument.Parse(await File.ReadAllTextAsync(resultPath));
            PrintCrossCheck(emulator.State, result.RootElement, started);
        }
        finally
        {
            File.Delete(resultPath);
        }
    }

    /// <summary>The end state as the emulator holds it, against what the script read over REST.</summary>
    private static void PrintCrossCheck(EmulatorState state, JsonElement result, DateTimeOffset started)
    {
        List<EmulatedExtension> extensions;
        List<EmulatedRoleAssignment> acrPull;
        lock (state.Gate)
        {
            extensions = state.Extensions.Values.Where(e => e.Cluster.Name.StartsWith(Prefix + "-", StringComparison.Ordinal)).ToList();
            acrPull = state.RoleAssignments
                .Where(a => a.CreatedOn >= started && a.Scope.EndsWith("/registries/acrdemo", StringComparison.OrdinalIgnoreCase) && a.RoleDefinitionId.EndsWith("/7f951dda-4ed3-4680-a7ca-43fe172d538d", StringComparison.OrdinalIgnoreCase))
                .ToList();
        }

        // A cluster an error named: a setting missing there was reported to the user, not lost silently.
        var reported = result.GetProperty("clustersWithErrors").EnumerateArray().Select(c => c.GetString()).ToHashSet(StringComparer.Ordinal);
        var lost = extensions.Count(e => !reported.Contains(e.Cluster.Name)
            && (!Has(e, "enableTraining", "true") || !Has(e, "clusterPurpose", "FastProd") || !Has(e, "amloperator.skipResourceValidation", "true")));
        var duplicated = acrPull.GroupBy(a => a.PrincipalId, StringComparer.OrdinalIgnoreCase).Count(g => g.Count() > 1);
        var log = state.Requests.Entries;
        var faulted = log.Count(BenchEmulator.IsFaulted);
        Console.WriteLine($"  the emulator's own state: {extensions.Count(e => e.ProvisioningState == "Succeeded")}/{result.GetProperty("clusters").GetInt32()} extensions Succeeded, {lost} with a setting lost silently; " +
            $"{acrPull.Count} AcrPull assignments on acrdemo for {result.GetProperty("computes").GetInt32()} computes, {duplicated} principals with more than one");
        Console.WriteLine($"  its request log (the end-state reads included): {log.Count} requests, {faulted} answered with a fault ({(double)faulted / Math.Max(1, log.Count):P1}; latency faults not counted)");
        var errors = result.GetProperty("errors").GetInt32();
        var unexpected = result.GetProperty("errorsById").EnumerateArray().Where(e => e.GetProperty("id").GetString()!.StartsWith("UnexpectedError", StringComparison.Ordinal)).Sum(e => e.GetProperty("count").GetInt32());
        Console.WriteLine($"  verdict: {result.GetProperty("operations").GetInt32()} operations, {errors} errors ({unexpected} UnexpectedError), end state {(result.GetProperty("endStateRight").GetBoolean() && lost == 0 && duplicated == 0 ? "right" : "WRONG")}");
    }

    private static bool Has(EmulatedExtension extension, string key, string value) =>
        extension.ConfigurationSettings.TryGetValue(key, out var found) && string.Equals(found, value, StringComparison.OrdinalIgnoreCase);
}
