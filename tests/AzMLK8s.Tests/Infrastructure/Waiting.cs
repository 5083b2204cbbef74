namespace AzMLK8s.Tests.Infrastructure;

/// <summary>Waits for a state another thread brings about (a request sent, an input done), with a guard against hanging.</summary>
public static class Waiting
{
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(40);

    public static async Task Until(Func<bool> condition, string what)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        while (!condition())
        {
            Assert.False(guard.IsCancellationRequested, $"Gave up waiting until {what}.");
            await Task.Delay(10);
        }
    }
}
