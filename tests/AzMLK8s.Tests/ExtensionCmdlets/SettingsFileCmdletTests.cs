using AzMLK8s.Cmdlets.Extensions;
using AzMLK8s.Harness;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Extensions;
using AzMLK8s.Tests.Azure;

namespace AzMLK8s.Tests.ExtensionCmdlets;

/// <summary>-ConfigurationSettingFile, -ConfigurationProtectedSettingFile and free-text -ReleaseTrain through the real cmdlets.</summary>
public sealed class SettingsFileCmdletTests : ExtensionCmdletTestBase
{
    private const string Canary = "Endpoint=sb://canary/;SharedAccessKey=pr0tected-file-c4n4ry";

    private readonly string _directory = Directory.CreateTempSubdirectory("azmlk8s-files-").FullName;

    public override async Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        await base.DisposeAsync();
    }

    [Fact]
    public void New_takes_the_CLIs_settings_files_and_never_shows_a_protected_value()
    {
        var cmdlet = new NewAzMLK8sExtensionCommand
        {
            ClusterResourceId = ArmTestConnections.ArcId,
            ConfigurationSettingFile = Write("settings.json", """{ "enableTraining": "true", "installDcgmExporter": true, "nodeSelector.pool": "gpu" }"""),
            ConfigurationProtectedSettingFile = Write("protected.json", $$"""{ "relayServerConnectionString": "{{Canary}}" }"""),
        };

        var host = Run(cmdlet);

        var extension = Single<AzMLK8sExtension>(host);
        var stored = Stored();
        Assert.Equal("true", stored.ConfigurationSettings["enableTraining"]);
        Assert.Equal("true", stored.ConfigurationSettings["installDcgmExporter"]);
        Assert.Equal("gpu", stored.ConfigurationSettings["nodeSelector.pool"]);
        Assert.Equal(Canary, stored.ConfigurationProtectedSettings["relayserver.relayConnectionString"]);
        Assert.DoesNotContain(State.Requests.Entries, e => e.Path.Contains("Microsoft.Relay", StringComparison.Ordinal));
        Assert.Contains("relayserver.relayConnectionString", extension.ProtectedSettingKeys);
        Assert.DoesNotContain("c4n4ry", Visible(host));
    }

    [Fact]
    public void Update_sends_a_protected_file_as_the_protected_settings_and_WhatIf_masks_it()
    {
        Run(New(AzMLK8sClusterType.Arc, "training"));
        var file = Write("protected.json", $$"""{ "relayServerConnectionString": "{{Canary}}" }""");

        var whatIf = Run(new UpdateAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.ArcId, ConfigurationProtectedSettingFile = file }, h => h.ShouldProcessAnswer = (_, _) => false);
        var host = Run(new UpdateAzMLK8sExtensionCommand { ClusterResourceId = ArmTestConnections.ArcId, ConfigurationProtectedSettingFile = file }.WithSwitch("Force"));

        Assert.Contains("relayserver.relayConnectionString: *** -> *** (new value)", Assert.Single(whatIf.ShouldProcessCalls).Action);
        Assert.Empty(host.Errors);
        Assert.Equal(Canary, Stored().ConfigurationProtectedSettings["relayserver.relayConnectionString"]);
        Assert.DoesNotContain("c4n4ry", Visible(whatIf));
        Assert.DoesNotContain("c4n4ry", Visible(host));
    }

    [Fact]
    public void A_bad_file_is_refused_before_anything_is_sent()
    {
        var host = Run(new NewAzMLK8sExtensionCommand
        {
            ClusterResourceId = ArmTestConnections.AksId,
            ConfigurationSettingFile = Write("nested.json", """{ "enableTraining": "true", "nodeSelector": { "pool": "gpu" } }"""),
        });

        Assert.Equal("Settings.FileValueNotScalar", Assert.Single(AllErrors(host)).ErrorId);
        Assert.Empty(State.Requests.Entries);
    }

    [Fact]
    public void Any_release_train_is_sent_as_given()
    {
        var cmdlet = New(AzMLK8sClusterType.Aks, "training");
        cmdlet.ReleaseTrain = "staging";

        Single<AzMLK8sExtension>(Run(cmdlet));

        Assert.Equal("staging", Stored().ReleaseTrain);
    }

    [Fact]
    public void ReleaseTrain_completes_Stable_and_Preview_and_enforces_neither()
    {
        var property = typeof(ExtensionSettingsCmdletBase).GetProperty(nameof(ExtensionSettingsCmdletBase.ReleaseTrain))!;
        Assert.Empty(property.GetCustomAttributes(typeof(System.Management.Automation.ValidateSetAttribute), inherit: true));
        var completer = Assert.Single(property.GetCustomAttributesData(), a => a.AttributeType.Name == "ArgumentCompleterAttribute");
        Assert.Equal(typeof(ReleaseTrainCompleter), completer.ConstructorArguments.Single().Value);
        Assert.Equal(new[] { "Stable", "Preview" }, ReleaseTrainCompleter.Complete(string.Empty).Select(c => c.Value));
        Assert.Equal(new[] { "Preview" }, ReleaseTrainCompleter.Complete("'pr").Select(c => c.Value));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
