using AzMLK8s.Engine.Operations.Extensions;

namespace AzMLK8s.Tests.Operations;

/// <summary>
/// The supporting resources' names against the Azure CLI's. The expected names were derived independently of the
/// module: by running the CLI's rule (_get_valid_name in azext_k8s_extension/partner_extensions/AzureMLKubernetes.py:
/// keep str.isalnum characters; if longer than max_len, the first max_len - 6 and md5(input.encode("utf8"))
/// .hexdigest()[:6]) in Python 3.11 on these inputs, with relay "{cluster}-{sub}-{rg}-relay" (max 50), Service Bus
/// "{cluster}-{sub}-{rg}-service-bus" (max 50) and Log Analytics "{cluster}-{sub}-{rg}" (max 63).
/// </summary>
public sealed class AzureCliResourceNamesTests
{
    public static TheoryData<string, string, string, string, string, string> CliTable() => new()
    {
        // Exactly 50 letters and digits: the relay keeps its full name; the Service Bus one is cut.
        { "arc-demo", "00000000-0000-0000-0000-000000000001", "rg-demo", "arcdemo00000000000000000000000000000001rgdemorelay", "arcdemo00000000000000000000000000000001rgdem7a0451", "arcdemo00000000000000000000000000000001rgdemo" },

        // One more character: 51, so the relay name is cut and gets the MD5 suffix.
        { "arc-demo1", "00000000-0000-0000-0000-000000000001", "rg-demo", "arcdemo100000000000000000000000000000001rgdeddad66", "arcdemo100000000000000000000000000000001rgdec36334", "arcdemo100000000000000000000000000000001rgdemo" },
        { "aks-demo", "00000000-0000-0000-0000-000000000001", "rg-demo", "aksdemo00000000000000000000000000000001rgdemorelay", "aksdemo00000000000000000000000000000001rgdem254372", "aksdemo00000000000000000000000000000001rgdemo" },

        // Short: nothing to cut.
        { "k", "0", "g", "k0grelay", "k0gservicebus", "k0g" },

        // '_', '.', '(', ')' go like '-'.
        { "arc", "1234", "rg_ml.prod(1)", "arc1234rgmlprod1relay", "arc1234rgmlprod1servicebus", "arc1234rgmlprod1" },

        // Long everywhere: all three cut, the workspace at 63.
        { "prod-arc-cluster-westeurope-001", "9b7c2f0e-5d4a-4c3b-8e2f-1a2b3c4d5e6f", "rg-ml-platform-prod-westeurope", "prodarcclusterwesteurope0019b7c2f0e5d4a4c3b81353e7", "prodarcclusterwesteurope0019b7c2f0e5d4a4c3b8c39531", "prodarcclusterwesteurope0019b7c2f0e5d4a4c3b8e2f1a2b3c4d5e895241" },

        // Case is kept (the CLI uses the names as typed).
        { "Arc_Cluster.One", "abcdef01-2345-6789-abcd-ef0123456789", "My.Resource_Group(1)", "ArcClusterOneabcdef0123456789abcdef0123456783731bd", "ArcClusterOneabcdef0123456789abcdef012345678fbb115", "ArcClusterOneabcdef0123456789abcdef0123456789MyResourceGroup1" },

        // Non-ASCII letters are letters to Python too; the MD5 is of the UTF-8 bytes.
        { "clusterÄö", "00000000-0000-0000-0000-000000000001", "rg-ümlaut", "clusterÄö00000000000000000000000000000001rgü288b2e", "clusterÄö00000000000000000000000000000001rgü22437f", "clusterÄö00000000000000000000000000000001rgümlaut" },
        { "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "00000000-0000-0000-0000-000000000001", "rg", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx000080bd5e", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx000077535a", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0000000000000000059cdc0" },
    };

    [Theory]
    [MemberData(nameof(CliTable))]
    public void Names_equal_the_Azure_CLIs_for_the_same_cluster_subscription_and_resource_group(
        string cluster, string subscription, string group, string relay, string serviceBus, string logAnalytics)
    {
        Assert.Equal(relay, AzureCliResourceNames.RelayNamespace(cluster, subscription, group));
        Assert.Equal(serviceBus, AzureCliResourceNames.ServiceBusNamespace(cluster, subscription, group));
        Assert.Equal(logAnalytics, AzureCliResourceNames.LogAnalyticsWorkspace(cluster, subscription, group));
        Assert.True(relay.EnumerateRunes().Count() <= 50 && serviceBus.EnumerateRunes().Count() <= 50 && logAnalytics.EnumerateRunes().Count() <= 63);
    }

    [Fact]
    public void The_subscription_is_taken_in_lower_case_as_the_CLIs_profile_holds_it()
    {
        Assert.Equal(
            AzureCliResourceNames.RelayNamespace("arc-demo1", "abcdef01-2345-6789-abcd-ef0123456789", "rg-demo"),
            AzureCliResourceNames.RelayNamespace("arc-demo1", "ABCDEF01-2345-6789-ABCD-EF0123456789", "rg-demo"));
    }

    [Fact]
    public void The_hybrid_connection_is_the_cluster_and_the_rule_and_topics_are_the_CLIs()
    {
        Assert.Equal("arc-demo", AzureCliResourceNames.HybridConnection("arc-demo"));
        Assert.Equal("azureml_rw", AzureCliResourceNames.RelayAuthorizationRule);
        Assert.Equal(
            new[] { ("computestate-updatedby-computeprovider", "compute-scheduler-computestate"), ("jobstate-updatedby-computeprovider", "compute-scheduler-jobstate") },
            AzureCliResourceNames.ServiceBusTopics);
    }

    [Fact]
    public void The_old_module_name_kept_hyphens_and_cut_and_is_not_the_CLIs()
    {
        var legacy = AzureCliResourceNames.LegacyModuleName("arc-demo-00000000-0000-0000-0000-000000000001-rg-demo-relay", 50);

        Assert.Equal("arc-demo-00000000-0000-0000-0000-000000000001-rg-d", legacy);
        Assert.NotEqual(AzureCliResourceNames.RelayNamespace("arc-demo", "00000000-0000-0000-0000-000000000001", "rg-demo"), legacy);
    }

    [Fact]
    public void A_name_with_no_letter_or_digit_is_refused()
    {
        Assert.Throws<ArgumentException>(() => AzureCliResourceNames.ValidName("-_-", 6, 50));
    }
}
