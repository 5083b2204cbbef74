using System.Collections;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Settings;
using AzMLK8s.Model;

namespace AzMLK8s.Engine.Operations.Extensions;

/// <summary>The scenario parameters of New- and Update-AzMLK8sExtension; null means "not given".</summary>
public sealed record ExtensionScenarioParameters
{
    public bool? EnableTraining { get; init; }

    public bool? EnableInference { get; init; }

    public string? InferenceRouterServiceType { get; init; }

    public bool? InternalLoadBalancer { get; init; }

    public string? SslCertificatePath { get; init; }

    public string? SslKeyPath { get; init; }

    public string? SslSecretName { get; init; }

    public string? SslCname { get; init; }

    public bool? AllowInsecureConnection { get; init; }

    public IDictionary? NodeSelector { get; init; }

    public bool? InstallNvidiaDevicePlugin { get; init; }

    public bool? InstallPrometheusOperator { get; init; }

    public bool? InstallVolcano { get; init; }

    public bool? InstallDcgmExporter { get; init; }

    public IDictionary? ConfigurationSetting { get; init; }

    public IDictionary? ConfigurationProtectedSetting { get; init; }

    /// <summary>A JSON file of public settings in the Azure CLI's format (--configuration-settings-file).</summary>
    public string? ConfigurationSettingFile { get; init; }

    /// <summary>A JSON file of protected settings in the Azure CLI's format (--config-protected-file); its values are secrets.</summary>
    public string? ConfigurationProtectedSettingFile { get; init; }
}

/// <summary>
/// Turns the cmdlets' typed parameters and raw hashtables (PSObject values already unwrapped by the cmdlet) into the one
/// pair of settings maps the catalog checks. A key given both ways must agree; the catalog then checks every key and
/// value the same way.
/// </summary>
public static class ExtensionParameters
{
    public const string ParameterConflict = "Extension.ParameterConflict";
    public const string InvalidNodeSelector = "Extension.InvalidNodeSelector";
    public const string InvalidResourceId = "Extension.InvalidResourceId";

    private const string ExtensionsSegment = "/providers/Microsoft.KubernetesConfiguration/extensions/";

    /// <param name="parameters">The cmdlet's parameters.</param>
    /// <param name="baseDirectory">Where relative file paths start (the PowerShell location); null: the process's directory.</param>
    public static (Hashtable Public, Hashtable Protected) ToSettings(ExtensionScenarioParameters parameters, string? baseDirectory = null)
    {
        var publicSettings = Copy(parameters.ConfigurationSetting);
        var protectedSettings = Copy(parameters.ConfigurationProtectedSetting);

        // The files as the Azure CLI reads them; a key also given by a parameter must have the same value.
        if (parameters.ConfigurationSettingFile is { } settingFile)
        {
            foreach (DictionaryEntry entry in SettingsFile.Read(settingFile, isProtected: false, baseDirectory, "ConfigurationSettingFile"))
            {
                Add(publicSettings, (string)entry.Key, entry.Value, "ConfigurationSettingFile", given: true);
            }
        }

        if (parameters.ConfigurationProtectedSettingFile is { } protectedFile)
        {
            foreach (DictionaryEntry entry in SettingsFile.Read(protectedFile, isProtected: true, baseDirectory, "ConfigurationProtectedSettingFile"))
            {
                Add(protectedSettings, (string)entry.Key, entry.Value, "ConfigurationProtectedSettingFile", given: true);
            }
        }

        Add(publicSettings, SettingsCatalog.EnableTraining, parameters.EnableTraining, "EnableTraining");
        Add(publicSettings, SettingsCatalog.EnableInference, parameters.EnableInference, "EnableInference");
        Add(publicSettings, SettingsCatalog.InferenceRouterServiceType, parameters.InferenceRouterServiceType, "InferenceRouterServiceType");
        if (parameters.InternalLoadBalancer is { } ilb)
        {
            // Off removes the provider key: the chart has no "none" value for it.
            Add(publicSettings, SettingsCatalog.InternalLoadBalancerProvider, ilb ? SettingsCatalog.AzureLoadBalancerProvider : null, "InternalLoadBalancer", given: true);
        }

        Add(protectedSettings, SettingsCatalog.SslCertPemFile, parameters.SslCertificatePath, "SslCertificatePath");
        Add(protectedSettings, SettingsCatalog.SslKeyPemFile, parameters.SslKeyPath, "SslKeyPath");
        Add(publicSettings, SettingsCatalog.SslSecret, parameters.SslSecretName, "SslSecretName");
        Add(publicSettings, SettingsCatalog.SslCname, parameters.SslCname, "SslCname");
        Add(publicSettings, SettingsCatalog.AllowInsecureConnections, parameters.AllowInsecureConnection, "AllowInsecureConnection");
        Add(publicSettings, SettingsCatalog.InstallNvidiaDevicePlugin, parameters.InstallNvidiaDevicePlugin, "InstallNvidiaDevicePlugin");
        Add(publicSettings, SettingsCatalog.InstallPromOp, parameters.InstallPrometheusOperator, "InstallPrometheusOperator");
        Add(publicSettings, SettingsCatalog.InstallVolcano, parameters.InstallVolcano, "InstallVolcano");
        Add(publicSettings, SettingsCatalog.InstallDcgmExporter, parameters.InstallDcgmExporter, "InstallDcgmExporter");
        foreach (DictionaryEntry entry in parameters.NodeSelector ?? new Hashtable())
        {
            var label = entry.Key as string;
            if (string.IsNullOrWhiteSpace(label) || label.StartsWith(SettingsCatalog.NodeSelectorPrefix, StringComparison.OrdinalIgnoreCase))
            {
                throw new ModuleErrorException(new ModuleError(
                    InvalidNodeSelector,
                    ErrorKind.InvalidArgument,
                    $"-NodeSelector key '{label}' is not a node label name: give the label alone, e.g. @{{ 'agentpool' = 'gpu' }}.")
                {
                    RecommendedAction = "Use the label's name as the key (kubectl get nodes --show-labels lists them); AzMLK8s adds the 'nodeSelector.' prefix.",
                    TargetObject = label,
                });
            }

            Add(publicSettings, SettingsCatalog.NodeSelectorPrefix + label, entry.Value, "NodeSelector", given: true);
        }

        return (publicSettings, protectedSettings);
    }

    /// <summary>Splits an extension resource id into its cluster and name.</summary>
    public static (ClusterReference Cluster, string Name) ParseExtensionId(string? resourceId)
    {
        var at = resourceId?.IndexOf(ExtensionsSegment, StringComparison.OrdinalIgnoreCase) ?? -1;
        var name = at >= 0 ? resourceId![(at + ExtensionsSegment.Length)..].TrimEnd('/') : null;
        if (at < 0 || string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal))
        {
            throw new ModuleErrorException(new ModuleError(
                InvalidResourceId,
                ErrorKind.InvalidArgument,
                $"-ResourceId '{resourceId}' is not a cluster extension id (<cluster id>{ExtensionsSegment}<name>).")
            {
                RecommendedAction = "Pipe the extension from Get-AzMLK8sExtension, or give -ClusterResourceId and -Name.",
                TargetObject = resourceId,
            });
        }

        return (ClusterReference.Parse(resourceId![..at], "ResourceId"), name);
    }

    private static Hashtable Copy(IDictionary? source)
    {
        var copy = new Hashtable(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in source ?? new Hashtable())
        {
            copy[entry.Key as string ?? entry.Key.ToString() ?? string.Empty] = entry.Value;
        }

        return copy;
    }

    private static void Add(Hashtable settings, string key, object? value, string parameterName, bool given = false)
    {
        if (value is null && !given)
        {
            return;
        }

        var existing = settings.Keys.OfType<string>().FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
        if (existing is not null)
        {
            if (!string.Equals(Format(settings[existing]), Format(value), StringComparison.OrdinalIgnoreCase))
            {
                throw new ModuleErrorException(new ModuleError(
                    ParameterConflict,
                    ErrorKind.InvalidArgument,
                    $"-{parameterName} and {(parameterName.EndsWith("File", StringComparison.Ordinal) ? "the settings hashtable" : "the settings hashtable or file")}'s '{existing}' give different values for the same setting.")
                {
                    RecommendedAction = $"Give '{key}' once: either -{parameterName} or the hashtable (or file) entry.",
                    TargetObject = key,
                });
            }

            settings.Remove(existing);
        }

        settings[key] = value;
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        bool b => SettingValues.FromBoolean(b),
        System.Security.SecureString => "(secure)",
        _ => value.ToString(),
    };
}
