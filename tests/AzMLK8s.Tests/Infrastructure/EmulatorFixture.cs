using AzMLK8s.Emulator.Hosting;

namespace AzMLK8s.Tests.Infrastructure;

/// <summary>One emulator per test class (IClassFixture), started on a free loopback port with the default seed.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private EmulatorServer? _server;

    public EmulatorServer Server => _server ?? throw new InvalidOperationException("The emulator has not started.");

    public async Task InitializeAsync() => _server = await EmulatorServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
