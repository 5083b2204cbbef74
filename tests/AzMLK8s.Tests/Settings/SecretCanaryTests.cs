using AzMLK8s.Engine.Settings;
using AzMLK8s.Model;
using static AzMLK8s.Tests.Settings.SettingsTestData;

namespace AzMLK8s.Tests.Settings;

/// <summary>Protected values must never show in a plan's text, warnings, WhatIf lines or errors.</summary>
public sealed class SecretCanaryTests : IDisposable
{
    private const string RelayCanary = "Endpoint=sb://canary/;SharedAccessKey=RelayCanary0123456789";
    private const string LogCanary = "LogAnalyticsCanary0123456789==";
    private const string VendorCanary = "VendorTokenCanary0123456789";

    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public void A_create_plan_shows_protected_keys_only()
    {
        var (certificate, key) = _certificates.Write("canary", notAfter: TestCertificates.Now.AddDays(5));
        var keyText = File.ReadAllText(key);
        var plan = new ExtensionSettingsPlanner().PlanCreate(
            new ExtensionCreateRequest
            {
                ConfigurationSettings = Table(("enableInference", true), ("sslCname", "other.contoso.com"), ("logAnalyticsWS", true)),
                ConfigurationProtectedSettings = Table(
                    ("sslCertPemFile", certificate), ("sslKeyPemFile", key), ("relayServerConnectionString", Secure(RelayCanary)), ("vendor.token", VendorCanary)),
                ResolvedProtectedSettings = new Dictionary<string, string> { ["azure_log_analytics.connection_string"] = LogCanary },
            },
            Arc(nodes: 1),
            new ExtensionSettingsOptions { AllowUnknownSetting = true });

        Assert.Equal(RelayCanary, plan.ConfigurationProtectedSettings!["relayserver.relayConnectionString"]);
        Assert.NotEmpty(plan.Warnings);
        AssertNoSecret(PlanTexts(plan), RelayCanary, LogCanary, VendorCanary, KeyBody(keyText), plan.ConfigurationProtectedSettings["scoringFe.sslKey"]);
        Assert.Contains("scoringFe.sslKey = ***", plan.ConfigurationProtectedSettings.ToString());
    }

    [Fact]
    public void An_update_plan_shows_protected_keys_only()
    {
        var current = Existing(ClusterKind.Arc, ("enableTraining", "true"), ("relayserver.enabled", "true"), ("logAnalyticsWS", "true"));
        var plan = Update(
            current, Table(("installDcgmExporter", true)), Table(("azure_log_analytics.connection_string", Secure(LogCanary))),
            resolvedProtected: new Dictionary<string, string> { ["relayServerConnectionString"] = RelayCanary });

        Assert.Equal(LogCanary, plan.ConfigurationProtectedSettings!["azure_log_analytics.connection_string"]);
        AssertNoSecret(PlanTexts(plan), RelayCanary, LogCanary);
        Assert.Contains("azure_log_analytics.connection_string: *** -> *** (new value) (restarts log shipping with the new workspace key)", plan.WhatIfLines);
    }

    [Fact]
    public void Errors_about_protected_settings_never_carry_their_values()
    {
        var errors = new List<ModuleErrorException>
        {
            Catch(() => Create(Table(("enableTraining", true), ("relayServerConnectionString", RelayCanary)))),
            Catch(() => Create(Table(("enableTraining", true), ("vendor.token", VendorCanary)), Table(("vendor.token", VendorCanary)), options: new ExtensionSettingsOptions { AllowUnknownSetting = true })),
            Catch(() => Create(Table(("enableTraining", true)), Table(("relayServerConnectionString", RelayCanary), ("relayserver.relayConnectionString", LogCanary)), Arc())),
            Catch(() => Create(Table(("enableTraining", true)), Table(("vendorToken", VendorCanary)))),
            Catch(() => Update(
                Existing(ClusterKind.Arc, ("enableTraining", "true"), ("relayserver.enabled", "true")),
                null, Table(("azure_log_analytics.connection_string", LogCanary)))),
        };

        foreach (var error in errors)
        {
            AssertNoSecret(new[] { error.Message, error.Error.RecommendedAction ?? string.Empty, error.ToString(), error.Error.ToString(), error.Error.TargetObject?.ToString() ?? string.Empty },
                RelayCanary, LogCanary, VendorCanary);
        }
    }

    [Fact]
    public void Errors_about_PEM_files_never_carry_the_key()
    {
        var (certificate, _) = _certificates.Write("mine");
        var (_, otherKey) = _certificates.Write("other");
        var error = Catch(() => Create(Table(("enableInference", true), ("sslCname", "ml.contoso.com")), Table(("sslCertPemFile", certificate), ("sslKeyPemFile", otherKey))));

        Assert.Equal(SettingErrors.PemKeyMismatch, error.Error.ErrorId);
        AssertNoSecret(new[] { error.ToString(), error.Error.RecommendedAction! }, KeyBody(File.ReadAllText(otherKey)));
    }

    private static ModuleErrorException Catch(Action action) => Assert.Throws<ModuleErrorException>(action);

    private static IEnumerable<string> PlanTexts(ExtensionSettingsPlan plan) =>
        new[] { plan.ToString(), plan.ConfigurationProtectedSettings?.ToString() ?? string.Empty }
            .Concat(plan.Warnings)
            .Concat(plan.WhatIfLines)
            .Concat(plan.Changes.Select(c => c.ToString()))
            .Concat(plan.Changes.Select(c => c.OldValue + "|" + c.NewValue))
            .Concat(plan.ResultingConfigurationSettings.Values)
            .Concat(plan.ConfigurationSettings.Values);

    // The base64 body of a PEM key, without its BEGIN/END lines.
    private static string KeyBody(string pem) => pem.Split('\n')[1];

    private static void AssertNoSecret(IEnumerable<string> texts, params string[] secrets)
    {
        foreach (var text in texts)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }
}
