using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Security;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Engine.Settings;
using AzMLK8s.Model;
using AzMLK8s.Model.Clusters;

namespace AzMLK8s.Cmdlets.Extensions;

/// <summary>
/// What the extension cmdlets share: the cluster parameters (resource id, from the pipeline, or name + resource group
/// + type), the connection, hashtable unwrapping and secret registration.
/// </summary>
public abstract class ExtensionCmdletBase : AzMLK8sCmdlet
{
    protected const string ByClusterId = "ByClusterId";
    protected const string ByClusterName = "ByClusterName";
    protected const string ByResourceId = "ByResourceId";
    protected const string DefaultExtensionName = "azureml";

    [Parameter(Mandatory = true, ParameterSetName = ByClusterId, ValueFromPipelineByPropertyName = true)]
    [Alias("ClusterId")]
    [ValidateNotNullOrEmpty]
    public string? ClusterResourceId { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ByClusterName)]
    [ValidateNotNullOrEmpty]
    public string? ClusterName { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ByClusterName)]
    [ValidateNotNullOrEmpty]
    public string? ResourceGroupName { get; set; }

    /// <summary>Aks or Arc (tab completion lists both).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByClusterName)]
    public AzMLK8sClusterType ClusterType { get; set; }

    /// <summary>Test hook: shorter retries and polls against the emulator.</summary>
    internal ArmConnectionOptions? ConnectionOptions { get; set; }

    protected ArmConnection Connect() => ArmConnection.FromContext(null, Seam, ConnectionOptions);

    /// <summary>The cluster named by this call's parameters; the subscription of a name comes from the context.</summary>
    protected ClusterReference ResolveCluster(ArmConnection connection)
    {
        if (ClusterResourceId is not null)
        {
            return ClusterReference.Parse(ClusterResourceId);
        }

        if (string.IsNullOrWhiteSpace(ClusterName) || string.IsNullOrWhiteSpace(ResourceGroupName))
        {
            throw new ModuleErrorException(new ModuleError("Extension.ClusterRequired", ErrorKind.InvalidArgument, "No cluster was given.")
            {
                RecommendedAction = "Give -ClusterResourceId, or -ClusterName with -ResourceGroupName and -ClusterType (Aks or Arc).",
            });
        }

        // Built as an id and parsed back, so names with characters a resource id cannot hold fail the same way.
        return ClusterReference.Parse(new ClusterReference(connection.SubscriptionId, ResourceGroupName, ClusterName, ClusterType).ResourceId, "ClusterName");
    }

    /// <summary>A PowerShell hashtable with PSObject-wrapped keys and values unwrapped; null stays null.</summary>
    protected static Hashtable? Unwrapped(IDictionary? table)
    {
        if (table is null)
        {
            return null;
        }

        var copy = new Hashtable(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            copy[Unwrap(entry.Key) ?? string.Empty] = Unwrap(entry.Value);
        }

        return copy;
    }

    /// <summary>Registers every protected value (and the PEM key file's content) so no stream can show it.</summary>
    protected void RegisterSecrets(IDictionary? protectedSettings, string? keyPath)
    {
        foreach (DictionaryEntry entry in protectedSettings ?? new Hashtable())
        {
            switch (entry.Value)
            {
                case SecureString secure:
                    Secrets.Add(new NetworkCredential(string.Empty, secure).Password);
                    break;
                case string text when !IsPemPathKey(entry.Key as string):
                    Secrets.Add(text);
                    break;
            }
        }

        if (keyPath is not null && File.Exists(ResolvePath(keyPath)))
        {
            try
            {
                foreach (var line in File.ReadAllLines(ResolvePath(keyPath)).Where(l => l.Length >= 16 && !l.StartsWith("-----", StringComparison.Ordinal)))
                {
                    Secrets.Add(line.Trim());
                }
            }
            catch (IOException)
            {
                // The settings engine reports an unreadable file with its own error.
            }
        }
    }

    /// <summary>Registers the values of a plan's protected map (base64 PEM content, re-read connection strings).</summary>
    protected void RegisterSecrets(ExtensionSettingsPlan plan)
    {
        foreach (var (_, value) in plan.ConfigurationProtectedSettings ?? ProtectedSettingsMap.Empty)
        {
            Secrets.Add(value);
        }
    }

    /// <summary>
    /// Relative PEM paths are resolved against the process's current directory: the host seam has no member for the
    /// PowerShell location yet.
    /// </summary>
    protected static string? BaseDirectory => Environment.CurrentDirectory;

    protected void WriteWarnings(ExtensionSettingsPlan plan)
    {
        foreach (var warning in plan.Warnings)
        {
            Seam.WriteWarning(warning);
        }
    }

    private static string ResolvePath(string path) => Path.GetFullPath(path, Environment.CurrentDirectory);

    private static bool IsPemPathKey(string? key) =>
        string.Equals(key, SettingsCatalog.SslCertPemFile, StringComparison.OrdinalIgnoreCase) || string.Equals(key, SettingsCatalog.SslKeyPemFile, StringComparison.OrdinalIgnoreCase);

    private static object? Unwrap(object? value) => value is PSObject p ? p.BaseObject : value;
}
