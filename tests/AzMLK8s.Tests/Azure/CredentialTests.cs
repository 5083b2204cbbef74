using System.Security;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Context;
using AzMLK8s.Model;
using AzMLK8s.Model.Context;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Azure;

/// <summary>The credential paths that can run here: Az.Accounts through the host, an explicit token, the Azure.Identity chain's failure.</summary>
public sealed class CredentialTests : IClassFixture<EmulatorFixture>
{
    private const string AzToken = "az-accounts-token-canary-0c4a2e";

    private readonly EmulatorServer _server;

    public CredentialTests(EmulatorFixture fixture)
    {
        _server = fixture.Server;
    }

    public static TheoryData<object> TokenShapes => new() { AzToken, ArmTestConnections.Secure(AzToken) };

    [Theory]
    [MemberData(nameof(TokenShapes))]
    public async Task The_Az_Accounts_sign_in_gives_subscription_and_token_through_the_host_whether_the_token_is_a_string_or_a_SecureString(object token)
    {
        var host = AzAccountsHost(token, out var tokenRequests);
        var settings = new AzureContextSettings { ArmEndpoint = _server.BaseAddress, TrustedCertificateThumbprint = ArmTestConnections.Thumbprint(_server) };

        var connection = ArmConnection.FromContext(settings, host, ArmTestConnections.FastOptions());
        var workspace = await connection.Workspaces.GetAsync(ArmTestConnections.WorkspaceId, default);

        Assert.Equal("ws-demo", workspace?.Name);
        Assert.Equal(EmulatorState.DefaultSubscriptionId, connection.SubscriptionId);
        Assert.Equal(EmulatorState.DefaultTenantId, connection.TenantId);
        Assert.Equal("https://management.core.windows.net", Assert.Single(tokenRequests)["ResourceUrl"]);
        Assert.DoesNotContain(AzToken, host.AllText);
    }

    [Fact]
    public void The_cloud_comes_from_the_Az_Accounts_environment_when_none_was_chosen()
    {
        var host = AzAccountsHost(AzToken, out _, environment: "AzureChinaCloud", armUrl: "https://management.chinacloudapi.cn/");

        var connection = ArmConnection.FromContext(new AzureContextSettings(), host);

        Assert.Equal("AzureChinaCloud", connection.CloudName);
        Assert.Equal(new Uri("https://management.chinacloudapi.cn/"), connection.Endpoint);
        Assert.Equal("https://management.core.chinacloudapi.cn/", connection.TokenAudience);
    }

    [Fact]
    public void A_chosen_cloud_wins_and_an_unknown_cloud_is_refused()
    {
        var settings = new AzureContextSettings { CloudName = "AzureUSGovernment", SubscriptionId = EmulatorState.DefaultSubscriptionId, AccessToken = ArmTestConnections.Secure("t-123456"), AuthMethod = AzMLK8sAuthMethod.AccessToken };

        var connection = ArmConnection.FromContext(settings, new RecordingHost());
        var error = Assert.Throws<ModuleErrorException>(() => ArmConnection.FromContext(settings with { CloudName = "Mars" }, new RecordingHost())).Error;

        Assert.Equal(new Uri("https://management.usgovcloudapi.net/"), connection.Endpoint);
        Assert.Equal("Arm.UnknownCloud", error.ErrorId);
        Assert.Contains("AzureChinaCloud", error.RecommendedAction);
    }

    [Fact]
    public void Asking_for_Az_Accounts_without_a_sign_in_says_to_connect()
    {
        var host = new RecordingHost();
        host.AddCommand("Get-AzContext", _ => Array.Empty<IReadOnlyDictionary<string, object?>>());

        var error = Assert.Throws<ModuleErrorException>(() => ArmConnection.FromContext(new AzureContextSettings { AuthMethod = AzMLK8sAuthMethod.AzAccounts }, host)).Error;

        Assert.Equal("Arm.NotSignedIn", error.ErrorId);
        Assert.Equal(ErrorKind.AuthenticationError, error.Category);
        Assert.Contains("Connect-AzAccount", error.RecommendedAction);
    }

    [Fact]
    public void Without_a_subscription_anywhere_the_error_says_how_to_choose_one()
    {
        var settings = new AzureContextSettings { ArmEndpoint = _server.BaseAddress, AccessToken = ArmTestConnections.Secure("t-123456"), AuthMethod = AzMLK8sAuthMethod.AccessToken };

        var error = Assert.Throws<ModuleErrorException>(() => ArmConnection.FromContext(settings, new RecordingHost())).Error;

        Assert.Equal("Arm.NoSubscription", error.ErrorId);
        Assert.Contains("Set-AzMLK8sContext -SubscriptionId", error.RecommendedAction);
    }

    [Fact]
    public async Task The_environment_chain_without_any_sign_in_fails_as_an_authentication_error_before_anything_is_sent()
    {
        var settings = ArmTestConnections.Settings(_server) with { AuthMethod = AzMLK8sAuthMethod.Environment, AccessToken = null };
        var before = _server.State.Requests.Entries.Count;
        var connection = ArmConnection.FromContext(settings, new RecordingHost(), ArmTestConnections.FastOptions(maxRetries: 0));

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => connection.Workspaces.GetAsync(ArmTestConnections.WorkspaceId, default))).Error;

        Assert.Equal("Arm.AuthenticationFailed", error.ErrorId);
        Assert.Equal(ErrorKind.AuthenticationError, error.Category);
        Assert.Equal(before, _server.State.Requests.Entries.Count);
    }

    [Fact]
    public async Task An_explicit_token_is_sent_as_the_bearer_and_never_shown()
    {
        var host = new RecordingHost();
        var connection = ArmTestConnections.Connect(_server, host);

        var token = await connection.GetAccessTokenAsync("6dae42f8-4368-4678-94ff-3960e28e3630/.default", default);

        Assert.Equal(ArmTestConnections.Token, token);
        Assert.NotNull(await connection.Workspaces.GetAsync(ArmTestConnections.WorkspaceId, default));
        Assert.DoesNotContain(ArmTestConnections.Token, host.AllText);
        Assert.DoesNotContain(ArmTestConnections.Token, ArmTestConnections.Settings(_server).ToString());
    }

    private static RecordingHost AzAccountsHost(object token, out List<IReadOnlyDictionary<string, object?>> tokenRequests, string environment = "AzureCloud", string armUrl = "https://management.azure.com/")
    {
        var host = new RecordingHost();
        var requests = new List<IReadOnlyDictionary<string, object?>>();
        tokenRequests = requests;
        host.AddCommand("Get-AzContext", _ => new[]
        {
            Bag(
                ("Account", Bag(("Id", "admin@contoso.com"), ("Type", "User"))),
                ("Subscription", Bag(("Id", EmulatorState.DefaultSubscriptionId), ("Name", "Demo"), ("TenantId", EmulatorState.DefaultTenantId))),
                ("Tenant", Bag(("Id", EmulatorState.DefaultTenantId))),
                ("Environment", Bag(("Name", environment), ("ResourceManagerUrl", armUrl), ("ActiveDirectoryServiceEndpointResourceId", "https://management.core.windows.net/")))),
        });
        host.AddCommand("Get-AzAccessToken", parameters =>
        {
            requests.Add(parameters);
            return new[] { Bag(("Token", token), ("ExpiresOn", DateTimeOffset.UtcNow.AddHours(1)), ("Type", "Bearer")) };
        });
        return host;
    }

    private static IReadOnlyDictionary<string, object?> Bag(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.OrdinalIgnoreCase);
}
