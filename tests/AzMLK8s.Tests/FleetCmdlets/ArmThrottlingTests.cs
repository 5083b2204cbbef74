using AzMLK8s.Cmdlets.Extensions;
using AzMLK8s.Emulator.State;
using AzMLK8s.Harness;
using AzMLK8s.Model.Extensions;
using AzMLK8s.Tests.ExtensionCmdlets;

namespace AzMLK8s.Tests.FleetCmdlets;

/// <summary>A fleet rollout against a subscription write budget: the inputs share what ARM says is left.</summary>
public sealed class ArmThrottlingTests : ExtensionCmdletTestBase
{
    private sealed record ClusterInput(string ClusterResourceId);

    [Fact]
    public void A_spent_write_budget_holds_every_input_instead_of_each_running_into_429()
    {
        var clusters = FleetSeed.AddClusters(State, 8);
        State.Throttle.WriteBudget = 4;
        State.Throttle.Window = TimeSpan.FromSeconds(2);
        var cmdlet = new NewAzMLK8sExtensionCommand { ThrottleLimit = 8 }.WithSwitch(nameof(NewAzMLK8sExtensionCommand.EnableTraining));

        var host = Run(cmdlet, null, clusters.Select(c => (object)new ClusterInput(c)).ToArray());

        Assert.True(host.Errors.Count == 0, string.Join(Environment.NewLine, host.Errors.Select(e => $"{e.ErrorId}: {e.Message}")));
        Assert.Equal(clusters.Order(), host.Output.Cast<AzMLK8sExtension>().Select(e => e.ClusterResourceId).Order());
        Assert.All(State.Extensions.Values, e => Assert.Equal("Succeeded", e.ProvisioningState));
        var throttled = State.Requests.Entries.Count(e => e.Status == 429 && e.Method != "GET");

        // Eight writes at once against four left would see four 429s; paced, one request learns when the budget is back.
        Assert.InRange(throttled, 1, 2);
    }
}
