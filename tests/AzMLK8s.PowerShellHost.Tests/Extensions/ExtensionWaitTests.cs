using System.Management.Automation;

namespace AzMLK8s.PowerShellHost.Tests.Extensions;

/// <summary>
/// The states in between, held by the emulator's frozen clock: an install, update or removal under way as Get and Test
/// show it, a second New that waits for the install already running, and Test -Wait that keeps checking until the
/// extension is healthy. Operations finish only when the test moves the clock past them.
/// </summary>
public sealed class ExtensionWaitTests : ExtensionSessionTest
{
    private readonly object _clockGate = new();
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        State.Options.OperationDuration = TimeSpan.FromMinutes(5);
        State.Clock = () =>
        {
            lock (_clockGate)
            {
                return _now;
            }
        };
    }

    [Fact]
    public void Get_and_Test_show_an_install_under_way_as_Creating_and_the_report_as_not_yet_healthy()
    {
        var created = Ok("New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining -NoWait", ("aks", AksId));

        var read = Ok("Get-AzMLK8sExtension -ClusterResourceId $aks -Name azureml", ("aks", AksId));
        var report = Ok("Test-AzMLK8sExtension -ClusterResourceId $aks", ("aks", AksId));

        Assert.Equal("Creating", Property(Assert.Single(created.Output), "ProvisioningState"));
        Assert.Equal("Creating", Property(Assert.Single(read.Output), "ProvisioningState"));
        var health = Assert.Single(report.Output);
        Assert.Equal("Creating", Property(health, "ProvisioningState"));
        Assert.NotEqual("Healthy", Property(health, "Status")?.ToString());
        Assert.Equal(0, Count("GET", "OperationStatus_Get"));

        Advance(TimeSpan.FromMinutes(6));
        var done = Ok("Get-AzMLK8sExtension -ClusterResourceId $aks -Name azureml", ("aks", AksId));
        Assert.Equal("Succeeded", Property(Assert.Single(done.Output), "ProvisioningState"));
    }

    [Fact]
    public void Update_and_Remove_with_NoWait_leave_the_extension_Updating_then_Deleting_until_the_clock_moves_on()
    {
        Ok("$null = New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining -NoWait", ("aks", AksId));
        Advance(TimeSpan.FromMinutes(6));

        var updating = Ok("Update-AzMLK8sExtension -ClusterResourceId $aks -InstallVolcano $false -Force -NoWait", ("aks", AksId));
        var whileUpdating = Ok("(Get-AzMLK8sExtension -ClusterResourceId $aks -Name azureml).ProvisioningState", ("aks", AksId));
        Advance(TimeSpan.FromMinutes(6));
        var removing = Ok("Remove-AzMLK8sExtension -ClusterResourceId $aks -NoWait -Confirm:$false -Verbose", ("aks", AksId));
        var whileRemoving = Ok("(Get-AzMLK8sExtension -ClusterResourceId $aks -Name azureml).ProvisioningState", ("aks", AksId));
        Advance(TimeSpan.FromMinutes(6));
        var gone = Session.Run("Get-AzMLK8sExtension -ClusterResourceId $aks", ("aks", AksId));

        Assert.Equal("Updating", Property(Assert.Single(updating.Output), "ProvisioningState"));
        Assert.Equal("Updating", Assert.Single(whileUpdating.Output).BaseObject);
        Assert.Empty(removing.Output);
        Assert.Contains(removing.Verbose, v => v.Message.Contains("Removal of extension 'azureml' started", StringComparison.Ordinal));
        Assert.Equal("Deleting", Assert.Single(whileRemoving.Output).BaseObject);
        Assert.Empty(gone.Output);
        Assert.Empty(gone.Errors);
    }

    [Fact]
    public async Task A_second_New_while_the_same_install_is_under_way_waits_for_it_without_writing()
    {
        // The request log stamps requests with the emulator's clock: this test keeps it running to see the polls' pace,
        // and holds the install with an operation that lasts until completed instead.
        State.Clock = () => DateTimeOffset.UtcNow;
        State.Options.OperationDuration = Timeout.InfiniteTimeSpan;
        Ok("$null = New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining -NoWait", ("aks", AksId));
        State.Requests.Clear();

        using var second = Session.Start("$VerbosePreference = 'Continue'; New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining", ("aks", AksId));
        await Until(() => Count("GET", "Extensions_Get") >= 2, "the wait read the extension again");
        Assert.False(second.Completion.IsCompleted);
        State.CompleteOperations();
        var result = await second.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(result.Errors);
        Assert.Equal("Succeeded", Property(Assert.Single(result.Output), "ProvisioningState"));
        Assert.Equal(0, Writes);
        Assert.Contains(result.Verbose, v => v.Message.Contains("waiting for it", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Verbose, v => v.Message.Contains("Performing the operation", StringComparison.Ordinal));
        // It polls at the service's pace (Retry-After: 1), not in a busy loop.
        var reads = State.Requests.Entries.Where(e => e.Route == "Extensions_Get").ToList();
        Assert.True(reads[1].At - reads[0].At >= TimeSpan.FromMilliseconds(500), "The wait read the extension again at once instead of after the polling interval.");
    }

    [Fact]
    public async Task Test_Wait_checks_again_until_an_install_under_way_is_healthy_and_reports_its_progress()
    {
        Ok("$null = New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining -NoWait", ("aks", AksId));
        State.Requests.Clear();

        using var waiting = Session.Start("Test-AzMLK8sExtension -ClusterResourceId $aks -Wait -TimeoutSeconds 120 -IntervalSeconds 1", ("aks", AksId));
        await Until(() => Count("GET", "Extensions_Get") >= 2, "the extension was checked twice while Creating");
        Assert.False(waiting.Completion.IsCompleted);
        Advance(TimeSpan.FromMinutes(6));
        var result = await waiting.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(result.Errors);
        var report = Assert.Single(result.Output);
        Assert.Equal("Healthy", Property(report, "Status")?.ToString());
        Assert.Equal("16/16", Property(report, "WorkloadsReady"));
        Assert.Contains(result.Progress, p => p.Activity.Contains("healthy", StringComparison.Ordinal));
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
    }

    private void Advance(TimeSpan by)
    {
        lock (_clockGate)
        {
            _now += by;
        }
    }
}
