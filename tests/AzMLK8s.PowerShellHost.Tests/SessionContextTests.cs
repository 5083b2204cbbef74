using AzMLK8s.Emulator.Hosting;
using AzMLK8s.PowerShellHost.Tests.Infrastructure;

namespace AzMLK8s.PowerShellHost.Tests;

/// <summary>The session context lives in a runspace: two runspaces of one process (Automation's jobs) never share it.</summary>
public sealed class SessionContextTests
{
    [Fact]
    public async Task Two_runspaces_signed_in_to_different_endpoints_work_side_by_side_each_with_its_own()
    {
        await using var first = await EmulatorServer.StartAsync(EmulatorFixture.FastOptions());
        await using var second = await EmulatorServer.StartAsync(EmulatorFixture.FastOptions());
        using var one = ModuleSession.Open(first);
        using var two = ModuleSession.Open(second);
        const string script = "1..5 | ForEach-Object { Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo }";

        var runs = await Task.WhenAll(Task.Run(() => one.Run(script)), Task.Run(() => two.Run(script)));

        Assert.All(runs, run => run.ThrowIfFailed());
        Assert.Equal(5, first.State.Requests.Count("GET", "Compute_List"));
        Assert.Equal(5, second.State.Requests.Count("GET", "Compute_List"));
        Assert.Equal(first.BaseAddress, one.Run("(Get-AzMLK8sContext).ArmEndpoint").BaseObjects.Single());
        Assert.Equal(second.BaseAddress, two.Run("(Get-AzMLK8sContext).ArmEndpoint").BaseObjects.Single());
    }

    [Fact]
    public void A_new_runspace_in_the_same_process_starts_without_a_context()
    {
        using var signedIn = ModuleSession.Open();
        signedIn.Run("$null = Set-AzMLK8sContext -ArmEndpoint https://127.0.0.1:1/ -SubscriptionId 00000000-0000-0000-0000-000000000009 -AuthMethod AccessToken -AccessToken (ConvertTo-SecureString x -AsPlainText -Force)").ThrowIfFailed();
        using var fresh = ModuleSession.Open();

        var context = fresh.Run("(Get-AzMLK8sContext).ArmEndpoint").ThrowIfFailed();

        Assert.NotEqual(new Uri("https://127.0.0.1:1/"), context.BaseObjects.SingleOrDefault());
    }
}
