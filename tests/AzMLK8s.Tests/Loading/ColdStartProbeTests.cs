using AzMLK8s.Emulator.State;
using AzMLK8s.Tests.Azure;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Loading;

/// <summary>
/// Keeps the cold-start probe of the benchmark working: a fresh process imports the built module folder, runs
/// Set-AzMLK8sContext and Get-AzMLK8sExtension against this test's emulator and reports every phase up to its one
/// request on the wire. No timing is asserted here: the figures belong to tests/AzMLK8s.Benchmarks.
/// </summary>
public sealed class ColdStartProbeTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _emulator;

    public ColdStartProbeTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
    }

    [Fact]
    public void The_probe_imports_the_module_and_reports_every_phase_up_to_its_one_request()
    {
        var server = _emulator.Server;
        var before = server.State.Requests.Entries.Count;

        var (exitCode, output) = RunProbe(server.BaseAddress.ToString(), ArmTestConnections.Thumbprint(server), ArmTestConnections.AksId);

        Assert.True(exitCode == 0, output);
        Assert.Contains("cmdlets found: 16", output);
        foreach (var phase in new[]
        {
            "phase import (load AzMLK8s.dll + module initializer)",
            "phase engine first call (Set-AzMLK8sContext)",
            "phase connection (Get-AzMLK8sExtension up to the HTTP send)",
            "phase first request (connect, TLS, headers on the wire)",
            "cold start",
            "cold start cpu time",
        })
        {
            Assert.Matches($@"(?m)^{System.Text.RegularExpressions.Regex.Escape(phase)}: \d+\.\d ms$", output);
        }

        Assert.Contains("requests sent: 1", output);
        Assert.Contains("cmdlet errors: 0", output);
        Assert.Matches(@"(?m)^assemblies in the engine context: [1-9]\d*$", output);
        var requests = server.State.Requests.Entries.Skip(before).ToArray();
        var request = Assert.Single(requests);
        Assert.Equal("GET", request.Method);
        Assert.Contains("/managedClusters/aks-demo/providers/Microsoft.KubernetesConfiguration/extensions", request.Path, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_probe_fails_when_the_request_fails()
    {
        var server = _emulator.Server;
        var missing = $"/subscriptions/{EmulatorState.DefaultSubscriptionId}/resourceGroups/{EmulatorState.DefaultResourceGroup}/providers/Microsoft.ContainerService/managedClusters/no-such-cluster";

        var (exitCode, output) = RunProbe(server.BaseAddress.ToString(), ArmTestConnections.Thumbprint(server), missing);

        Assert.True(exitCode == 1, output);
        Assert.Contains("requests sent: 1", output);
        Assert.Matches(@"(?m)^cmdlet error: ", output);
    }

    private static (int ExitCode, string Output) RunProbe(string endpoint, string thumbprint, string clusterId) =>
        ProbeProcess.ColdStart(new[] { endpoint, thumbprint, clusterId });
}
