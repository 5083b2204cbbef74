using System.Management.Automation;
using AzMLK8s.Emulator.State;
using AzMLK8s.PowerShellHost.Tests.Infrastructure;

namespace AzMLK8s.PowerShellHost.Tests.Extensions;

/// <summary>
/// -ConfigurationSettingFile, -ConfigurationProtectedSettingFile and free-text -ReleaseTrain as a user types them: what
/// the emulator stores from the files (the protected values only it can show), -WhatIf's masked diff, a bad file
/// refused before any request, and -ReleaseTrain's completion without a ValidateSet.
/// </summary>
public sealed class SettingsFileTests : ExtensionSessionTest
{
    private const string Canary = "Endpoint=sb://canary/;SharedAccessKey=pr0tected-file-c4n4ry";
    private const string ExtensionType = "AzMLK8s.Model.Extensions.AzMLK8sExtension";

    private readonly string _directory = Directory.CreateTempSubdirectory("azmlk8s-files-").FullName;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void New_takes_the_CLIs_settings_files_and_never_shows_a_protected_value()
    {
        var settings = Write("settings.json", """{ "enableTraining": "true", "installDcgmExporter": true, "nodeSelector.pool": "gpu" }""");
        var protectedFile = Write("protected.json", $$"""{ "relayServerConnectionString": "{{Canary}}" }""");

        var result = Session.Run(
            "New-AzMLK8sExtension -ClusterResourceId $arc -ConfigurationSettingFile $settings -ConfigurationProtectedSettingFile $protected",
            ("arc", ArcId),
            ("settings", settings),
            ("protected", protectedFile));

        var extension = SingleExtension(result);
        var stored = TheExtension();
        Assert.Equal("true", stored.ConfigurationSettings["enableTraining"]);
        Assert.Equal("true", stored.ConfigurationSettings["installDcgmExporter"]);
        Assert.Equal("gpu", stored.ConfigurationSettings["nodeSelector.pool"]);
        Assert.Equal(Canary, stored.ConfigurationProtectedSettings["relayserver.relayConnectionString"]);
        Assert.DoesNotContain(State.Requests.Entries, e => e.Path.Contains("Microsoft.Relay", StringComparison.Ordinal));
        Assert.Contains("relayserver.relayConnectionString", (IEnumerable<string>)Property(extension, "ProtectedSettingKeys")!);
        Assert.DoesNotContain("c4n4ry", Visible(result));
    }

    [Fact]
    public void Update_sends_a_protected_file_as_the_protected_settings_and_WhatIf_masks_it()
    {
        Session.Run("New-AzMLK8sExtension -ClusterResourceId $arc -EnableTraining", ("arc", ArcId)).ThrowIfFailed();
        var file = Write("protected.json", $$"""{ "relayServerConnectionString": "{{Canary}}" }""");
        var shown = Session.Host.Lines.Count;

        var whatIf = Session.Run("Update-AzMLK8sExtension -ClusterResourceId $arc -ConfigurationProtectedSettingFile $file -WhatIf", ("arc", ArcId), ("file", file));
        var whatIfText = string.Join("\n", Session.Host.Lines.Skip(shown));
        var result = Session.Run("Update-AzMLK8sExtension -ClusterResourceId $arc -ConfigurationProtectedSettingFile $file -Force", ("arc", ArcId), ("file", file));

        // One operation asked about under -WhatIf, its diff with the value masked.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(whatIfText, "What if: "));
        Assert.Contains("relayserver.relayConnectionString: *** -> *** (new value)", whatIfText);
        Assert.Empty(result.Errors);
        Assert.Equal(Canary, TheExtension().ConfigurationProtectedSettings["relayserver.relayConnectionString"]);
        Assert.DoesNotContain("c4n4ry", Visible(whatIf));
        Assert.DoesNotContain("c4n4ry", Visible(result));
    }

    [Fact]
    public void A_bad_file_is_refused_before_anything_is_sent()
    {
        var file = Write("nested.json", """{ "enableTraining": "true", "nodeSelector": { "pool": "gpu" } }""");

        var result = Session.Run("New-AzMLK8sExtension -ClusterResourceId $aks -ConfigurationSettingFile $file", ("aks", AksId), ("file", file));

        var errors = result.Errors.Concat(result.TerminatingError is { } terminating && !result.Errors.Contains(terminating) ? new[] { terminating } : Array.Empty<ErrorRecord>());
        Assert.Equal("Settings.FileValueNotScalar,AzMLK8s.Cmdlets.Extensions.NewAzMLK8sExtensionCommand", Assert.Single(errors).FullyQualifiedErrorId);
        // Signing in sends nothing, so the emulator has answered no request at all.
        Assert.Empty(State.Requests.Entries);
    }

    [Theory]
    [InlineData("New-AzMLK8sExtension")]
    [InlineData("Update-AzMLK8sExtension")]
    public void ReleaseTrain_completes_Stable_and_Preview_and_enforces_neither(string command)
    {
        var attributes = Session.Run("(Get-Command $command).Parameters['ReleaseTrain'].Attributes", ("command", command)).ThrowIfFailed().BaseObjects;
        var completions = new Func<string, IEnumerable<string>>(typed =>
        {
            var line = $"{command} -ReleaseTrain {typed}";
            return Session.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText", ("line", line))
                .ThrowIfFailed().Output.Select(o => (string)o.BaseObject);
        });

        Assert.Empty(attributes.OfType<ValidateSetAttribute>());
        Assert.Equal("AzMLK8s.Cmdlets.Extensions.ReleaseTrainCompleter", Assert.Single(attributes.OfType<ArgumentCompleterAttribute>()).Type?.FullName);
        Assert.Equal(new[] { "Stable", "Preview" }, completions(string.Empty));
        Assert.Equal(new[] { "Preview" }, completions("'pr"));
    }

    /// <summary>No error, and exactly one output object: the module's extension.</summary>
    private static PSObject SingleExtension(ScriptResult result)
    {
        result.ThrowIfFailed();
        var extension = Assert.Single(result.Output);
        Assert.Equal(ExtensionType, extension.TypeNames[0]);
        return extension;
    }

    /// <summary>The one azureml extension the emulator holds, on any cluster.</summary>
    private EmulatedExtension TheExtension()
    {
        lock (State.Gate)
        {
            return State.Extensions.Values.Single(e => e.Name == "azureml");
        }
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
