using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AzMLK8s.Engine.Operations.Extensions;

/// <summary>
/// The names the Azure CLI's AzureML extension logic (az k8s-extension, partner Microsoft.AzureML.Kubernetes) gives
/// the Azure resources it creates for a cluster, so either tool finds what the other made. Each name comes from
/// "{cluster}-{subscription}-{resource group}[-suffix]": letters and digits only (as Python's str.isalnum keeps
/// them, so non-ASCII letters stay); when that is longer than the resource type allows, its first
/// (maximum - 6) characters followed by the first 6 hex digits of the MD5 of the whole original text (UTF-8).
/// The CLI takes the subscription id from its profile (lower case) and the cluster and group names as typed.
/// </summary>
public static class AzureCliResourceNames
{
    /// <summary>Relay namespace and Service Bus namespace names: at most 50 characters.</summary>
    public const int NamespaceMaxLength = 50;

    /// <summary>Log Analytics workspace names: at most 63 characters.</summary>
    public const int WorkspaceMaxLength = 63;

    /// <summary>Length of the MD5 suffix of a shortened name.</summary>
    public const int SuffixLength = 6;

    /// <summary>The authorization rule on the hybrid connection (rights Manage, Send, Listen).</summary>
    public const string RelayAuthorizationRule = "azureml_rw";

    /// <summary>The tag the CLI puts on what it creates; the module puts the same.</summary>
    public const string CreatedByTagName = "created_by";

    public const string CreatedByTagValue = "Azure Arc-enabled ML";

    public const string ComputeStateTopic = "computestate-updatedby-computeprovider";
    public const string ComputeStateSubscription = "compute-scheduler-computestate";
    public const string JobStateTopic = "jobstate-updatedby-computeprovider";
    public const string JobStateSubscription = "compute-scheduler-jobstate";

    /// <summary>The Service Bus topics the extension's gateway reads, each with its subscription.</summary>
    public static IReadOnlyList<(string Topic, string Subscription)> ServiceBusTopics { get; } = new[]
    {
        (ComputeStateTopic, ComputeStateSubscription),
        (JobStateTopic, JobStateSubscription),
    };

    public static string RelayNamespace(string clusterName, string subscriptionId, string resourceGroup) =>
        ValidName($"{clusterName}-{Subscription(subscriptionId)}-{resourceGroup}-relay", SuffixLength, NamespaceMaxLength);

    /// <summary>The hybrid connection is named after the cluster.</summary>
    public static string HybridConnection(string clusterName) => clusterName;

    public static string ServiceBusNamespace(string clusterName, string subscriptionId, string resourceGroup) =>
        ValidName($"{clusterName}-{Subscription(subscriptionId)}-{resourceGroup}-service-bus", SuffixLength, NamespaceMaxLength);

    public static string LogAnalyticsWorkspace(string clusterName, string subscriptionId, string resourceGroup) =>
        ValidName($"{clusterName}-{Subscription(subscriptionId)}-{resourceGroup}", SuffixLength, WorkspaceMaxLength);

    /// <summary>
    /// The CLI's name rule: keep letters and digits (Unicode, by code point); if the result fits
    /// <paramref name="maxLength"/> code points it is the name, else its first maxLength - suffixLength code points
    /// and the first suffixLength hex digits of MD5(UTF-8 of <paramref name="input"/>).
    /// </summary>
    public static string ValidName(string input, int suffixLength, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(input);
        var kept = input.EnumerateRunes().Where(IsLetterOrDigit).ToArray();
        if (kept.Length == 0)
        {
            throw new ArgumentException($"'{input}' has no letter or digit to make a name of.", nameof(input));
        }

        if (kept.Length <= maxLength)
        {
            return Concat(kept);
        }

        suffixLength = Math.Min(suffixLength, maxLength);
        var hash = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(input))).ToLowerInvariant();
        return Concat(kept.Take(maxLength - suffixLength)) + hash[..suffixLength];
    }

    /// <summary>
    /// The name AzMLK8s 0.1 gave the same resource ("{cluster}-{subscription}-{group}[-relay]": letters, digits and
    /// '-' kept, cut to the maximum, trailing '-' dropped). Only looked for, so resources it made are found again;
    /// never created.
    /// </summary>
    internal static string LegacyModuleName(string raw, int maxLength)
    {
        var builder = new StringBuilder();
        foreach (var c in raw)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '-')
            {
                builder.Append(c);
            }
        }

        var name = builder.ToString();
        return (name.Length > maxLength ? name[..maxLength] : name).TrimEnd('-');
    }

    // The CLI's profile holds subscription ids as ARM lists them: lower case.
    private static string Subscription(string subscriptionId) => subscriptionId.Trim().ToLowerInvariant();

    // Python's str.isalnum: alphabetic (Lu, Ll, Lt, Lm, Lo) or numeric (Nd, Nl, No).
    private static bool IsLetterOrDigit(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
        _ => false,
    };

    private static string Concat(IEnumerable<Rune> runes)
    {
        var builder = new StringBuilder();
        foreach (var rune in runes)
        {
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }
}
