using AzMLK8s.Model;

namespace AzMLK8s.Engine.Settings;

/// <summary>
/// The stable ErrorIds of the settings engine and the errors they go with. Messages name keys and public values
/// only; a protected value never appears in them.
/// </summary>
public static class SettingErrors
{
    public const string UnknownKey = "Settings.UnknownKey";
    public const string InvalidBoolean = "Settings.InvalidBoolean";
    public const string InvalidEnumValue = "Settings.InvalidEnumValue";
    public const string InvalidInteger = "Settings.InvalidInteger";
    public const string InvalidValue = "Settings.InvalidValue";
    public const string InvalidValueType = "Settings.InvalidValueType";
    public const string MissingValue = "Settings.MissingValue";
    public const string DuplicateKey = "Settings.DuplicateKey";
    public const string SecretInPublicSettings = "Settings.SecretInPublicSettings";
    public const string LegacyKeyConflict = "Settings.LegacyKeyConflict";
    public const string NoScenarioEnabled = "Settings.NoScenarioEnabled";
    public const string TlsRequired = "Settings.TlsRequired";
    public const string TlsPairIncomplete = "Settings.TlsPairIncomplete";
    public const string TlsSourceConflict = "Settings.TlsSourceConflict";
    public const string TlsWithInsecureConnections = "Settings.TlsWithInsecureConnections";
    public const string SslCnameRequired = "Settings.SslCnameRequired";
    public const string ServiceTypeConflict = "Settings.ServiceTypeConflict";
    public const string VersionWithAutoUpgrade = "Settings.VersionWithAutoUpgrade";
    public const string InvalidReleaseTrain = "Settings.InvalidReleaseTrain";
    public const string ReleaseNamespaceFixed = "Settings.ReleaseNamespaceFixed";
    public const string PemFileNotFound = "Settings.PemFileNotFound";
    public const string PemFileUnreadable = "Settings.PemFileUnreadable";
    public const string PemNotAscii = "Settings.PemNotAscii";
    public const string PemCertificateInvalid = "Settings.PemCertificateInvalid";
    public const string PemKeyInvalid = "Settings.PemKeyInvalid";
    public const string PemKeyEncrypted = "Settings.PemKeyEncrypted";
    public const string PemKeyMismatch = "Settings.PemKeyMismatch";
    public const string CertificateExpired = "Settings.CertificateExpired";
    public const string ImmutableSetting = "Settings.ImmutableSetting";
    public const string NodeSelectorRemoval = "Settings.NodeSelectorRemoval";
    public const string ProtectedSettingsIncomplete = "Settings.ProtectedSettingsIncomplete";

    internal static ModuleErrorException Invalid(string errorId, string message, string recommendedAction, object? target) =>
        new(new ModuleError(errorId, ErrorKind.InvalidArgument, message) { RecommendedAction = recommendedAction, TargetObject = target });

    internal static ModuleErrorException BadData(string errorId, string message, string recommendedAction, object? target) =>
        new(new ModuleError(errorId, ErrorKind.InvalidData, message) { RecommendedAction = recommendedAction, TargetObject = target });

    internal static ModuleErrorException NotFound(string errorId, string message, string recommendedAction, object? target) =>
        new(new ModuleError(errorId, ErrorKind.ObjectNotFound, message) { RecommendedAction = recommendedAction, TargetObject = target });
}
