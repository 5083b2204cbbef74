using System.Collections;
using AzMLK8s.Cmdlets;
using AzMLK8s.Cmdlets.Computes;
using AzMLK8s.Cmdlets.Extensions;
using AzMLK8s.Cmdlets.Roles;
using AzMLK8s.Emulator.State;
using AzMLK8s.Harness;
using AzMLK8s.Model.Computes;

namespace AzMLK8s.Benchmarks;

/// <summary>New-AzMLK8sExtension rolled out to N clusters in one call; the same under a write budget and under faults.</summary>
internal static class Fleet
{
    private const int ThrottleLimit = 16;

    // Each compute name needs its own Connect-AzMLK8sCompute call (sequential set-up, not measured).
    private const int MaxComputes = 30;
    private static readonly TimeSpan Lro = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(5);

    private sealed record ClusterInput(string ClusterResourceId);

    public static async Task PrintRolloutAsync(IReadOnlyList<int> sizes, int sequentialUpTo)
    {
        Console.WriteLine($"Fleet rollout: New-AzMLK8sExtension -EnableTraining on N AKS clusters, ThrottleLimit {ThrottleLimit}, LRO {Lro.TotalMilliseconds} ms, latency {Latency.TotalMilliseconds} ms/request");
        Console.WriteLine($"{"N",5} {"wall s",8} {"seq s",8} {"x faster",9} {"ideal s",8} {"x ideal",8} {"requests",9} {"peak conc",10} {"heap MiB",9} {"errors",7}");
        double? perInputSequential = null;
        foreach (var n in sizes)
        {
            var parallel = await RolloutAsync(n, ThrottleLimit, budget: null);
            string sequential;
            double sequentialSeconds;
            if (n <= sequentialUpTo)
            {
                var seq = await RolloutAsync(n, 1, budget: null);
                sequentialSeconds = seq.Wall.TotalSeconds;
                perInputSequential = sequentialSeconds / n;
                sequential = $"{sequentialSeconds,8:0.00}";
            }
            else
            {
                sequentialSeconds = perInputSequential!.Value * n;
                sequential = $"{sequentialSeconds,7:0.0}*";
            }

            var ideal = Math.Ceiling(n / (double)ThrottleLimit) * Lro.TotalSeconds;
            Console.WriteLine($"{n,5} {parallel.Wall.TotalSeconds,8:0.00} {sequential} {sequentialSeconds / parallel.Wall.TotalSeconds,9:0.0} {ideal,8:0.00} {parallel.Wall.TotalSeconds / ideal,8:0.00} {parallel.ArmRequests,9} {parallel.PeakConcurrency,10} {parallel.PeakManagedMiB,9:0.0} {parallel.Errors,7}");
        }

        Console.WriteLine($"  * extrapolated from the sequential run at N={sequentialUpTo}. Peak heap: managed heap growth during the call (the emulator runs in the same process).");
        Console.WriteLine($"  process peak working set (emulator included): {Environment.WorkingSet / (1024 * 1024)} MiB now, {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB peak");
    }

    public static async Task PrintSoakAsync(int n)
    {
        Console.WriteLine($"Under a write budget and under faults (N={n}, ThrottleLimit {ThrottleLimit})");
        var budgeted = await RolloutAsync(n, ThrottleLimit, budget: (n / 2, TimeSpan.FromSeconds(3)));
        Console.WriteLine($"  write budget {n / 2} per 3 s: wall {budgeted.Wall.TotalSeconds:0.00} s, {budgeted.ArmRequests} requests, {budgeted.Throttled} answered 429, errors {budgeted.Errors}, end state {(budgeted.EndStateOk ? "all Succeeded" : "WRONG")}");

        await using var bench = await Bench.StartAsync(Lro, Latency);
        var clusters = FleetSeed.AddClusters(bench.State, n);

        // Attaching needs one call per compute name; done before the faults start.
        var computes = new List<AzMLK8sCompute>();
        var (_, installed) = bench.Run(Training(ThrottleLimit), Inputs(clusters));
        for (var i = 0; i < Math.Min(clusters.Count, MaxComputes); i++)
        {
            var (attachHost, _) = bench.Run(new ConnectAzMLK8sComputeCommand
            {
                WorkspaceName = "ws-demo",
                ResourceGroupName = EmulatorState.DefaultResourceGroup,
                Name = $"k8s-{i:000}",
                ClusterResourceId = clusters[i],
                IdentityType = "SystemAssigned",
            });
            computes.AddRange(attachHost.Output.OfType<AzMLK8sCompute>());
        }

        // The first rule that fires wins: the faults go before the base latency, which fires on every request.
        bench.State.Faults.Clear();
        // Every request is drawn, ARM's and each cluster's Kubernetes API's (/k8s/...) alike.
        foreach (var kind in new[] { FaultKind.TooManyRequests, FaultKind.InternalServerError, FaultKind.ServiceUnavailable, FaultKind.ConnectionReset, FaultKind.Latency })
        {
            bench.State.Faults.Add(new FaultRule(kind) { Probability = 0.05, RetryAfterSeconds = 1, Latency = TimeSpan.FromMilliseconds(300) });
        }

        bench.State.Faults.Add(new FaultRule(FaultKind.Latency) { Latency = Latency });

        var update = new UpdateAzMLK8sExtensionCommand { ThrottleLimit = ThrottleLimit, ConfigurationSetting = new Hashtable { ["clusterPurpose"] = "FastProd" } };
        var (updateHost, updated) = bench.Run(update, Inputs(clusters));
        var (grantHost, granted) = bench.Run(new GrantAzMLComputeRoleCommand { ThrottleLimit = ThrottleLimit, Role = "AcrPull", ContainerRegistry = "acrdemo" }, computes.Cast<object>().ToArray());
        var (grantAgainHost, grantedAgain) = bench.Run(new GrantAzMLComputeRoleCommand { ThrottleLimit = ThrottleLimit, Role = "AcrPull", ContainerRegistry = "acrdemo" }, computes.Cast<object>().ToArray());

        var extensions = bench.State.Extensions.Values.Where(e => e.Cluster.Name.StartsWith("fleet-", StringComparison.Ordinal)).ToList();
        var lostSetting = extensions.Count(e => !Has(e, "clusterPurpose", "FastProd") || !Has(e, "enableTraining", "true"));
        var acrAssignments = bench.State.RoleAssignments.Where(a => a.Scope.EndsWith("/registries/acrdemo", StringComparison.OrdinalIgnoreCase)).ToList();
        var duplicates = acrAssignments.GroupBy(a => (a.PrincipalId, a.RoleDefinitionId)).Count(g => g.Count() > 1);
        Console.WriteLine($"  ~23% faults on ARM and Kubernetes API requests (429/500/503/reset/300 ms latency, 5% each, drawn in turn):");
        Console.WriteLine($"    update public setting: wall {updated.Wall.TotalSeconds:0.00} s, {updated.ArmRequests} ARM requests ({updated.Faulted} faulted) and Kubernetes API {updated.KubernetesRequests} ({updated.KubernetesFaulted} faulted), errors {updated.Errors}");
        Console.WriteLine($"    grant AcrPull to {computes.Count} computes: wall {granted.Wall.TotalSeconds:0.00} s, {granted.ArmRequests} requests ({granted.Faulted} faulted), errors {granted.Errors}; again: {grantedAgain.ArmRequests} requests ({grantedAgain.Faulted} faulted), errors {grantedAgain.Errors}, {grantAgainHost.Output.Count} returned");
        Console.WriteLine($"    end state: {extensions.Count(e => e.ProvisioningState == "Succeeded")}/{n} extensions Succeeded, {lostSetting} with a setting lost, {acrAssignments.Count} AcrPull assignments for {computes.Count} computes, {duplicates} duplicated");
        foreach (var error in updateHost.Errors.Concat(grantHost.Errors).Concat(grantAgainHost.Errors).Take(5))
        {
            Console.WriteLine($"    error {error.ErrorId}: {error.Message}");
        }
    }

    private static async Task<RolloutFigures> RolloutAsync(int n, int throttleLimit, (int Writes, TimeSpan Window)? budget)
    {
        await using var bench = await Bench.StartAsync(Lro, Latency);
        var clusters = FleetSeed.AddClusters(bench.State, n);
        if (budget is { } b)
        {
            bench.State.Throttle.WriteBudget = b.Writes;
            bench.State.Throttle.Window = b.Window;
        }

        var (_, figures) = bench.Run(Training(throttleLimit), Inputs(clusters));
        var ok = bench.State.Extensions.Values.Count(e => e.ProvisioningState == "Succeeded") == n;
        return new RolloutFigures(figures.Wall, figures.ArmRequests, figures.Throttled, figures.PeakManagedMiB, figures.Errors, figures.PeakConcurrency, ok);
    }

    internal static NewAzMLK8sExtensionCommand Training(int throttleLimit) =>
        new NewAzMLK8sExtensionCommand { ThrottleLimit = throttleLimit }.WithSwitch(nameof(NewAzMLK8sExtensionCommand.EnableTraining));

    internal static object[] Inputs(IEnumerable<string> clusters) => clusters.Select(c => (object)new ClusterInput(c)).ToArray();

    private static bool Has(EmulatedExtension extension, string key, string value) =>
        extension.ConfigurationSettings.TryGetValue(key, out var found) && string.Equals(found, value, StringComparison.OrdinalIgnoreCase);

    private sealed record RolloutFigures(TimeSpan Wall, int ArmRequests, int Throttled, double PeakManagedMiB, int Errors, int PeakConcurrency, bool EndStateOk);
}
