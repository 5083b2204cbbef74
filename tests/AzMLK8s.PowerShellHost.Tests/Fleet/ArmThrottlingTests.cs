using AzMLK8s.Emulator.State;
using AzMLK8s.PowerShellHost.Tests.Infrastructure;

namespace AzMLK8s.PowerShellHost.Tests.Fleet;

/// <summary>
/// ARM's per-subscription request budget, shared by every input of a fleet call and by every command of the process
/// (two runspaces here, as two Automation jobs): a spent budget or a 429 holds the others' requests instead of each
/// running into 429.
/// </summary>
public sealed class ArmThrottlingTests : FleetSessionPerTest
{
    [Fact]
    public async Task A_spent_write_budget_holds_every_input_instead_of_each_running_into_429()
    {
        var clusters = AddFleet(8);
        State.Throttle.WriteBudget = 4;
        State.Throttle.Window = TimeSpan.FromSeconds(2);

        using var running = StartFleet("New-AzMLK8sExtension -EnableTraining -ThrottleLimit 8", clusters);
        var result = await Finish(running);

        Assert.True(result.Errors.Count == 0, string.Join(Environment.NewLine, result.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        Assert.Equal(clusters.Order(), Written.Order());
        Assert.All(State.Extensions.Values, e => Assert.Equal("Succeeded", e.ProvisioningState));

        // Eight writes at once against four left would see four 429s; paced, one request learns when the budget is back.
        Assert.InRange(State.Requests.Entries.Count(e => e.Status == 429 && e.Method != "GET"), 1, 2);
    }

    [Fact]
    public async Task A_429_seen_by_one_command_holds_the_writes_of_a_command_in_another_runspace()
    {
        var first = AddFleet(5);
        var second = FleetSeed.AddClusters(State, 1, prefix: "other")[0];
        State.Throttle.WriteBudget = 4;
        State.Throttle.Window = TimeSpan.FromSeconds(3);
        using var other = ModuleSession.Open(Server);

        // The first command spends the budget: its fifth install is answered 429 with the time the budget is back.
        using var running = StartFleet("New-AzMLK8sExtension -EnableTraining -ThrottleLimit 5", first);
        await FleetWaiting.Until(() => State.Requests.Entries.Any(e => e.Status == 429 && e.Method == "PUT"), "the first command met the spent budget");

        // A command of another runspace starts while the first waits for the budget: it waits too, instead of
        // sending its install into another 429.
        var otherRun = await Task.Run(() => other.Run("New-AzMLK8sExtension -ClusterResourceId $id -EnableTraining", ("id", second))).WaitAsync(FleetWaiting.HangGuard);
        var result = await Finish(running);

        Assert.Empty(result.Errors);
        Assert.Empty(otherRun.Errors);
        Assert.DoesNotContain(State.Requests.Entries, e => e.Status == 429 && e.Path.StartsWith(second + "/", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(1, State.Requests.Entries.Count(e => e.Status == 429));
        Assert.Equal(6, State.Extensions.Values.Count(e => e.ProvisioningState == "Succeeded"));
    }
}
