using System.Collections;
using AzMLK8s.Engine.Settings;
using static AzMLK8s.Tests.Settings.SettingsTestData;

namespace AzMLK8s.Tests.Settings;

/// <summary>A table of bad create inputs: each gives one specific ErrorId (the cmdlet tests add that nothing is sent).</summary>
public sealed class BadInputTableTests
{
    public static TheoryData<string, string, Hashtable, Hashtable?> Cases()
    {
        var data = new TheoryData<string, string, Hashtable, Hashtable?>();
        void Add(string name, string errorId, Hashtable settings, Hashtable? protectedSettings = null) => data.Add(name, errorId, settings, protectedSettings);

        var https = Table(("enableInference", true), ("sslSecret", "ml-tls"), ("sslCname", "ml.contoso.com"));
        Add("typo in key", SettingErrors.UnknownKey, Table(("enableTrainng", true)));
        Add("seed key with a space", SettingErrors.UnknownKey, Table(("enableTraining ", true), ("node Selector.pool", "a")));
        Add("chart value path", SettingErrors.UnknownKey, Table(("enableTraining", true), ("scoringFe.replicas", 3)));
        Add("CLI flag as key", SettingErrors.UnknownKey, Table(("enableTraining", true), ("auto-upgrade-minor-version", false)));
        Add("empty key", SettingErrors.UnknownKey, Table(("enableTraining", true), ("", "x")));
        Add("protected typo", SettingErrors.UnknownKey, Table(("enableInference", true), ("sslCname", "a.b")), Table(("sslCertPem", "c.pem"), ("sslKeyPemFile", "k.pem")));
        Add("doc typo slKeyPemFile", SettingErrors.UnknownKey, Table(("enableInference", true), ("sslCname", "a.b")), Table(("sslCertPemFile", "c.pem"), ("slKeyPemFile", "k.pem")));
        Add("Ture", SettingErrors.InvalidBoolean, Table(("enableInference", true), ("allowInsecureConnections", "Ture")));
        Add("Treu", SettingErrors.InvalidBoolean, Table(("enableTraining", "Treu")));
        Add("yes", SettingErrors.InvalidBoolean, Table(("enableTraining", "yes")));
        Add("1 as text", SettingErrors.InvalidBoolean, Table(("enableTraining", "1")));
        Add("empty boolean", SettingErrors.InvalidBoolean, Table(("enableTraining", "")));
        Add("legacy boolean typo", SettingErrors.InvalidBoolean, Table(("enableTraining", true), ("reuseExistingPromOp", "ture")));
        Add("number for boolean", SettingErrors.InvalidValueType, Table(("enableTraining", 1)));
        Add("array for boolean", SettingErrors.InvalidValueType, Table(("enableTraining", new[] { true })));
        Add("boolean for enum", SettingErrors.InvalidValueType, Table(("enableInference", true), ("allowInsecureConnections", true), ("inferenceRouterServiceType", true)));
        Add("unknown service type", SettingErrors.InvalidEnumValue, Table(("enableInference", true), ("allowInsecureConnections", true), ("inferenceRouterServiceType", "Ingress")));
        Add("ILB provider other than azure", SettingErrors.InvalidEnumValue, Table(("enableInference", true), ("allowInsecureConnections", true), ("internalLoadBalancerProvider", "aws")));
        Add("cluster purpose typo", SettingErrors.InvalidEnumValue, Table(("enableTraining", true), ("clusterPurpose", "Dev")));
        Add("no scenario", SettingErrors.NoScenarioEnabled, Table(("installPromOp", false)));
        Add("both scenarios false", SettingErrors.NoScenarioEnabled, Table(("enableTraining", false), ("enableInference", "False")));
        Add("scenario only in protected and false", SettingErrors.NoScenarioEnabled, Table(("installVolcano", true)), Table(("enableTraining", false)));
        Add("inference without TLS", SettingErrors.TlsRequired, Table(("enableInference", true)));
        Add("inference insecure false", SettingErrors.TlsRequired, Table(("enableInference", true), ("allowInsecureConnections", false)));
        Add("NodePort without TLS", SettingErrors.TlsRequired, Table(("enableInference", true), ("privateEndpointNodeport", true)));
        Add("only sslCname", SettingErrors.TlsRequired, Table(("enableInference", true), ("sslCname", "ml.contoso.com")));
        Add("secret without cname", SettingErrors.SslCnameRequired, Table(("enableInference", true), ("sslSecret", "ml-tls")));
        Add("only the cert file", SettingErrors.TlsPairIncomplete, Table(("enableInference", true), ("sslCname", "a.b")), Table(("sslCertPemFile", "c.pem")));
        Add("only the key file", SettingErrors.TlsPairIncomplete, Table(("enableInference", true), ("sslCname", "a.b")), Table(("sslKeyPemFile", "k.pem")));
        Add("files and secret", SettingErrors.TlsSourceConflict, https, Table(("sslCertPemFile", "c.pem"), ("sslKeyPemFile", "k.pem")));
        Add("secret and raw scoringFe cert", SettingErrors.TlsSourceConflict, https, Table(("scoringFe.sslCert", "Y2VydA=="), ("scoringFe.sslKey", "a2V5")));
        Add("secret and insecure", SettingErrors.TlsWithInsecureConnections, Table(("enableInference", true), ("sslSecret", "s"), ("sslCname", "a.b"), ("allowInsecureConnections", true)));
        Add("NodePort with ILB", SettingErrors.ServiceTypeConflict, Table(("enableInference", true), ("allowInsecureConnections", true), ("inferenceRouterServiceType", "NodePort"), ("internalLoadBalancerProvider", "azure")));
        Add("ClusterIP with ILB", SettingErrors.ServiceTypeConflict, Table(("enableInference", true), ("allowInsecureConnections", true), ("inferenceRouterServiceType", "ClusterIP"), ("internalLoadBalancerProvider", "azure")));
        Add("legacy NodePort with ILB", SettingErrors.ServiceTypeConflict, Table(("enableInference", true), ("allowInsecureConnections", true), ("privateEndpointNodeport", true), ("internalLoadBalancerProvider", "azure")));
        Add("both legacy endpoints", SettingErrors.LegacyKeyConflict, Table(("enableInference", true), ("allowInsecureConnections", true), ("privateEndpointNodeport", true), ("privateEndpointILB", true)));
        Add("legacy HA against new", SettingErrors.LegacyKeyConflict, Table(("enableInference", true), ("allowInsecureConnections", true), ("inferenceLoadBalancerHA", false), ("inferenceRouterHA", true)));
        Add("legacy prom op against new", SettingErrors.LegacyKeyConflict, Table(("enableTraining", true), ("reuseExistingPromOp", false), ("installPromOp", false)));
        Add("legacy volcano against new", SettingErrors.LegacyKeyConflict, Table(("enableTraining", true), ("volcanoScheduler.enable", false), ("installVolcano", true)));
        Add("alias against key", SettingErrors.LegacyKeyConflict, Table(("enableInference", true), ("sslCname", "a.b"), ("sslSecretName", "one"), ("sslSecret", "two")));
        Add("relay string under two names", SettingErrors.LegacyKeyConflict, Table(("enableTraining", true)), Table(("relayServerConnectionString", "a-secret-1"), ("relayserver.relayConnectionString", "a-secret-2")));
        Add("key in both maps", SettingErrors.DuplicateKey, Table(("enableTraining", true), ("sslCname", "a.b")), Table(("sslCname", "a.b")));
        Add("scenario in both maps", SettingErrors.DuplicateKey, Table(("enableTraining", true)), Table(("enableTraining", true)));
        Add("cert path in public", SettingErrors.SecretInPublicSettings, Table(("enableInference", true), ("sslCertPemFile", "c.pem")));
        Add("relay string in public", SettingErrors.SecretInPublicSettings, Table(("enableTraining", true), ("relayServerConnectionString", "Endpoint=sb://x")));
        Add("LA key in public", SettingErrors.SecretInPublicSettings, Table(("enableTraining", true), ("azure_log_analytics.connection_string", "k")));
        Add("null public value", SettingErrors.MissingValue, Table(("enableTraining", true), ("installPromOp", null)));
        Add("null protected value", SettingErrors.MissingValue, Table(("enableTraining", true)), Table(("relayServerConnectionString", null)));
        Add("null legacy value", SettingErrors.MissingValue, Table(("enableTraining", true), ("privateEndpointILB", null)));
        Add("blank cname", SettingErrors.MissingValue, Table(("enableInference", true), ("sslSecret", "s"), ("sslCname", "  ")));
        Add("bad node selector label", SettingErrors.InvalidValue, Table(("enableTraining", true), ("nodeSelector.a b", "x")));
        Add("bad node selector value", SettingErrors.InvalidValue, Table(("enableTraining", true), ("nodeSelector.pool", "a/b")));
        Add("too long node selector value", SettingErrors.InvalidValue, Table(("enableTraining", true), ("nodeSelector.pool", new string('a', 64))));
        Add("upper-case secret name", SettingErrors.InvalidValue, Table(("enableInference", true), ("sslSecret", "ML-TLS"), ("sslCname", "a.b")));
        Add("memory limit in words", SettingErrors.InvalidValue, Table(("enableTraining", true), ("nginxIngress.resources.controller.limits.memory", "lots")));
        Add("missing PEM files", SettingErrors.PemFileNotFound, Table(("enableInference", true), ("sslCname", "a.b")), Table(("sslCertPemFile", "/no/such/cert.pem"), ("sslKeyPemFile", "/no/such/key.pem")));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_bad_input_gives_its_specific_error(string name, string errorId, Hashtable settings, Hashtable? protectedSettings)
    {
        var error = Fails(errorId, () => Create(settings, protectedSettings));
        Assert.False(string.IsNullOrWhiteSpace(error.Message), name);
    }
}
