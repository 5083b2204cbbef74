using System.Text.RegularExpressions;

namespace AzMLK8s.Engine.Settings;

/// <summary>
/// Every configuration key of the Microsoft.AzureML.Kubernetes extension the module knows: the seed documents'
/// tables, today's keys, the keys the module generates from the cluster, and the legacy names it translates.
/// Validation, WhatIf text, docs and the update guard all read this one table.
/// </summary>
public static class SettingsCatalog
{
    public const string ExtensionType = "Microsoft.AzureML.Kubernetes";
    public const string ReleaseNamespace = "azureml";

    // Keys the rules refer to by name.
    public const string EnableTraining = "enableTraining";
    public const string EnableInference = "enableInference";
    public const string AllowInsecureConnections = "allowInsecureConnections";
    public const string InferenceRouterServiceType = "inferenceRouterServiceType";
    public const string InternalLoadBalancerProvider = "internalLoadBalancerProvider";
    public const string InferenceRouterHA = "inferenceRouterHA";
    public const string ClusterPurpose = "clusterPurpose";
    public const string SslCname = "sslCname";
    public const string SslSecret = "sslSecret";
    public const string SslCertPemFile = "sslCertPemFile";
    public const string SslKeyPemFile = "sslKeyPemFile";
    public const string IsAksMigration = "isAKSMigration";
    public const string OpenShift = "openshift";
    public const string NodeSelectorPrefix = "nodeSelector.";
    public const string InstallNvidiaDevicePlugin = "installNvidiaDevicePlugin";
    public const string InstallPromOp = "installPromOp";
    public const string InstallVolcano = "installVolcano";
    public const string InstallDcgmExporter = "installDcgmExporter";
    public const string LogAnalyticsWorkspace = "logAnalyticsWS";
    public const string RelayServerEnabled = "relayserver.enabled";
    public const string ServiceBusEnabled = "servicebus.enabled";
    public const string NginxIngressEnabled = "nginxIngress.enabled";
    public const string RelayServerConnectionString = "relayServerConnectionString";
    public const string RelayConnectionString = "relayserver.relayConnectionString";
    public const string ServiceBusConnectionStringInput = "serviceBusConnectionString";
    public const string ServiceBusConnectionString = "servicebus.connectionString";
    public const string LogAnalyticsEnabled = "azure_log_analytics.enabled";
    public const string LogAnalyticsCustomerId = "azure_log_analytics.customer_id";
    public const string LogAnalyticsConnectionString = "azure_log_analytics.connection_string";
    public const string ClusterName = "cluster_name";
    public const string ClusterId = "clusterId";
    public const string ClusterNameFriendly = "cluster_name_friendly";
    public const string Domain = "domain";
    public const string Location = "location";
    public const string JobSchedulerLocation = "jobSchedulerLocation";
    public const string PrometheusClusterLabel = "prometheus.prometheusSpec.externalLabels.cluster_name";
    public const string ScoringFeNodePort = "scoringFe.serviceType.nodePort";
    public const string ScoringFeInternalLoadBalancer = "scoringFe.serviceType.internalLoadBalancer";
    public const string ScoringFeSslSecret = "scoringFe.sslSecret";
    public const string ScoringFeSslCert = "scoringFe.sslCert";
    public const string ScoringFeSslKey = "scoringFe.sslKey";
    public const string ScoringFeNamespace = "scoringFe.namespace";

    public static class ServiceTypes
    {
        public const string LoadBalancer = "LoadBalancer";
        public const string NodePort = "NodePort";
        public const string ClusterIP = "ClusterIP";
    }

    public static class ClusterPurposes
    {
        public const string DevTest = "DevTest";
        public const string FastProd = "FastProd";
    }

    /// <summary>The only internalLoadBalancerProvider value that means "internal load balancer".</summary>
    public const string AzureLoadBalancerProvider = "azure";

    // Kubernetes label syntax: optional DNS-subdomain prefix and '/', then a name of up to 63 characters.
    private static readonly Regex LabelKey = new(
        @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$",
        RegexOptions.CultureInvariant);

    private static readonly Regex LabelValue = new(
        @"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$",
        RegexOptions.CultureInvariant);

    private static readonly Regex AnyKeySegment = new(@"^[A-Za-z0-9][-A-Za-z0-9_.]*$", RegexOptions.CultureInvariant);

    public static IReadOnlyList<SettingDefinition> Settings { get; } = new SettingDefinition[]
    {
        // --- Scenarios -------------------------------------------------------------------------------------
        new(EnableTraining, SettingValueKind.Boolean, "Installs the training components (job operator, Volcano, blob CSI driver).")
        {
            Default = "false", Scenarios = SettingScenarios.Training,
            Disruption = SettingDisruption.InterruptsTrainingJobs, DisruptionTrigger = DisruptionTrigger.TurningOff,
            EffectWhenTurnedOn = "installs the training components",
            EffectWhenTurnedOff = "removes the training components; running training jobs fail",
        },
        new(EnableInference, SettingValueKind.Boolean, "Installs the inference components (inference router azureml-fe, inference operator).")
        {
            Default = "false", Scenarios = SettingScenarios.Inference,
            Disruption = SettingDisruption.InterruptsInferenceEndpoints, DisruptionTrigger = DisruptionTrigger.TurningOff,
            EffectWhenTurnedOn = "installs the inference router",
            EffectWhenTurnedOff = "removes the inference router; online endpoints stop answering",
        },

        // --- Inference networking and TLS -----------------------------------------------------------------
        new(AllowInsecureConnections, SettingValueKind.Boolean, "Serves inference endpoints over plain HTTP when no TLS certificate is given.")
        {
            Default = "false", Scenarios = SettingScenarios.Inference,
            Disruption = SettingDisruption.InterruptsInferenceEndpoints,
            EffectWhenChanged = "switches inference endpoints between HTTP and HTTPS; clients must change scheme",
        },
        new(InferenceRouterServiceType, SettingValueKind.Enum, "How the inference router is exposed: LoadBalancer (public or internal), NodePort or ClusterIP.")
        {
            AllowedValues = new[] { ServiceTypes.LoadBalancer, ServiceTypes.NodePort, ServiceTypes.ClusterIP },
            Default = ServiceTypes.LoadBalancer, Scenarios = SettingScenarios.Inference,
            Disruption = SettingDisruption.InterruptsInferenceEndpoints,
            EffectWhenChanged = "re-creates the inference router service; endpoint addresses change",
        },
        new(InternalLoadBalancerProvider, SettingValueKind.Enum, "Set to 'azure' to expose the inference router on an internal (private) Azure load balancer.")
        {
            Aliases = new[] { "internalLbProvider" },
            AllowedValues = new[] { AzureLoadBalancerProvider }, Scenarios = SettingScenarios.Inference,
            Disruption = SettingDisruption.InterruptsInferenceEndpoints,
            EffectWhenChanged = "moves the inference router between a public and an internal load balancer; endpoint addresses change",
        },
        new(InferenceRouterHA, SettingValueKind.Boolean, "Runs three inference router replicas (needs three nodes); false runs one, for dev/test.")
        {
            Default = "true", Scenarios = SettingScenarios.Inference,
            Disruption = SettingDisruption.RestartsInferenceRouter,
            EffectWhenChanged = "changes the number of inference router replicas",
        },
        new(ClusterPurpose, SettingValueKind.Enum, "DevTest for small dev/test clusters, FastProd for production sizing of the extension's components.")
        {
            AllowedValues = new[] { ClusterPurposes.DevTest, ClusterPurposes.FastProd },
            Default = ClusterPurposes.FastProd,
            Disruption = SettingDisruption.RestartsComponents,
            EffectWhenChanged = "resizes the extension's components; they restart",
        },
        new(SslCname, SettingValueKind.String, "The DNS name inference endpoints are served under; must match the TLS certificate.")
        {
            Scenarios = SettingScenarios.Inference,
            Disruption = SettingDisruption.InterruptsInferenceEndpoints,
            EffectWhenChanged = "changes the host name of inference endpoints; clients using the old name fail TLS validation",
        },
        new(SslSecret, SettingValueKind.String, "Name of a Kubernetes secret in the azureml namespace holding cert.pem and key.pem for HTTPS endpoints.")
        {
            Aliases = new[] { "sslSecretName" },
            Scenarios = SettingScenarios.Inference,
            Disruption = SettingDisruption.RestartsInferenceRouter,
            EffectWhenChanged = "switches the inference router to another TLS certificate",
            ValuePattern = new Regex(@"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", RegexOptions.CultureInvariant),
            ValuePatternDescription = "a Kubernetes secret name (lowercase letters, digits, '-' and '.')",
        },
        new(SslCertPemFile, SettingValueKind.String, "Path of the PEM certificate (full chain) for HTTPS endpoints; read here, sent as scoringFe.sslCert.")
        {
            IsProtected = true, IsLocalOnly = true, SentAs = ScoringFeSslCert, Scenarios = SettingScenarios.Inference,
            Disruption = SettingDisruption.RestartsInferenceRouter,
            EffectWhenChanged = "replaces the inference router's TLS certificate",
        },
        new(SslKeyPemFile, SettingValueKind.String, "Path of the unencrypted PEM private key for HTTPS endpoints; read here, sent as scoringFe.sslKey.")
        {
            // sslCertKeyFile: the name two examples of the AML-Kubernetes deploy doc use for the key file.
            Aliases = new[] { "sslCertKeyFile" },
            IsProtected = true, IsLocalOnly = true, SentAs = ScoringFeSslKey, Scenarios = SettingScenarios.Inference,
            Disruption = SettingDisruption.RestartsInferenceRouter,
            EffectWhenChanged = "replaces the inference router's TLS key",
        },
        new(IsAksMigration, SettingValueKind.Boolean, "Serves migrated AKS (v1) inference workloads from the 'default' namespace.")
        {
            Default = "false", Scenarios = SettingScenarios.Inference,
            Disruption = SettingDisruption.ImmutableAfterCreate,
            EffectWhenChanged = "moves the inference router's namespace; existing endpoints break",
        },

        // --- Placement and platform -------------------------------------------------------------------------
        new(NodeSelectorPrefix, SettingValueKind.Map, "nodeSelector.<label>=<value>: runs the extension and its workloads only on nodes with all given labels.")
        {
            Disruption = SettingDisruption.InterruptsAllWorkloads,
            EffectWhenChanged = "moves the extension's components and new workloads to other nodes; an update cannot remove a selector",
            MapKeyPattern = LabelKey,
            ValuePattern = LabelValue,
            ValuePatternDescription = "a Kubernetes label value (up to 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric)",
        },
        new(OpenShift, SettingValueKind.Boolean, "Set on ARO/OpenShift clusters: loads the SELinux policy package the components need on each node.")
        {
            Default = "false",
            Disruption = SettingDisruption.ReinstallsComponents,
            EffectWhenChanged = "reinstalls the node policy package and restarts components",
        },
        new(InstallNvidiaDevicePlugin, SettingValueKind.Boolean, "Installs the NVIDIA device plugin; set false when the cluster already has one (GPU operator).")
        {
            Default = "false",
            Disruption = SettingDisruption.InterruptsAllWorkloads, DisruptionTrigger = DisruptionTrigger.TurningOff,
            EffectWhenTurnedOn = "installs the NVIDIA device plugin",
            EffectWhenTurnedOff = "removes the NVIDIA device plugin; GPU jobs and deployments lose their GPUs",
        },
        new(InstallPromOp, SettingValueKind.Boolean, "Installs the Prometheus operator; false reuses the cluster's own (kube-prometheus-stack).")
        {
            Aliases = new[] { "installPrometheusOperator" },
            Default = "true",
            Disruption = SettingDisruption.ReinstallsComponents,
            EffectWhenChanged = "installs or removes the extension's Prometheus operator",
        },
        new(InstallVolcano, SettingValueKind.Boolean, "Installs the Volcano scheduler; false reuses the cluster's own Volcano.")
        {
            Aliases = new[] { "installVolcanoScheduler" },
            Default = "true", Scenarios = SettingScenarios.Training,
            Disruption = SettingDisruption.ReinstallsComponents,
            EffectWhenChanged = "installs or removes the extension's Volcano scheduler; queued training jobs wait",
        },
        new(InstallDcgmExporter, SettingValueKind.Boolean, "Installs the NVIDIA DCGM exporter for GPU metrics.")
        {
            Default = "false",
            Disruption = SettingDisruption.ReinstallsComponents,
            EffectWhenChanged = "installs or removes the DCGM exporter",
        },
        new("blobCsiDriverEnabled", SettingValueKind.Boolean, "Installs the Azure Blob CSI driver used to mount training data.")
        {
            Aliases = new[] { "installBlobCSIDriver" },
            Default = "true", Scenarios = SettingScenarios.Training,
            Disruption = SettingDisruption.ReinstallsComponents,
            EffectWhenChanged = "installs or removes the blob CSI driver; jobs mounting blob data fail meanwhile",
        },
        new(LogAnalyticsWorkspace, SettingValueKind.Boolean, "Sends the components' logs to a Log Analytics workspace the module finds or creates (cost may apply).")
        {
            Default = "false",
            Disruption = SettingDisruption.ReinstallsComponents,
            EffectWhenChanged = "starts or stops log shipping to Log Analytics",
        },
        new("volcanoScheduler.schedulerConfigMap", SettingValueKind.String, "Name of a ConfigMap with a custom Volcano scheduler configuration (e.g. without gang scheduling for the cluster autoscaler).")
        {
            Scenarios = SettingScenarios.Training,
            Disruption = SettingDisruption.RestartsComponents,
            EffectWhenChanged = "restarts the Volcano scheduler with the new configuration",
        },
        new("amloperator.skipResourceValidation", SettingValueKind.Boolean, "Skips the training operator's check of job resources against instance types.")
        {
            Default = "false", Scenarios = SettingScenarios.Training,
            Disruption = SettingDisruption.RestartsComponents,
            EffectWhenChanged = "restarts the training operator",
        },
        new("nginxIngress.controller", SettingValueKind.String, "The ingress controller class of the extension's NGINX ingress (avoid clashes with another NGINX).")
        {
            Disruption = SettingDisruption.RestartsComponents,
            EffectWhenChanged = "restarts the extension's ingress controller",
        },
        new("nginxIngress.controllerConfig.", SettingValueKind.Map, "nginxIngress.controllerConfig.<option>=<value>: NGINX ingress controller options (e.g. worker-processes).")
        {
            Disruption = SettingDisruption.RestartsComponents,
            EffectWhenChanged = "restarts the extension's ingress controller",
            MapKeyPattern = AnyKeySegment,
        },
        new("nginxIngress.resources.controller.limits.memory", SettingValueKind.String, "Memory limit of the extension's NGINX ingress controller (e.g. 1Gi).")
        {
            Disruption = SettingDisruption.RestartsComponents,
            EffectWhenChanged = "restarts the extension's ingress controller",
            ValuePattern = new Regex(@"^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$", RegexOptions.CultureInvariant),
            ValuePatternDescription = "a Kubernetes memory quantity such as 512Mi or 1Gi",
        },

        // --- Connectivity to Azure (defaults by cluster kind) ------------------------------------------------
        new(RelayServerEnabled, SettingValueKind.Boolean, "Reaches the cluster from Azure ML through Azure Relay (default on Arc, off on AKS); the module finds or creates the relay under the Azure CLI's name.")
        {
            IsGenerated = true,
            Disruption = SettingDisruption.ImmutableAfterCreate,
            EffectWhenChanged = "changes how Azure ML reaches the cluster; attached computes break",
        },
        new(ServiceBusEnabled, SettingValueKind.Boolean, "Syncs job and cluster state through Azure Service Bus (off by default); true without serviceBusConnectionString finds or creates the namespace, topics and subscriptions the Azure CLI would.")
        {
            IsGenerated = true, Default = "false",
            Disruption = SettingDisruption.ImmutableAfterCreate,
            EffectWhenChanged = "changes how job state reaches Azure ML; attached computes break",
        },
        new(NginxIngressEnabled, SettingValueKind.Boolean, "Installs the extension's NGINX ingress controller (default on AKS, off on Arc).")
        {
            IsGenerated = true,
            Disruption = SettingDisruption.InterruptsAllWorkloads,
            EffectWhenChanged = "installs or removes the ingress Azure ML traffic arrives through",
        },
        new(RelayServerConnectionString, SettingValueKind.String, "Connection string of the Azure Relay hybrid connection; sent as relayserver.relayConnectionString.")
        {
            IsProtected = true, SentAs = RelayConnectionString,
            Disruption = SettingDisruption.RestartsComponents,
            EffectWhenChanged = "restarts the relay server with the new connection string",
        },
        new(RelayConnectionString, SettingValueKind.String, "Connection string of the Azure Relay hybrid connection, as the chart reads it.")
        {
            IsProtected = true, IsGenerated = true,
            Disruption = SettingDisruption.RestartsComponents,
            EffectWhenChanged = "restarts the relay server with the new connection string",
        },
        new(ServiceBusConnectionStringInput, SettingValueKind.String, "Connection string of the Service Bus namespace; sent as servicebus.connectionString.")
        {
            IsProtected = true, SentAs = ServiceBusConnectionString,
            Disruption = SettingDisruption.RestartsComponents,
            EffectWhenChanged = "restarts the gateway with the new connection string",
        },
        new(ServiceBusConnectionString, SettingValueKind.String, "Connection string of the Service Bus namespace, as the chart reads it.")
        {
            IsProtected = true, IsGenerated = true,
            Disruption = SettingDisruption.RestartsComponents,
            EffectWhenChanged = "restarts the gateway with the new connection string",
        },
        new(LogAnalyticsConnectionString, SettingValueKind.String, "Shared key of the Log Analytics workspace logs are sent to.")
        {
            IsProtected = true, IsGenerated = true,
            Disruption = SettingDisruption.RestartsComponents,
            EffectWhenChanged = "restarts log shipping with the new workspace key",
        },
        new(LogAnalyticsEnabled, SettingValueKind.Boolean, "Set by the module when a Log Analytics workspace is connected.")
        {
            IsGenerated = true, Default = "false",
            Disruption = SettingDisruption.ReinstallsComponents,
            EffectWhenChanged = "starts or stops log shipping to Log Analytics",
        },
        new(LogAnalyticsCustomerId, SettingValueKind.String, "Workspace (customer) id of the connected Log Analytics workspace.")
        {
            IsGenerated = true,
            Disruption = SettingDisruption.RestartsComponents,
            EffectWhenChanged = "sends logs to another workspace",
        },
        new("relayserver.hybridConnectionResourceID", SettingValueKind.String, "Resource id of the Azure Relay hybrid connection the module found or created.")
        {
            IsGenerated = true, Disruption = SettingDisruption.ImmutableAfterCreate,
            EffectWhenChanged = "points the relay server at another hybrid connection; attached computes break",
        },
        new("relayserver.hybridConnectionName", SettingValueKind.String, "Name of the Azure Relay hybrid connection (the cluster's name).")
        {
            IsGenerated = true, Disruption = SettingDisruption.ImmutableAfterCreate,
            EffectWhenChanged = "points the relay server at another hybrid connection; attached computes break",
        },
        new("servicebus.resourceID", SettingValueKind.String, "Resource id of the Service Bus namespace.")
        {
            IsGenerated = true, Disruption = SettingDisruption.ImmutableAfterCreate,
            EffectWhenChanged = "points the gateway at another Service Bus; attached computes break",
        },
        new("servicebus.topicSubMapping.", SettingValueKind.Map, "servicebus.topicSubMapping.<topic>=<subscription>: Service Bus topics the gateway listens on.")
        {
            IsGenerated = true, Disruption = SettingDisruption.ImmutableAfterCreate,
            EffectWhenChanged = "changes the Service Bus subscriptions the gateway reads",
            MapKeyPattern = AnyKeySegment,
        },

        // --- Identity of the cluster (generated at create; they tie the extension to its cluster) ----------
        new(ClusterName, SettingValueKind.String, "Resource id of the cluster the extension belongs to.")
        {
            IsGenerated = true, Disruption = SettingDisruption.ImmutableAfterCreate,
            EffectWhenChanged = "ties the extension to another cluster identity; attached computes break",
        },
        new(ClusterId, SettingValueKind.String, "Resource id of the cluster (copy of cluster_name).")
        {
            IsGenerated = true, Disruption = SettingDisruption.ImmutableAfterCreate,
            EffectWhenChanged = "ties the extension to another cluster identity; attached computes break",
        },
        new(ClusterNameFriendly, SettingValueKind.String, "Name of the cluster.")
        {
            IsGenerated = true, Disruption = SettingDisruption.ImmutableAfterCreate,
            EffectWhenChanged = "renames the cluster in Azure ML's view",
        },
        new(Domain, SettingValueKind.String, "DNS domain of the cluster's region ('<location>.cloudapp.azure.com' in Azure public cloud).")
        {
            IsGenerated = true, Disruption = SettingDisruption.ImmutableAfterCreate,
            EffectWhenChanged = "changes the domain of endpoint addresses",
        },
        new(Location, SettingValueKind.String, "Azure region of the cluster.")
        {
            IsGenerated = true, Disruption = SettingDisruption.ImmutableAfterCreate,
            EffectWhenChanged = "moves the extension's Azure region; attached computes break",
        },
        new(JobSchedulerLocation, SettingValueKind.String, "Azure region of the Azure ML job scheduler the cluster talks to.")
        {
            IsGenerated = true, Disruption = SettingDisruption.ImmutableAfterCreate,
            EffectWhenChanged = "points the cluster at another region's job scheduler; running jobs are lost",
        },
        new(PrometheusClusterLabel, SettingValueKind.String, "Cluster label on every metric the extension's Prometheus sends (the cluster resource id).")
        {
            IsGenerated = true, Disruption = SettingDisruption.ImmutableAfterCreate,
            EffectWhenChanged = "relabels the cluster's metrics",
        },

        // --- Inference router internals (generated from the inference settings) ------------------------------
        new(ScoringFeNodePort, SettingValueKind.Boolean, "Inference router exposed as NodePort (from inferenceRouterServiceType).")
        {
            IsGenerated = true, Scenarios = SettingScenarios.Inference,
            Disruption = SettingDisruption.InterruptsInferenceEndpoints,
            EffectWhenChanged = "re-creates the inference router service",
        },
        new(ScoringFeInternalLoadBalancer, SettingValueKind.Boolean, "Inference router on an internal load balancer (from internalLoadBalancerProvider).")
        {
            IsGenerated = true, Scenarios = SettingScenarios.Inference,
            Disruption = SettingDisruption.InterruptsInferenceEndpoints,
            EffectWhenChanged = "re-creates the inference router service",
        },
        new(ScoringFeSslSecret, SettingValueKind.String, "Kubernetes secret with the inference router's TLS certificate (from sslSecret).")
        {
            IsGenerated = true, Scenarios = SettingScenarios.Inference,
            Disruption = SettingDisruption.RestartsInferenceRouter,
            EffectWhenChanged = "switches the inference router to another TLS certificate",
        },
        new(ScoringFeSslCert, SettingValueKind.String, "Base64 of the PEM certificate chain (from sslCertPemFile).")
        {
            IsProtected = true, IsGenerated = true, Scenarios = SettingScenarios.Inference,
            Disruption = SettingDisruption.RestartsInferenceRouter,
            EffectWhenChanged = "replaces the inference router's TLS certificate",
        },
        new(ScoringFeSslKey, SettingValueKind.String, "Base64 of the PEM private key (from sslKeyPemFile).")
        {
            IsProtected = true, IsGenerated = true, Scenarios = SettingScenarios.Inference,
            Disruption = SettingDisruption.RestartsInferenceRouter,
            EffectWhenChanged = "replaces the inference router's TLS key",
        },
        new(ScoringFeNamespace, SettingValueKind.String, "Namespace of the inference router ('default' for AKS migration).")
        {
            IsGenerated = true, Scenarios = SettingScenarios.Inference,
            Disruption = SettingDisruption.ImmutableAfterCreate,
            EffectWhenChanged = "moves the inference router; existing endpoints break",
        },
    };

    public static IReadOnlyList<LegacySetting> LegacySettings { get; } = new LegacySetting[]
    {
        new("privateEndpointILB",
            new[] { Pair(InternalLoadBalancerProvider, AzureLoadBalancerProvider), Pair(InferenceRouterServiceType, ServiceTypes.LoadBalancer) },
            Array.Empty<KeyValuePair<string, string>>(),
            "the extension no longer reads it; an internal load balancer is internalLoadBalancerProvider=azure with inferenceRouterServiceType=LoadBalancer"),
        new("privateEndpointNodeport",
            new[] { Pair(InferenceRouterServiceType, ServiceTypes.NodePort) },
            Array.Empty<KeyValuePair<string, string>>(),
            "the extension no longer reads it; a NodePort router is inferenceRouterServiceType=NodePort"),
        new("inferenceLoadBalancerHA",
            new[] { Pair(InferenceRouterHA, "true") },
            new[] { Pair(InferenceRouterHA, "false") },
            "it was renamed inferenceRouterHA"),
        new("reuseExistingPromOp",
            new[] { Pair(InstallPromOp, "false") },
            new[] { Pair(InstallPromOp, "true") },
            "it was replaced by installPromOp with the opposite meaning (installPromOp=false reuses the existing operator)"),
        new("volcanoScheduler.enable",
            new[] { Pair(InstallVolcano, "true") },
            new[] { Pair(InstallVolcano, "false") },
            "it was renamed installVolcano"),
    };

    private static readonly Dictionary<string, SettingDefinition> ByKey =
        Settings.Where(s => !s.IsMap).ToDictionary(s => s.Key, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, SettingDefinition> ByAlias =
        Settings.SelectMany(s => s.Aliases.Select(a => (Alias: a, Setting: s))).ToDictionary(p => p.Alias, p => p.Setting, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, LegacySetting> ByLegacyKey =
        LegacySettings.ToDictionary(l => l.Key, StringComparer.OrdinalIgnoreCase);

    private static readonly SettingDefinition[] Maps = Settings.Where(s => s.IsMap).ToArray();

    /// <summary>The definition of <paramref name="key"/> (any case; map keys by prefix), or null.</summary>
    public static SettingDefinition? Find(string key)
    {
        if (ByKey.TryGetValue(key, out var setting))
        {
            return setting;
        }

        return Maps.FirstOrDefault(m => key.Length > m.Key.Length && key.StartsWith(m.Key, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The definition <paramref name="alias"/> is another name of (any case), or null.</summary>
    public static SettingDefinition? FindByAlias(string alias) => ByAlias.GetValueOrDefault(alias);

    public static LegacySetting? FindLegacy(string key) => ByLegacyKey.GetValueOrDefault(key);

    /// <summary>
    /// <paramref name="key"/> in the case the chart reads: the catalog key, or for a map key the catalog prefix
    /// followed by the user's part unchanged (label names are case-sensitive in Kubernetes).
    /// </summary>
    public static string Canonicalize(string key, SettingDefinition definition) =>
        definition.IsMap ? definition.Key + key.Substring(definition.Key.Length) : definition.Key;

    /// <summary>Every name the engine accepts: keys, map prefixes, aliases, legacy keys (for suggestions).</summary>
    public static IEnumerable<string> AllNames =>
        Settings.Select(s => s.Key).Concat(Settings.SelectMany(s => s.Aliases)).Concat(LegacySettings.Select(l => l.Key));

    /// <summary>The key or alias closest to <paramref name="unknownKey"/> by edit distance, ignoring case.</summary>
    public static string ClosestKnownName(string unknownKey)
    {
        var prefix = unknownKey.Contains('.') ? unknownKey.Substring(0, unknownKey.IndexOf('.') + 1) : null;
        return AllNames
            .Select(name => (Name: name, Distance: EditDistance.Compute(Comparable(unknownKey, name, prefix), name)))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .First().Name;
    }

    // A mistyped map key ("nodeSelecter.pool") is compared on its prefix only, so the label does not count as distance.
    private static string Comparable(string unknownKey, string name, string? prefix) =>
        name.EndsWith('.') && prefix is not null ? prefix : unknownKey;

    private static KeyValuePair<string, string> Pair(string key, string value) => new(key, value);
}
