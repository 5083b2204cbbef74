using AzMLK8s.Model;

namespace AzMLK8s.Engine.Operations.Extensions;

/// <summary>The stable ErrorIds of the extension use cases (the settings engine's are in SettingErrors).</summary>
public static class ExtensionErrors
{
    public const string InvalidExtensionName = "Extension.InvalidName";
    public const string ClusterNotFound = "Extension.ClusterNotFound";
    public const string NotFound = "Extension.NotFound";
    public const string NotAzureML = "Extension.NotAzureML";
    public const string AlreadyExists = "Extension.AlreadyExists";
    public const string ClusterRequired = "Extension.ClusterRequired";
    public const string ImmutableProperty = "Extension.ImmutableProperty";
    public const string OperationInProgress = "Extension.OperationInProgress";
    public const string ServiceBusKeysUnavailable = "Extension.ServiceBusKeysUnavailable";
    public const string RelayKeysUnavailable = "Extension.RelayKeysUnavailable";
    public const string LogAnalyticsKeysUnavailable = "Extension.LogAnalyticsKeysUnavailable";
    public const string HealthTimeout = "Extension.HealthTimeout";
    public const string InvalidTimeout = "Extension.InvalidTimeout";

    // Lower case letters, digits, '-' and '.', up to 253 characters, starting and ending alphanumeric (the service's rule).
    private static readonly System.Text.RegularExpressions.Regex NamePattern = new("^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>Refuses an extension name the service would refuse, before anything is sent.</summary>
    public static void CheckName(string? name)
    {
        if (name is null || !NamePattern.IsMatch(name))
        {
            throw new ModuleErrorException(new ModuleError(
                InvalidExtensionName,
                ErrorKind.InvalidArgument,
                $"-Name '{name}' is not a valid extension name: use lower case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters.")
            {
                RecommendedAction = "Leave out -Name to use 'azureml', or give a name such as 'azureml-prod'.",
                TargetObject = name,
            });
        }
    }

    internal static ModuleErrorException Create(string errorId, ErrorKind kind, string message, string action, object? target) =>
        new(new ModuleError(errorId, kind, message) { RecommendedAction = action, TargetObject = target });
}
