using System.Net;
using System.Security.Cryptography.X509Certificates;
using AzMLK8s.Emulator.Arm;
using AzMLK8s.Emulator.Kubernetes;
using AzMLK8s.Emulator.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AzMLK8s.Emulator.Hosting;

/// <summary>
/// The emulator: one HTTPS listener on 127.0.0.1 that serves the ARM API at its root and each emulated cluster's
/// Kubernetes API under /k8s/{subscription}/{resourceGroup}/{cluster}.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorServer(WebApplication app, EmulatorState state, X509Certificate2 certificate, Uri baseAddress)
    {
        _app = app;
        State = state;
        Certificate = certificate;
        BaseAddress = baseAddress;
    }

    public EmulatorState State { get; }

    /// <summary>The server certificate; clients pin it.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>https://127.0.0.1:{port}/</summary>
    public Uri BaseAddress { get; }

    public static async Task<EmulatorServer> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        var certificate = SelfSignedCertificate.CreateServerCertificate();
        var state = new EmulatorState(options);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.UseHttps(https =>
            {
                https.ServerCertificate = certificate;
                // Kubernetes clients may authenticate with a client certificate; ARM clients send none.
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.AllowAnyClientCertificate();
            }));
        });
        builder.Services.AddSingleton(state);

        var app = builder.Build();
        app.UseControlApi(state, () => certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
        var armRouter = app.UseArmPipeline(state);
        app.MapKubernetesApi(state);
        app.MapArmApi(state, armRouter);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var port = new Uri(app.Urls.First()).Port;
        var baseAddress = new Uri($"https://127.0.0.1:{port}/");
        state.BaseAddress = baseAddress;
        if (options.SeedDefaults)
        {
            DefaultSeed.Apply(state);
        }

        return new EmulatorServer(app, state, certificate, baseAddress);
    }

    /// <summary>Completes when the host is asked to stop (Ctrl+C, SIGTERM) — for the standalone process.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Certificate.Dispose();
    }
}
