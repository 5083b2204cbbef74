namespace AzMLK8s.PowerShellHost.Tests.Extensions;

/// <summary>
/// The protected values the emulator stores (ARM never returns them, so only the emulator's state shows them): what
/// New sends from a SecureString, what Update keeps, completes or reads again from the Relay, and what it does when
/// the Relay rule it would read is gone.
/// </summary>
public sealed class ExtensionProtectedSettingTests : ExtensionSessionTest
{
    [Fact]
    public void A_relay_connection_string_given_as_SecureString_is_stored_as_given_and_no_Relay_is_made()
    {
        const string canary = "relay-canary-Endpoint=sb://canary/;SharedAccessKey=c4n4ry";

        var result = Session.Run(
            "New-AzMLK8sExtension -ClusterResourceId $arc -EnableTraining -WarningAction SilentlyContinue -ConfigurationProtectedSetting @{ relayServerConnectionString = (ConvertTo-SecureString $canary -AsPlainText -Force) }",
            ("arc", ArcId),
            ("canary", canary)).ThrowIfFailed();

        Assert.Equal(canary, StoredProtected(ArcId)["relayserver.relayConnectionString"]);
        Assert.DoesNotContain(State.Requests.Entries, e => e.Path.Contains("Microsoft.Relay", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("c4n4ry", Visible(result));
    }

    [Fact]
    public void An_update_without_protected_settings_keeps_every_stored_value_and_reads_no_Relay_key_again()
    {
        Install(ArcId, Https(Pem("tls")));
        var before = StoredProtected(ArcId);
        var listKeys = Count("POST", "Relay_ListKeys");

        Ok("$null = Update-AzMLK8sExtension -ClusterResourceId $arc -ConfigurationSetting @{ clusterPurpose = 'FastProd' } -Force", ("arc", ArcId));

        Assert.Equal("FastProd", Stored(ArcId)!.ConfigurationSettings["clusterPurpose"]);
        Assert.Equal(before, StoredProtected(ArcId));
        Assert.Equal(listKeys, Count("POST", "Relay_ListKeys"));
    }

    [Fact]
    public void New_PEM_files_on_Arc_send_the_complete_protected_map_with_the_same_Relay_secret_read_again()
    {
        Install(ArcId, Https(Pem("old")));
        var before = StoredProtected(ArcId);
        var renewed = Pem("new");

        var result = Ok(
            $"Update-AzMLK8sExtension -ClusterResourceId $arc -SslCertificatePath '{renewed.Certificate}' -SslKeyPath '{renewed.Key}' -Force",
            ("arc", ArcId));

        var after = StoredProtected(ArcId);
        Assert.Equal(new[] { "relayserver.relayConnectionString", "scoringFe.sslCert", "scoringFe.sslKey" }, after.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(before["relayserver.relayConnectionString"], after["relayserver.relayConnectionString"]);
        Assert.NotEqual(before["scoringFe.sslCert"], after["scoringFe.sslCert"]);
        Assert.NotEqual(before["scoringFe.sslKey"], after["scoringFe.sslKey"]);
        Assert.Equal(after.Keys.Order(StringComparer.Ordinal), ((IEnumerable<string>)Property(Assert.Single(result.Output), "ProtectedSettingKeys")!).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(after["relayserver.relayConnectionString"], Visible(result));
    }

    [Fact]
    public void An_Arc_update_whose_Relay_rule_is_gone_says_how_to_give_the_connection_string_and_sends_no_update()
    {
        Install(ArcId, Https(Pem("old")));
        var rule = State.Requests.Entries.First(e => e.Method == "PUT" && e.Path.Contains("/authorizationRules/", StringComparison.Ordinal)).Path;
        lock (State.Gate)
        {
            Assert.True(State.Resources.Remove(rule));
        }

        var renewed = Pem("new");

        var result = Session.Run(
            $"Update-AzMLK8sExtension -ClusterResourceId $arc -SslCertificatePath '{renewed.Certificate}' -SslKeyPath '{renewed.Key}' -Force",
            ("arc", ArcId));

        var error = Assert.Single(result.Errors);
        Assert.Equal("Extension.RelayKeysUnavailable,AzMLK8s.Cmdlets.Extensions.UpdateAzMLK8sExtensionCommand", error.FullyQualifiedErrorId);
        Assert.Contains("relayServerConnectionString", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, Count("PATCH", "Extensions_Update"));
    }
}
