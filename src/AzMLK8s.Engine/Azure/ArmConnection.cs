using AzMLK8s.Engine.Azure.Context;
using AzMLK8s.Engine.Azure.Credentials;
using AzMLK8s.Engine.Azure.Resources;
using AzMLK8s.Model;
using AzMLK8s.Model.Context;
using AzMLK8s.Model.Host;
using global::Azure.Core;
using global::Azure.Core.Pipeline;
using global::Azure.Identity;
using global::Azure.ResourceManager;

namespace AzMLK8s.Engine.Azure;

/// <summary>
/// Everything one cmdlet call needs to talk to ARM: the resolved subscription and cloud, one pipeline with one
/// correlation id, the poller, and the typed resource operations. Build it once per cmdlet call with
/// <see cref="FromContext"/>.
/// </summary>
public sealed class ArmConnection
{
    // Made on first use (feature registration only): a Lazy<ArmClient> field would load Azure.ResourceManager with
    // every connection, before the first request of any cmdlet.
    private readonly object _armClientGate = new();
    private readonly ArmConnectionOptions _options;
    private ArmClient? _armClient;

    private ArmConnection(
        string subscriptionId,
        string? tenantId,
        string cloudName,
        Uri endpoint,
        string tokenAudience,
        string? pinnedThumbprint,
        TokenCredential credential,
        ICmdletHost host,
        ArmConnectionOptions options)
    {
        SubscriptionId = subscriptionId;
        TenantId = tenantId;
        CloudName = cloudName;
        Endpoint = endpoint;
        TokenAudience = tokenAudience;
        Host = host;
        Credential = credential;
        CorrelationId = Guid.NewGuid().ToString();
        PinnedThumbprint = pinnedThumbprint;
        Pacer = ArmRequestPacer.For(endpoint, subscriptionId);

        var pipeline = HttpPipelineBuilder.Build(
            CreateClientOptions(options, pinnedThumbprint),
            new HttpPipelinePolicy[] { new UserAgentPolicy(), new CorrelationIdPolicy(CorrelationId) },
            new HttpPipelinePolicy[] { new ArmPacingPolicy(Pacer, host), new BearerTokenAuthenticationPolicy(credential, TokenScope), new ArmDiagnosticsPolicy(host) },
            new ResponseClassifier());
        Client = new ArmRestClient(pipeline, endpoint, pinnedThumbprint);
        Poller = new ArmOperationPoller(Client, host, options.Polling);
        _options = options;

        Extensions = new ExtensionOperations(this);
        Computes = new ComputeOperations(this);
        Workspaces = new WorkspaceOperations(this);
        RoleAssignments = new RoleAssignmentOperations(this);
        Clusters = new ClusterOperations(this);
        Identities = new IdentityOperations(this);
        Relay = new RelayOperations(this);
        LogAnalytics = new LogAnalyticsOperations(this);
        ServiceBus = new ServiceBusOperations(this);
        Registrations = new RegistrationOperations(this);
    }

    public string SubscriptionId { get; }

    public string? TenantId { get; }

    /// <summary>AzureCloud, AzureChinaCloud, AzureUSGovernment or Custom.</summary>
    public string CloudName { get; }

    public Uri Endpoint { get; }

    public string TokenAudience { get; }

    /// <summary>Sent as x-ms-correlation-request-id on every request of this connection.</summary>
    public string CorrelationId { get; }

    public ExtensionOperations Extensions { get; }

    public ComputeOperations Computes { get; }

    public WorkspaceOperations Workspaces { get; }

    public RoleAssignmentOperations RoleAssignments { get; }

    /// <summary>Cluster GET and kubeconfigs (also the Kubernetes layer's <see cref="Kubernetes.IClusterCredentialSource"/>).</summary>
    public ClusterOperations Clusters { get; }

    public IdentityOperations Identities { get; }

    public RelayOperations Relay { get; }

    public LogAnalyticsOperations LogAnalytics { get; }

    public ServiceBusOperations ServiceBus { get; }

    /// <summary>Feature flags and resource provider registration.</summary>
    public RegistrationOperations Registrations { get; }

    internal ICmdletHost Host { get; }

    internal TokenCredential Credential { get; }

    internal ArmRestClient Client { get; }

    internal ArmOperationPoller Poller { get; }

    internal ArmClient ArmClient
    {
        get
        {
            lock (_armClientGate)
            {
                return _armClient ??= CreateArmClient(_options);
            }
        }
    }

    internal string? PinnedThumbprint { get; }

    /// <summary>The subscription's request budget and pauses, shared with every other connection to it.</summary>
    internal ArmRequestPacer Pacer { get; }

    private string TokenScope => TokenAudience.TrimEnd('/') + "/.default";

    /// <summary>
    /// The one entry point cmdlets use: the session's context (Set-AzMLK8sContext) or, if none was set,
    /// <paramref name="context"/>, completed from the Az.Accounts sign-in where it leaves gaps.
    /// </summary>
    public static ArmConnection FromContext(AzureContextSettings? context, ICmdletHost host, ArmConnectionOptions? options = null)
    {
        var settings = context ?? AzureContextStore.Get(host) ?? new AzureContextSettings();
        var needsAzAccounts = settings.AuthMethod is AzMLK8sAuthMethod.Auto or AzMLK8sAuthMethod.AzAccounts
            || (settings.SubscriptionId is null && settings.ArmEndpoint is null);
        var azContext = needsAzAccounts ? AzAccountsContext.TryRead(host) : null;
        var method = settings.AuthMethod switch
        {
            AzMLK8sAuthMethod.Auto => azContext is not null ? AzMLK8sAuthMethod.AzAccounts : AzMLK8sAuthMethod.Auto,
            AzMLK8sAuthMethod.AzAccounts when azContext is null => throw new ModuleErrorException(CredentialErrors.NotSignedIn()),
            var chosen => chosen,
        };

        var cloud = ResolveCloud(settings, azContext);
        var endpoint = settings.ArmEndpoint ?? cloud.ResourceManagerEndpoint;
        var audience = settings.ArmEndpoint is not null
            ? settings.TokenAudience ?? azContext?.TokenAudience ?? AzureCloud.AzureCloudPublic.TokenAudience
            : cloud.TokenAudience;
        var subscriptionId = settings.SubscriptionId
            ?? azContext?.SubscriptionId
            ?? Environment.GetEnvironmentVariable("AZURE_SUBSCRIPTION_ID")
            ?? throw new ModuleErrorException(new ModuleError(
                "Arm.NoSubscription",
                ErrorKind.InvalidArgument,
                "No Azure subscription is chosen for AzMLK8s.")
            {
                RecommendedAction = "Run Set-AzMLK8sContext -SubscriptionId <id>, or sign in with Connect-AzAccount and choose one with Set-AzContext.",
            });
        var tenantId = settings.TenantId ?? azContext?.TenantId;
        var credential = CreateCredential(method, settings, host, audience, tenantId, cloud.AuthorityHost);
        return new ArmConnection(
            subscriptionId,
            tenantId,
            settings.ArmEndpoint is null ? cloud.Name : "Custom",
            endpoint,
            audience,
            ArmTransport.NormalizeThumbprint(settings.TrustedCertificateThumbprint),
            credential,
            host,
            options ?? ArmConnectionOptions.Default);
    }

    /// <summary>A token for another audience through the same credential (e.g. the AKS AAD server application).</summary>
    public async Task<string> GetAccessTokenAsync(string scope, CancellationToken cancellationToken)
    {
        try
        {
            var token = await Credential.GetTokenAsync(new TokenRequestContext(new[] { scope }, tenantId: TenantId), cancellationToken).ConfigureAwait(false);
            return token.Token;
        }
        catch (AuthenticationFailedException ex)
        {
            throw new ModuleErrorException(CredentialErrors.SignInFailed(ex));
        }
    }

    /// <summary>Sends one raw request through this connection's pipeline (non-2xx throws the mapped error).</summary>
    public Task<ArmResponse> SendAsync(ArmRequest request, CancellationToken cancellationToken) => Client.SendAsync(request, cancellationToken);

    /// <summary>Sends a request that may start a long-running operation and waits for it to end.</summary>
    public async Task<ArmResponse?> SendAndWaitAsync(ArmRequest request, string activity, CancellationToken cancellationToken)
    {
        var initial = await Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await Poller.WaitAsync(request, initial, activity, cancellationToken).ConfigureAwait(false);
    }

    private static AzureCloud ResolveCloud(AzureContextSettings settings, AzAccountsContext? azContext)
    {
        if (settings.CloudName is not null)
        {
            return AzureCloud.Find(settings.CloudName) ?? throw new ModuleErrorException(new ModuleError(
                "Arm.UnknownCloud",
                ErrorKind.InvalidArgument,
                $"'{settings.CloudName}' is not a cloud AzMLK8s knows.")
            {
                RecommendedAction = $"Use one of {string.Join(", ", AzureCloud.Known.Select(c => c.Name))}, or give the endpoint with -ArmEndpoint.",
            });
        }

        return AzureCloud.Find(azContext?.EnvironmentName) ?? AzureCloud.FindByEndpoint(azContext?.ResourceManagerUrl) ?? AzureCloud.AzureCloudPublic;
    }

    private static TokenCredential CreateCredential(AzMLK8sAuthMethod method, AzureContextSettings settings, ICmdletHost host, string audience, string? tenantId, Uri authorityHost)
    {
        switch (method)
        {
            case AzMLK8sAuthMethod.AzAccounts:
                return new AzAccountsTokenCredential(host, audience, settings.TenantId);
            case AzMLK8sAuthMethod.AccessToken:
                return new StaticTokenCredential(settings.AccessToken ?? throw new ModuleErrorException(new ModuleError(
                    "Arm.AccessTokenMissing",
                    ErrorKind.InvalidArgument,
                    "The context says AccessToken, but no token was given.")
                {
                    RecommendedAction = "Run Set-AzMLK8sContext -AccessToken <SecureString>.",
                }));
            case AzMLK8sAuthMethod.ManagedIdentity:
                return ManagedIdentity(settings.ManagedIdentityClientId);
            case AzMLK8sAuthMethod.Environment:
                return IdentityChain(tenantId, authorityHost, includeManagedIdentity: false, settings.ManagedIdentityClientId);
            default:
                return IdentityChain(tenantId, authorityHost, includeManagedIdentity: true, settings.ManagedIdentityClientId);
        }
    }

    private static ManagedIdentityCredential ManagedIdentity(string? clientId) =>
        new(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId));

    private static ChainedTokenCredential IdentityChain(string? tenantId, Uri authorityHost, bool includeManagedIdentity, string? managedIdentityClientId)
    {
        var credentials = new List<TokenCredential>
        {
            new EnvironmentCredential(new EnvironmentCredentialOptions { AuthorityHost = authorityHost }),
            new WorkloadIdentityCredential(new WorkloadIdentityCredentialOptions { AuthorityHost = authorityHost, TenantId = tenantId }),
        };
        if (includeManagedIdentity)
        {
            credentials.Add(ManagedIdentity(managedIdentityClientId));
        }

        credentials.Add(new AzureCliCredential(new AzureCliCredentialOptions { AuthorityHost = authorityHost, TenantId = tenantId }));
        return new ChainedTokenCredential(credentials.ToArray());
    }

    private static ArmRestClientOptions CreateClientOptions(ArmConnectionOptions options, string? pinnedThumbprint)
    {
        var clientOptions = new ArmRestClientOptions { Transport = ArmTransport.For(pinnedThumbprint) };
        ApplyRetry(clientOptions, options);
        // Our own user agent replaces the SDK's telemetry header.
        clientOptions.Diagnostics.IsTelemetryEnabled = false;
        clientOptions.Diagnostics.IsLoggingContentEnabled = false;
        return clientOptions;
    }

    private static void ApplyRetry(ClientOptions clientOptions, ArmConnectionOptions options)
    {
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.MaxDelay = options.MaxRetryDelay;
        clientOptions.Retry.NetworkTimeout = options.NetworkTimeout;
        clientOptions.RetryPolicy = new ArmRetryPolicy(options.MaxRetries, DelayStrategy.CreateExponentialDelayStrategy(options.RetryDelay, options.MaxRetryDelay));
    }

    private ArmClient CreateArmClient(ArmConnectionOptions options)
    {
        var armOptions = new ArmClientOptions
        {
            Environment = new ArmEnvironment(Endpoint, TokenAudience),
            Transport = ArmTransport.For(PinnedThumbprint),
        };
        ApplyRetry(armOptions, options);
        armOptions.Diagnostics.ApplicationId = UserAgentPolicy.UserAgent;
        armOptions.Diagnostics.IsLoggingContentEnabled = false;
        armOptions.AddPolicy(new CorrelationIdPolicy(CorrelationId), HttpPipelinePosition.PerCall);
        armOptions.AddPolicy(new ArmPacingPolicy(Pacer, Host), HttpPipelinePosition.PerRetry);
        armOptions.AddPolicy(new ArmDiagnosticsPolicy(Host), HttpPipelinePosition.PerRetry);
        foreach (var pinned in ArmApiVersions.ByResourceType)
        {
            armOptions.SetApiVersion(new ResourceType(pinned.Key), pinned.Value);
        }

        return new ArmClient(Credential, SubscriptionId, armOptions);
    }

    private sealed class ArmRestClientOptions : ClientOptions
    {
    }
}
