using AzMLK8s.Engine.Operations.Roles;
using AzMLK8s.Model;
using AzMLK8s.Tests.Azure;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Roles;

/// <summary>
/// The engine's wait for a principal Microsoft Entra ID has not replicated yet, with retry limits short enough for a
/// test (the cmdlets use the defaults: 5 s, then up to 30 s between attempts, for 5 minutes). Through the cmdlets in
/// real PowerShell: tests/AzMLK8s.PowerShellHost.Tests/Computes/ComputeRoleReplicationTests.
/// </summary>
public sealed class RoleAssignmentReplicationTests : EmulatorPerTest
{
    private static readonly string RegistryId = $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.ContainerRegistry/registries/acrdemo";

    [Fact]
    public async Task A_principal_that_never_replicates_fails_after_the_limit_with_PrincipalNotReplicated_and_the_next_step_and_nothing_is_assigned()
    {
        var principalId = Guid.NewGuid().ToString();
        Server.State.Directory.Register(principalId, DateTimeOffset.UtcNow.AddHours(1));
        var host = new RecordingHost();
        var retry = new RoleAssignmentRetryOptions { InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(40), Timeout = TimeSpan.FromSeconds(3) };
        var assignments = new RoleAssignments(ArmTestConnections.Connect(Server, host), retry);

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() =>
            assignments.GrantAsync(RegistryId, principalId, RoleReference.From(BuiltInRole.AcrPull), null, default))).Error;

        Assert.Equal("PrincipalNotReplicated", error.ErrorId);
        Assert.Equal(ErrorKind.OperationTimeout, error.Category);
        Assert.Contains("Run the same command again", error.RecommendedAction, StringComparison.Ordinal);
        Assert.True(Server.State.Requests.Count("PUT", "RoleAssignments_Create") > 1, "The assignment was not retried.");
        Assert.Contains(host.Verbose, v => v.Contains("not replicated yet", StringComparison.Ordinal));
        Assert.Contains(host.Progress, p => p.Completed);
        Assert.DoesNotContain(Server.State.RoleAssignments, a => a.PrincipalId == principalId);
    }
}
