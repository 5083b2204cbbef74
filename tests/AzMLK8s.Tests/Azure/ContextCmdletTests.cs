using System.Text;
using AzMLK8s.Cmdlets;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Model.Context;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Azure;

/// <summary>Set-AzMLK8sContext and Get-AzMLK8sContext through the cmdlet runner, and the session context in use.</summary>
public sealed class ContextCmdletTests : IClassFixture<EmulatorFixture>
{
    private const string TokenCanary = "context-token-canary-8e2b77";

    private readonly EmulatorServer _server;

    public ContextCmdletTests(EmulatorFixture fixture)
    {
        _server = fixture.Server;
    }

    [Fact]
    public async Task Set_points_the_session_at_the_emulator_and_later_connections_use_it_without_showing_the_token()
    {
        var host = new RecordingHost();

        CmdletRunner.Run(EmulatorContext(), host);
        var stored = Assert.IsType<AzMLK8sContextInfo>(Assert.Single(host.Output));
        var connection = ArmConnection.FromContext(null, host, ArmTestConnections.FastOptions());
        var workspace = await connection.Workspaces.GetAsync(ArmTestConnections.WorkspaceId, default);

        Assert.Equal("Custom", stored.Cloud);
        Assert.Equal(AzMLK8sAuthMethod.AccessToken, stored.AuthMethod);
        Assert.True(stored.HasAccessToken);
        Assert.Equal(ArmTestConnections.Thumbprint(_server), stored.TrustedCertificateThumbprint);
        Assert.Equal("ws-demo", workspace?.Name);
        Assert.DoesNotContain(TokenCanary, host.AllText);
        Assert.DoesNotContain(TokenCanary, Describe(stored));
    }

    [Fact]
    public void Get_shows_what_Set_stored_and_the_defaults_before_that()
    {
        var host = new RecordingHost();

        CmdletRunner.Run(new GetAzMLK8sContextCommand(), host);
        CmdletRunner.Run(EmulatorContext(), host);
        CmdletRunner.Run(new GetAzMLK8sContextCommand(), host);

        var before = (AzMLK8sContextInfo)host.Output[0];
        var after = (AzMLK8sContextInfo)host.Output[2];
        Assert.Equal(3, host.Output.Count);
        Assert.Equal(Describe((AzMLK8sContextInfo)host.Output[1]), Describe(after));
        Assert.Equal("AzureCloud", before.Cloud);
        Assert.Equal(AzMLK8sAuthMethod.Auto, before.AuthMethod);
        Assert.Equal(new Uri("https://management.azure.com/"), before.ArmEndpoint);
        Assert.Equal(_server.BaseAddress, after.ArmEndpoint);
        Assert.Equal(AzMLK8s.Emulator.State.EmulatorState.DefaultSubscriptionId, after.SubscriptionId);
        Assert.DoesNotContain(TokenCanary, host.AllText + Describe(after));
    }

    [Fact]
    public void A_certificate_file_pins_that_certificate()
    {
        var path = Path.Combine(Path.GetTempPath(), $"azmlk8s-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, _server.Certificate.ExportCertificatePem(), Encoding.ASCII);
        try
        {
            var host = new RecordingHost();
            var cmdlet = EmulatorContext();
            cmdlet.TrustedCertificateThumbprint = null;
            cmdlet.TrustedCertificatePath = path;

            CmdletRunner.Run(cmdlet, host);

            Assert.Equal(ArmTestConnections.Thumbprint(_server), ((AzMLK8sContextInfo)Assert.Single(host.Output)).TrustedCertificateThumbprint);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Invalid_choices_are_errors_that_leave_the_session_as_it_was()
    {
        var host = new RecordingHost();
        CmdletRunner.Run(EmulatorContext(), host);

        var badSubscription = EmulatorContext();
        badSubscription.SubscriptionId = "not-a-guid";
        CmdletRunner.Run(badSubscription, host);
        var conflicting = EmulatorContext();
        conflicting.AuthMethod = AzMLK8sAuthMethod.ManagedIdentity;
        CmdletRunner.Run(conflicting, host);
        var pinWithoutEndpoint = new SetAzMLK8sContextCommand { Cloud = "AzureCloud", TrustedCertificateThumbprint = new string('B', 64) };
        CmdletRunner.Run(pinWithoutEndpoint, host);
        CmdletRunner.Run(new GetAzMLK8sContextCommand(), host);

        Assert.Equal(new[] { "Context.InvalidSubscriptionId", "Context.ConflictingAuthMethod", "Context.PinWithoutEndpoint" }, host.Errors.Select(e => e.ErrorId));
        Assert.All(host.Errors, e => Assert.Equal(AzMLK8s.Model.ErrorKind.InvalidArgument, e.Category));
        Assert.Equal(2, host.Output.Count);
        Assert.Equal(_server.BaseAddress, ((AzMLK8sContextInfo)host.Output[^1]).ArmEndpoint);
        Assert.DoesNotContain(TokenCanary, host.AllText);
    }

    [Fact]
    public void A_managed_identity_client_id_implies_the_managed_identity_method()
    {
        var host = new RecordingHost();
        var clientId = Guid.NewGuid().ToString();

        CmdletRunner.Run(new SetAzMLK8sContextCommand { Cloud = "AzureChinaCloud", ManagedIdentityClientId = clientId, SubscriptionId = Guid.NewGuid().ToString() }, host);

        var info = (AzMLK8sContextInfo)Assert.Single(host.Output);
        Assert.Equal(AzMLK8sAuthMethod.ManagedIdentity, info.AuthMethod);
        Assert.Equal(clientId, info.ManagedIdentityClientId);
        Assert.Equal("AzureChinaCloud", info.Cloud);
        Assert.Equal("https://management.core.chinacloudapi.cn/", info.TokenAudience);
    }

    [Fact]
    public void The_cmdlets_declare_their_output_and_Set_changes_session_state_only_so_it_has_no_WhatIf()
    {
        var set = CmdletDeclaration.From(typeof(SetAzMLK8sContextCommand));
        var get = CmdletDeclaration.From(typeof(GetAzMLK8sContextCommand));

        Assert.Equal("Set-AzMLK8sContext", set.Name);
        Assert.False(set.SupportsShouldProcess);
        Assert.Equal(new[] { typeof(AzMLK8sContextInfo) }, set.OutputTypes);
        Assert.Equal(new[] { typeof(AzMLK8sContextInfo) }, get.OutputTypes);
        Assert.Equal("Cloud", set.DefaultParameterSetName);
        Assert.True(set.Parameters.Single(p => p.Name == "ArmEndpoint").Sets.Single().Mandatory);
        Assert.Equal(new[] { "Cloud", "Endpoint" }, set.ParameterSetNames.Order());
    }

    private SetAzMLK8sContextCommand EmulatorContext() => new()
    {
        ArmEndpoint = _server.BaseAddress,
        TrustedCertificateThumbprint = ArmTestConnections.Thumbprint(_server).ToLowerInvariant(),
        SubscriptionId = AzMLK8s.Emulator.State.EmulatorState.DefaultSubscriptionId,
        AccessToken = ArmTestConnections.Secure(TokenCanary),
    };

    private static string Describe(AzMLK8sContextInfo info) =>
        string.Join("|", typeof(AzMLK8sContextInfo).GetProperties().Select(p => p.GetValue(info)?.ToString()));
}
