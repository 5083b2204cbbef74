using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Context;
using AzMLK8s.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AzMLK8s.Tests.Azure;

/// <summary>
/// A scripted HTTPS endpoint for wire shapes the emulator does not produce (Location-only operations, a resource
/// polled by provisioningState, foreign operation hosts) or does not own. Every request goes to one handler.
/// </summary>
internal sealed class FakeArmServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;

    private FakeArmServer(WebApplication app, X509Certificate2 certificate, Uri address)
    {
        _app = app;
        _certificate = certificate;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<FakeArmServer> StartAsync(Func<HttpContext, Task<IResult>> handler)
    {
        var certificate = SelfSignedCertificate.CreateServerCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        app.Map("/{**path}", handler);
        await app.StartAsync();
        return new FakeArmServer(app, certificate, new Uri($"https://127.0.0.1:{new Uri(app.Urls.First()).Port}/"));
    }

    public ArmConnection Connect(RecordingHost host) => ArmConnection.FromContext(
        AzureContextSettings.ForCustomEndpoint(Address, _certificate.GetCertHashString(HashAlgorithmName.SHA256), EmulatorState.DefaultSubscriptionId, ArmTestConnections.Secure("fake-server-token")),
        host,
        ArmTestConnections.FastOptions());

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
    }
}
