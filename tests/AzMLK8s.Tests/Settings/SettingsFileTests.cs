using AzMLK8s.Engine.Operations.Extensions;
using AzMLK8s.Engine.Settings;
using AzMLK8s.Model;
using static AzMLK8s.Tests.Settings.SettingsTestData;

namespace AzMLK8s.Tests.Settings;

/// <summary>
/// Settings files in the Azure CLI's format (--configuration-settings-file, --config-protected-file) and release
/// trains: what is read, what is refused, and that a protected file's values appear in no message.
/// </summary>
public sealed class SettingsFileTests : IDisposable
{
    private const string Canary = "file-canary-S3cr3t-V4lue";
    private readonly string _directory = Directory.CreateTempSubdirectory("azmlk8s-settings-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_CLI_settings_file_gives_strings_booleans_and_numbers_as_written()
    {
        var path = Write("settings.json", """{ "enableTraining": "True", "enableInference": false, "nodeSelector.pool": "gpu", "amloperator.skipResourceValidation": true, "n": 3 }""");

        var table = SettingsFile.Read(path, isProtected: false, null, "ConfigurationSettingFile");

        Assert.Equal("True", table["enableTraining"]);
        Assert.Equal(false, table["enableInference"]);
        Assert.Equal("gpu", table["nodeSelector.pool"]);
        Assert.Equal("3", table["n"]);
    }

    [Fact]
    public void Relative_paths_start_at_the_PowerShell_location()
    {
        Write("rel.json", """{ "enableTraining": "true" }""");

        Assert.Equal("true", SettingsFile.Read("rel.json", isProtected: false, _directory, "ConfigurationSettingFile")["enableTraining"]);
    }

    [Theory]
    [InlineData("missing", SettingsFile.FileNotFound)]
    [InlineData("[1, 2]", SettingsFile.FileNotAnObject)]
    [InlineData("{}", SettingsFile.FileEmpty)]
    [InlineData("""{ "nodeSelector": { "pool": "gpu" } }""", SettingsFile.FileValueNotScalar)]
    [InlineData("""{ "a": "1", "a": "2" }""", SettingsFile.FileDuplicateKey)]
    [InlineData("""{ "a": "1", }""", SettingsFile.FileInvalidJson)]
    public void Bad_files_are_refused_with_their_own_error(string content, string errorId)
    {
        var path = content == "missing" ? Path.Combine(_directory, "nope.json") : Write("bad.json", content);

        var error = Fails(errorId, () => SettingsFile.Read(path, isProtected: false, null, "ConfigurationSettingFile"));

        Assert.Contains("-ConfigurationSettingFile", error.Message);
    }

    [Theory]
    [InlineData("""{ "relayServerConnectionString": file-canary-S3cr3t-V4lue }""")]
    [InlineData("""{ "relayServerConnectionString": "file-canary-S3cr3t-V4lue" """)]
    [InlineData("""{ "relayServerConnectionString": ["file-canary-S3cr3t-V4lue"] }""")]
    [InlineData("""{ "k": "file-canary-S3cr3t-V4lue", "k": "file-canary-S3cr3t-V4lue" }""")]
    public void A_protected_files_errors_never_show_its_text(string content)
    {
        var path = Write("protected.json", content);

        var error = Assert.Throws<ModuleErrorException>(() => SettingsFile.Read(path, isProtected: true, null, "ConfigurationProtectedSettingFile")).Error;

        Assert.DoesNotContain("canary", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("canary", error.RecommendedAction ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("canary", error.TargetObject?.ToString() ?? string.Empty, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_files_merge_with_the_parameters_and_a_key_given_twice_must_agree()
    {
        var settings = Write("s.json", """{ "enableTraining": "true", "installDcgmExporter": true }""");
        var secrets = Write("p.json", $$"""{ "relayServerConnectionString": "{{Canary}}" }""");

        var (publicSettings, protectedSettings) = ExtensionParameters.ToSettings(new ExtensionScenarioParameters
        {
            EnableTraining = true,
            ConfigurationSetting = Table(("clusterPurpose", "DevTest")),
            ConfigurationSettingFile = settings,
            ConfigurationProtectedSettingFile = secrets,
        });
        var conflict = Assert.Throws<ModuleErrorException>(() => ExtensionParameters.ToSettings(new ExtensionScenarioParameters
        {
            ConfigurationProtectedSetting = Table(("relayServerConnectionString", Secure("another-value-entirely"))),
            ConfigurationProtectedSettingFile = secrets,
        })).Error;

        Assert.Equal(true, publicSettings["enableTraining"]);
        Assert.Equal(true, publicSettings["installDcgmExporter"]);
        Assert.Equal("DevTest", publicSettings["clusterPurpose"]);
        Assert.Equal(Canary, protectedSettings["relayServerConnectionString"]);
        Assert.Equal(ExtensionParameters.ParameterConflict, conflict.ErrorId);
        Assert.DoesNotContain(Canary, conflict.Message);
        Fails(ExtensionParameters.ParameterConflict, () => ExtensionParameters.ToSettings(new ExtensionScenarioParameters { EnableTraining = false, ConfigurationSettingFile = settings }));
    }

    [Fact]
    public void A_null_in_the_public_file_removes_the_key_on_update_and_is_refused_on_create()
    {
        var path = Write("null.json", """{ "installDcgmExporter": null }""");
        var (publicSettings, _) = ExtensionParameters.ToSettings(new ExtensionScenarioParameters { ConfigurationSettingFile = path });

        var plan = Update(Existing(ClusterKind.Aks, ("enableTraining", "true"), ("installDcgmExporter", "true")), publicSettings);

        Assert.Contains("installDcgmExporter", plan.RemovedConfigurationSettings);
        Assert.ThrowsAny<ModuleErrorException>(() => Create(Combine(publicSettings, ("enableTraining", true))));
    }

    [Theory]
    [InlineData("staging", "staging")]
    [InlineData(" Preview ", "Preview")]
    [InlineData("stable", "Stable")]
    [InlineData("dogfood.v2-canary", "dogfood.v2-canary")]
    public void Any_release_train_name_is_taken_and_Stable_and_Preview_get_their_usual_case(string given, string sent)
    {
        var plan = new ExtensionSettingsPlanner().PlanCreate(new ExtensionCreateRequest { ConfigurationSettings = Table(("enableTraining", true)), ReleaseTrain = given }, Aks());

        Assert.Equal(sent, plan.ReleaseTrain);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("two words")]
    [InlineData("train;drop")]
    public void A_release_train_that_is_no_name_is_refused_before_anything_is_sent(string given)
    {
        Fails(SettingErrors.InvalidReleaseTrain, () => new ExtensionSettingsPlanner().PlanCreate(new ExtensionCreateRequest { ConfigurationSettings = Table(("enableTraining", true)), ReleaseTrain = given }, Aks()));
        Fails(SettingErrors.InvalidReleaseTrain, () => ExtensionLifecycle.CheckUpdateInput(new ExtensionUpdateRequest { ReleaseTrain = given }, ExtensionSettingsOptions.Default));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static System.Collections.Hashtable Combine(System.Collections.Hashtable table, params (string Key, object? Value)[] more)
    {
        var copy = new System.Collections.Hashtable(table, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in more)
        {
            copy[key] = value;
        }

        return copy;
    }
}
