using System.Management.Automation;

namespace AzMLK8s.PowerShellHost.Tests.Extensions;

/// <summary>
/// What each extension cmdlet puts on each of PowerShell's streams - output, error, warning, verbose, debug,
/// information and progress (the one a Pester suite cannot capture) - and that none of them, nor the output as JSON or
/// the host's lines, shows any protected value the emulator stores.
/// </summary>
public sealed class ExtensionStreamTests : ExtensionSessionTest
{
    private const string Preferences = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; ";

    [Fact]
    public void New_writes_the_extension_a_warning_for_a_small_cluster_verbose_steps_and_progress_it_completes()
    {
        var result = Session.Run(Preferences + "New-AzMLK8sExtension -ClusterResourceId $arc -EnableTraining", ("arc", ArcId));

        Assert.Equal("AzMLK8s.Model.Extensions.AzMLK8sExtension", Assert.Single(result.Output).TypeNames[0]);
        Assert.Empty(result.Errors);
        Assert.Contains("fewer than the 3", Assert.Single(result.Warnings).Message);
        Assert.Contains(result.Verbose, v => v.Message.Contains("Creating Azure Relay namespace", StringComparison.Ordinal));
        AssertOnlyRequestRecords(result.Debug);
        Assert.Empty(result.Information);
        Assert.NotEmpty(result.Progress);
        Assert.All(result.Progress.GroupBy(p => p.ActivityId), activity => Assert.Equal(ProgressRecordType.Completed, activity.Last().RecordType));
    }

    [Fact]
    public void Get_writes_only_the_extension()
    {
        Install(AksId);

        var result = Session.Run(Preferences + "Get-AzMLK8sExtension -ClusterResourceId $aks -Name azureml", ("aks", AksId));

        Assert.Single(result.Output);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.Empty(result.Verbose);
        AssertOnlyRequestRecords(result.Debug);
        Assert.Empty(result.Information);
        Assert.Empty(result.Progress);
    }

    [Fact]
    public void Update_writes_the_extension_and_progress_it_completes_and_warns_about_plain_HTTP()
    {
        Install(AksId);

        var result = Session.Run(Preferences + "Update-AzMLK8sExtension -ClusterResourceId $aks -EnableInference $true -AllowInsecureConnection $true -Force", ("aks", AksId));

        Assert.Equal(true, Property(Assert.Single(result.Output), "InferenceEnabled"));
        Assert.Empty(result.Errors);
        Assert.Contains(result.Warnings, w => w.Message.Contains("allowInsecureConnections=true", StringComparison.Ordinal));
        AssertOnlyRequestRecords(result.Debug);
        Assert.Empty(result.Information);
        Assert.NotEmpty(result.Progress);
        Assert.All(result.Progress.GroupBy(p => p.ActivityId), activity => Assert.Equal(ProgressRecordType.Completed, activity.Last().RecordType));
    }

    [Fact]
    public void Remove_writes_what_it_removed_with_PassThru_says_so_on_verbose_and_completes_its_progress()
    {
        Install(AksId);

        var result = Session.Run(Preferences + "Remove-AzMLK8sExtension -ClusterResourceId $aks -Confirm:$false -PassThru", ("aks", AksId));

        Assert.Equal("azureml", Property(Assert.Single(result.Output), "Name"));
        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.Contains(result.Verbose, v => v.Message.Contains("Extension 'azureml' was removed.", StringComparison.Ordinal));
        AssertOnlyRequestRecords(result.Debug);
        Assert.Empty(result.Information);
        Assert.NotEmpty(result.Progress);
        Assert.All(result.Progress.GroupBy(p => p.ActivityId), activity => Assert.Equal(ProgressRecordType.Completed, activity.Last().RecordType));
    }

    [Fact]
    public void Test_Wait_that_times_out_writes_the_last_report_one_HealthTimeout_error_and_progress_toward_healthy()
    {
        Install(AksId);
        Kubernetes(AksId).Delete("apps/v1", "StatefulSet", "azureml", "frameworkcontroller");

        var result = Session.Run(Preferences + "Test-AzMLK8sExtension -ClusterResourceId $aks -Wait -TimeoutSeconds 5 -IntervalSeconds 1", ("aks", AksId));

        Assert.Equal("Unhealthy", Property(Assert.Single(result.Output), "Status")?.ToString());
        var error = Assert.Single(result.Errors);
        Assert.Equal("Extension.HealthTimeout,AzMLK8s.Cmdlets.Extensions.TestAzMLK8sExtensionCommand", error.FullyQualifiedErrorId);
        Assert.Contains("frameworkcontroller", error.ToString());
        Assert.Empty(result.Warnings);
        AssertOnlyRequestRecords(result.Debug);
        Assert.Empty(result.Information);
        Assert.Contains(result.Progress, p => p.Activity.Contains("healthy", StringComparison.Ordinal));
    }

    [Fact]
    public void No_stream_the_output_or_the_host_shows_a_protected_value_the_emulator_stores()
    {
        var old = Pem("old");
        var renewed = Pem("new");

        var created = Session.Run(Preferences + "New-AzMLK8sExtension -ClusterResourceId $arc " + Https(old) + " -ConfigurationSetting @{ logAnalyticsWS = $true }", ("arc", ArcId));
        var afterCreate = StoredProtected(ArcId);
        var updated = Session.Run(
            Preferences + $"Update-AzMLK8sExtension -ClusterResourceId $arc -SslCertificatePath '{renewed.Certificate}' -SslKeyPath '{renewed.Key}' -Force -Verbose",
            ("arc", ArcId));
        var afterUpdate = StoredProtected(ArcId);
        var health = Session.Run(Preferences + "Test-AzMLK8sExtension -ClusterResourceId $arc; Get-AzMLK8sExtension -ClusterResourceId $arc", ("arc", ArcId));

        Assert.Empty(created.Errors);
        Assert.Empty(updated.Errors);
        Assert.Equal(
            new[] { "azure_log_analytics.connection_string", "relayserver.relayConnectionString", "scoringFe.sslCert", "scoringFe.sslKey" },
            afterUpdate.Keys.Order(StringComparer.Ordinal));
        var visible = Visible(created) + Visible(updated) + Visible(health);
        foreach (var secret in afterCreate.Values.Concat(afterUpdate.Values).Concat(SecretLines(old.Key)).Concat(SecretLines(renewed.Key)))
        {
            Assert.DoesNotContain(secret, visible);
        }
    }

    // With $DebugPreference = 'Continue', the debug stream holds one record per request and each wait's reason,
    // nothing else (and, as every stream, no secret: checked with the other streams).
    private static void AssertOnlyRequestRecords(IReadOnlyList<DebugRecord> records) =>
        Assert.All(records, record => Assert.Matches(@"^(ARM|Kubernetes) (GET|PUT|PATCH|POST|DELETE) https://|is running: waiting ", record.Message));
}
