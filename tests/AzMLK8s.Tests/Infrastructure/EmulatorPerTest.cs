using AzMLK8s.Emulator.Hosting;

namespace AzMLK8s.Tests.Infrastructure;

/// <summary>A fresh emulator (<see cref="EmulatorFixture.FastOptions"/>) for each test of a class whose tests change its state.</summary>
public abstract class EmulatorPerTest : IAsyncLifetime
{
    private EmulatorServer? _server;

    protected EmulatorServer Server => _server ?? throw new InvalidOperationException("The emulator has not started.");

    public virtual async Task InitializeAsync() => _server = await EmulatorServer.StartAsync(EmulatorFixture.FastOptions());

    public virtual async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
