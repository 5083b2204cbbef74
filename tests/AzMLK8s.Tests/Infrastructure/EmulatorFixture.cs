using AzMLK8s.Emulator.Hosting;

namespace AzMLK8s.Tests.Infrastructure;

/// <summary>One emulator per test class (IClassFixture), started on a free loopback port with the default seed.</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private EmulatorServer? _server;

    public EmulatorServer Server => _server ?? throw new InvalidOperationException("The emulator has not started.");

    /// <summary>
    /// Options for test emulators: operations and registrations finish in a fraction of a second and running
    /// operations send no Retry-After, so clients poll at their own (test-short) interval.
    /// </summary>
    public static EmulatorOptions FastOptions() => new()
    {
        OperationDuration = TimeSpan.FromMilliseconds(150),
        OperationRetryAfterSeconds = null,
        RegistrationDuration = TimeSpan.FromMilliseconds(150),
    };

    public async Task InitializeAsync() => _server = await EmulatorServer.StartAsync(FastOptions());

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
