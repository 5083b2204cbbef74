using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using AzMLK8s.Cmdlets;
using AzMLK8s.Cmdlets.Extensions;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Azure.Context;
using AzMLK8s.Harness;

namespace AzMLK8s.Benchmarks;

/// <summary>An emulator and a way to run a real cmdlet against it, with the request log and the peak managed heap.</summary>
internal sealed class Bench : IAsyncDisposable
{
    private Bench(EmulatorServer server)
    {
        Server = server;
    }

    public EmulatorServer Server { get; }

    public EmulatorState State => Server.State;

    public static async Task<Bench> StartAsync(TimeSpan lroDuration, TimeSpan latency, int? retryAfterSeconds = null)
    {
        var server = await EmulatorServer.StartAsync(new EmulatorOptions
        {
            OperationDuration = lroDuration,
            OperationRetryAfterSeconds = retryAfterSeconds,
            RegistrationDuration = lroDuration,
        });
        if (latency > TimeSpan.Zero)
        {
            server.State.Faults.Add(new FaultRule(FaultKind.Latency) { Latency = latency });
        }

        return new Bench(server);
    }

    /// <summary>Runs the cmdlet with the pipeline inputs; returns the host and the run's figures.</summary>
    public (BenchHost Host, RunFigures Figures) Run(AzMLK8sCmdlet cmdlet, IReadOnlyList<object>? inputs = null, TimeSpan? pollingInterval = null)
    {
        var host = new BenchHost();
        AzureContextStore.Set(host, AzureContextSettings.ForCustomEndpoint(
            Server.BaseAddress,
            Server.Certificate.GetCertHashString(HashAlgorithmName.SHA256),
            EmulatorState.DefaultSubscriptionId,
            new NetworkCredential(string.Empty, "benchmark-token").SecurePassword));
        if (cmdlet is ExtensionCmdletBase extension)
        {
            extension.PollingInterval = pollingInterval ?? TimeSpan.FromMilliseconds(50);
        }

        State.Requests.Clear();
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = baseline;
        using var sampling = new Timer(_ => InterlockedMax(ref peak, GC.GetTotalMemory(false)), null, 0, 20);
        var clock = Stopwatch.StartNew();
        var result = CmdletRunner.Run(cmdlet, host, inputs?.ToArray() ?? Array.Empty<object>());
        clock.Stop();
        InterlockedMax(ref peak, GC.GetTotalMemory(false));
        var all = State.Requests.Entries;
        var entries = all.Where(e => !IsKubernetes(e)).ToList();
        var kubernetes = all.Where(IsKubernetes).ToList();
        return (host, new RunFigures(
            clock.Elapsed,
            entries.Count,
            entries.Count(e => e.Status == 429),
            entries.Count(IsFaulted),
            (Interlocked.Read(ref peak) - baseline) / (1024.0 * 1024.0),
            host.Errors.Count + (result.TerminatingError is null ? 0 : 1),
            (cmdlet as ConcurrentInputCmdlet)?.PeakConcurrency ?? 1,
            kubernetes.Count,
            kubernetes.Count(IsFaulted)));
    }

    /// <summary>A request to a cluster's Kubernetes API (the emulator serves them under /k8s/), not to ARM.</summary>
    public static bool IsKubernetes(LoggedRequest request) => request.Path.StartsWith("/k8s/", StringComparison.OrdinalIgnoreCase);

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static bool IsFaulted(LoggedRequest request) => request.Status is 429 or 500 or 503 or 0;

    internal static void InterlockedMax(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

/// <summary>One run's figures: ARM's requests (Throttled and Faulted among them), and the Kubernetes API requests apart.</summary>
internal sealed record RunFigures(TimeSpan Wall, int ArmRequests, int Throttled, int Faulted, double PeakManagedMiB, int Errors, int PeakConcurrency, int KubernetesRequests, int KubernetesFaulted);
