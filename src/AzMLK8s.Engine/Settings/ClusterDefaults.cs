namespace AzMLK8s.Engine.Settings;

/// <summary>
/// The settings a create derives from the cluster's ARM resource: the internal keys the extension's agents need to
/// find their cluster in Azure, the connectivity defaults by cluster kind, and the small-cluster and OpenShift
/// adjustments. A value the caller gave always wins (the Azure CLI overwrites 'domain' by a typo; this does not).
/// </summary>
internal static class ClusterDefaults
{
    /// <summary>Below this many nodes the inference router cannot run its three HA replicas on separate nodes.</summary>
    public const int MinimumNodesForHighAvailability = 3;

    public static void Apply(Dictionary<string, string> settings, ClusterFacts cluster, ICollection<string> warnings)
    {
        var location = cluster.NormalizedLocation;
        SetIfAbsent(settings, SettingsCatalog.ClusterName, cluster.ResourceId);

        // clusterId and the Prometheus label copy cluster_name (the value actually sent), as the CLI's _dereference does.
        var clusterName = settings[SettingsCatalog.ClusterName];
        SetIfAbsent(settings, SettingsCatalog.ClusterId, clusterName);
        SetIfAbsent(settings, SettingsCatalog.PrometheusClusterLabel, clusterName);
        SetIfAbsent(settings, SettingsCatalog.ClusterNameFriendly, cluster.Name);
        SetIfAbsent(settings, SettingsCatalog.Location, location);
        SetIfAbsent(settings, SettingsCatalog.JobSchedulerLocation, location);

        // domain: the CLI means "caller's value, else <location>.cloudapp.azure.com" but, reading the misspelt key
        // 'doamin', always sends the default; Microsoft's ARM template sends the bare location instead. The
        // '<location>.<zone>' form is what nearly every installed extension has (the CLI is the common path), so it
        // is the default here too, with two corrections: a caller's 'domain' is kept (the CLI's intent), and the
        // zone follows the cluster's cloud instead of always being the public cloud's cloudapp.azure.com.
        SetIfAbsent(settings, SettingsCatalog.Domain, $"{location}.{cluster.CloudAppDnsZone}");

        // Arc clusters are reached from Azure through Azure Relay (the cluster has no public ingress for Azure ML);
        // AKS clusters receive Azure ML traffic through the extension's own NGINX ingress instead. Service Bus is
        // off by default for both since CLI 1.2.2.
        var isArc = cluster.Kind == ClusterKind.Arc;
        SetIfAbsent(settings, SettingsCatalog.RelayServerEnabled, SettingValues.FromBoolean(isArc));
        SetIfAbsent(settings, SettingsCatalog.NginxIngressEnabled, SettingValues.FromBoolean(!isArc));
        SetIfAbsent(settings, SettingsCatalog.ServiceBusEnabled, SettingValues.False);

        ApplySmallClusterDefaults(settings, cluster, warnings);
        ApplyOpenShift(settings, cluster, warnings);
    }

    private static void ApplySmallClusterDefaults(Dictionary<string, string> settings, ClusterFacts cluster, ICollection<string> warnings)
    {
        if (cluster.NodeCount is not { } nodes || nodes >= MinimumNodesForHighAvailability)
        {
            return;
        }

        var applied = new List<string>();
        if (SetIfAbsent(settings, SettingsCatalog.InferenceRouterHA, SettingValues.False))
        {
            applied.Add("inferenceRouterHA=false (one inference router replica instead of three)");
        }

        if (SetIfAbsent(settings, SettingsCatalog.ClusterPurpose, SettingsCatalog.ClusterPurposes.DevTest))
        {
            applied.Add("clusterPurpose=DevTest");
        }

        var enableInference = SettingValues.IsTrue(settings.GetValueOrDefault(SettingsCatalog.EnableInference));
        if (applied.Count > 0)
        {
            warnings.Add(
                $"The cluster has {nodes} node(s), fewer than the {MinimumNodesForHighAvailability} a highly available inference router needs " +
                $"(its replicas must run on different nodes), so {string.Join(" and ", applied)} was set. " +
                "Give these settings explicitly to choose otherwise.");
        }
        else if (enableInference && SettingValues.IsTrue(settings[SettingsCatalog.InferenceRouterHA]))
        {
            warnings.Add(
                $"inferenceRouterHA=true needs at least {MinimumNodesForHighAvailability} nodes, but the cluster has {nodes}: the third inference " +
                "router replica cannot be scheduled and installation fails with E40002 (insufficient nodes). Use inferenceRouterHA=false or add nodes.");
        }
    }

    private static void ApplyOpenShift(Dictionary<string, string> settings, ClusterFacts cluster, ICollection<string> warnings)
    {
        if (!cluster.IsOpenShift)
        {
            return;
        }

        if (SetIfAbsent(settings, SettingsCatalog.OpenShift, SettingValues.True))
        {
            warnings.Add(
                "The cluster's distribution is OpenShift, so openshift=true was set. The extension's service accounts also need the " +
                "'privileged' security context constraint (oc adm policy add-scc-to-user privileged ...), see the AzureML OpenShift prerequisites.");
        }
        else if (SettingValues.IsFalse(settings[SettingsCatalog.OpenShift]))
        {
            warnings.Add("The cluster's distribution is OpenShift but openshift=false was given; the extension's components may fail to start without the OpenShift policy package.");
        }
    }

    private static bool SetIfAbsent(Dictionary<string, string> settings, string key, string value)
    {
        if (settings.ContainsKey(key))
        {
            return false;
        }

        settings[key] = value;
        return true;
    }
}
