using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AzMLK8s.Emulator.State;
using AzMLK8s.PowerShellHost.Tests.Infrastructure;

namespace AzMLK8s.PowerShellHost.Tests;

/// <summary>
/// Set-AzMLK8sContext -AuthMethod ManagedIdentity as an Azure Automation runbook runs it: the sandbox names its
/// identity's token endpoint in IDENTITY_ENDPOINT and IDENTITY_HEADER. Those are process-wide, so the module runs in a
/// fresh pwsh with a token endpoint of this test's own, and must send ARM the token that endpoint issued, without the
/// token reaching any output.
/// </summary>
public sealed class ManagedIdentitySignInTests : IClassFixture<EmulatorFixture>
{
    private const string IdentityHeader = "automation-sandbox-secret";
    private readonly EmulatorFixture _emulator;

    public ManagedIdentitySignInTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
    }

    [Theory]
    [InlineData("")]
    [InlineData("22222222-0000-0000-0000-00000000c11e")]
    public void The_identity_named_by_the_sandbox_signs_in_and_its_token_goes_to_ARM(string clientId)
    {
        var server = _emulator.Server;
        var token = $"mi-token-canary-{Guid.NewGuid():N}";
        using var endpoint = TokenEndpoint.Start(token);
        var before = server.State.Requests.Entries.Count;

        var (exitCode, output) = SignInAndRead(server, clientId, endpoint);

        Assert.True(exitCode == 0, output);
        Assert.True(endpoint.Requests.Count == 1, $"{endpoint.Requests.Count} token requests");
        var asked = endpoint.Requests.Single();
        Assert.Equal("2019-08-01", asked.Query["api-version"]);
        Assert.Equal(IdentityHeader, asked.Headers["X-IDENTITY-HEADER"]);
        Assert.False(string.IsNullOrEmpty(asked.Query["resource"]));
        Assert.Equal(clientId.Length == 0 ? null : clientId, asked.Query["client_id"]);
        var request = Assert.Single(server.State.Requests.Entries.Skip(before));
        Assert.Equal(LoggedRequest.Fingerprint(token), request.BearerFingerprint);
        Assert.DoesNotContain(token, output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_endpoint_that_refuses_is_a_sign_in_error_that_says_what_to_check()
    {
        var server = _emulator.Server;
        using var endpoint = TokenEndpoint.Start(token: null);
        var before = server.State.Requests.Entries.Count;

        var (exitCode, output) = SignInAndRead(server, clientId: string.Empty, endpoint);

        Assert.True(exitCode == 1, output);
        Assert.Matches(@"(?m)^error: .*ManagedIdentity", output);
        Assert.NotEmpty(endpoint.Requests);
        Assert.Equal(before, server.State.Requests.Entries.Count);
    }

    /// <summary>
    /// A runbook's first lines in a fresh pwsh whose environment names <paramref name="endpoint"/>: import the module,
    /// sign in as the managed identity (its client id when given), read the AKS cluster's extensions. Prints its errors
    /// as "error: FullyQualifiedErrorId: message ..."; exit code 1 when there was one.
    /// </summary>
    private static (int ExitCode, string Output) SignInAndRead(AzMLK8s.Emulator.Hosting.EmulatorServer server, string clientId, TokenEndpoint endpoint)
    {
        var aks = $"/subscriptions/{EmulatorState.DefaultSubscriptionId}/resourceGroups/{EmulatorState.DefaultResourceGroup}/providers/Microsoft.ContainerService/managedClusters/aks-demo";
        var script = $$"""
            Import-Module {{PwshProcess.Quote(ModuleSession.ModuleManifest)}} -ErrorAction Stop
            $parameters = @{
                ArmEndpoint = {{PwshProcess.Quote(server.BaseAddress.ToString())}}
                TrustedCertificateThumbprint = {{PwshProcess.Quote(server.Certificate.GetCertHashString(HashAlgorithmName.SHA256))}}
                SubscriptionId = {{PwshProcess.Quote(EmulatorState.DefaultSubscriptionId)}}
                AuthMethod = 'ManagedIdentity'
            }
            if ({{PwshProcess.Quote(clientId)}}) { $parameters.ManagedIdentityClientId = {{PwshProcess.Quote(clientId)}} }
            $null = Set-AzMLK8sContext @parameters
            $extensions = Get-AzMLK8sExtension -ClusterResourceId {{PwshProcess.Quote(aks)}}
            "extensions: $(@($extensions).Count)"
            foreach ($record in $Error) { "error: $($record.FullyQualifiedErrorId): $record $($record.ErrorDetails.RecommendedAction)" }
            exit ([int]($Error.Count -gt 0))
            """;
        return PwshProcess.Run(script, new Dictionary<string, string> { ["IDENTITY_ENDPOINT"] = endpoint.Address, ["IDENTITY_HEADER"] = IdentityHeader });
    }

    /// <summary>A managed identity token endpoint as App Service and Azure Automation serve it (API 2019-08-01), on loopback.</summary>
    private sealed class TokenEndpoint : IDisposable
    {
        private readonly HttpListener _listener;
        private readonly string? _token;
        private readonly Task _serving;

        private TokenEndpoint(HttpListener listener, string address, string? token)
        {
            _listener = listener;
            _token = token;
            Address = address;
            _serving = Task.Run(ServeAsync);
        }

        public string Address { get; }

        public ConcurrentQueue<(System.Collections.Specialized.NameValueCollection Query, System.Collections.Specialized.NameValueCollection Headers)> Requests { get; } = new();

        /// <param name="token">The token to issue; null answers 400 as an endpoint does for an identity it does not have.</param>
        public static TokenEndpoint Start(string? token)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            return new TokenEndpoint(listener, $"http://127.0.0.1:{port}/msi/token", token);
        }

        public void Dispose()
        {
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                Requests.Enqueue((context.Request.QueryString, context.Request.Headers));
                var body = _token is null
                    ? new JsonObject { ["error"] = "invalid_request", ["error_description"] = "No managed identity matches the request." }
                    : new JsonObject
                    {
                        ["access_token"] = _token,
                        ["expires_on"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                        ["resource"] = context.Request.QueryString["resource"],
                        ["token_type"] = "Bearer",
                    };
                var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
                context.Response.StatusCode = _token is null ? 400 : 200;
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }
    }
}
