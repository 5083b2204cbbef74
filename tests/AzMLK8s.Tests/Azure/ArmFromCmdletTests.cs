using System.Management.Automation;
using AzMLK8s.Cmdlets;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Azure;

/// <summary>
/// An ARM call made from a real cmdlet: the Az.Accounts token request runs through the cmdlet's host stack (on the
/// pipeline thread, as PowerShell requires) while the engine works on another thread, and no token reaches a stream.
/// </summary>
public sealed class ArmFromCmdletTests : IClassFixture<EmulatorFixture>
{
    private const string AzToken = "cmdlet-az-token-canary-41f0";

    private readonly EmulatorServer _server;

    public ArmFromCmdletTests(EmulatorFixture fixture)
    {
        _server = fixture.Server;
    }

    [Fact]
    public void The_Az_Accounts_token_is_fetched_on_the_pipeline_thread_and_the_call_succeeds()
    {
        var host = new RecordingHost();
        host.AddCommand("Get-AzContext", _ => new[]
        {
            Bag(("Account", Bag(("Id", "admin@contoso.com"))), ("Subscription", Bag(("Id", EmulatorState.DefaultSubscriptionId))), ("Tenant", Bag(("Id", EmulatorState.DefaultTenantId)))),
        });
        host.AddCommand("Get-AzAccessToken", _ => new[] { Bag(("Token", ArmTestConnections.Secure(AzToken)), ("ExpiresOn", DateTimeOffset.UtcNow.AddHours(1))) });
        CmdletRunner.Run(new SetAzMLK8sContextCommand { ArmEndpoint = _server.BaseAddress, TrustedCertificateThumbprint = ArmTestConnections.Thumbprint(_server) }, host);

        var result = CmdletRunner.Run(new GetProbeWorkspaceCommand(), host);

        Assert.Null(result.TerminatingError);
        Assert.Equal("ws-demo", host.Output.OfType<string>().Single());
        var pipelineThread = Environment.CurrentManagedThreadId;
        var commands = host.Calls.Where(c => c.Kind == "InvokeCommand").ToArray();
        Assert.Equal(new object?[] { "Get-AzContext", "Get-AzAccessToken" }, commands.Select(c => c.Payload));
        Assert.All(commands, c => Assert.Equal(pipelineThread, c.ThreadId));
        Assert.DoesNotContain(AzToken, host.AllText);
    }

    private static IReadOnlyDictionary<string, object?> Bag(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>What every ARM-calling cmdlet does: one connection from the session context per call.</summary>
    [Cmdlet(VerbsCommon.Get, "ProbeWorkspace")]
    private sealed class GetProbeWorkspaceCommand : AzMLK8sCmdlet
    {
        protected override async Task ProcessAsync(CancellationToken cancellationToken)
        {
            var connection = ArmConnection.FromContext(null, Seam, ArmTestConnections.FastOptions());
            var workspace = await connection.Workspaces.GetAsync(ArmTestConnections.WorkspaceId, cancellationToken);
            Seam.WriteObject(workspace?.Name ?? "(none)");
        }
    }
}
