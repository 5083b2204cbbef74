using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using AzMLK8s.Engine.Kubernetes.Authentication;
using AzMLK8s.Engine.Kubernetes.Transport;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;
using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace AzMLK8s.Engine.Kubernetes;

/// <summary>
/// Creates a <see cref="KubernetesClient"/> from a kubeconfig (a file, KUBECONFIG, or bytes from Azure). The library
/// builds its client from it (cluster, certificate authority, tls-server-name, token and client-certificate users);
/// the module adds what the library leaves out or does otherwise: KUBECONFIG merged as kubectl merges it, proxy-url,
/// tokenFile, exec plugins (<see cref="ExecCredentialPlugin"/>), Entra ID tokens from the module's Azure sign-in
/// instead of kubelogin, and errors with the module's ErrorIds that never quote a credential.
/// </summary>
public static class KubernetesConnector
{
    private static readonly string UserAgent = $"AzMLK8s/{typeof(KubernetesConnector).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}";

    /// <summary>
    /// Connects through a kubeconfig file, or, when <paramref name="kubeconfigPath"/> is null or empty, through the
    /// files of the KUBECONFIG environment variable (merged like kubectl) or ~/.kube/config.
    /// </summary>
    /// <param name="context">A context name; null uses the kubeconfig's current-context.</param>
    public static KubernetesClient FromKubeconfigFile(string? kubeconfigPath, string? context, ICmdletHost host, KubernetesClientOptions? options = null) =>
        string.IsNullOrEmpty(kubeconfigPath)
            ? FromEnvironment(Environment.GetEnvironmentVariable(KubeconfigFiles.EnvironmentVariable), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), context, host, options)
            : Connect(KubeconfigFiles.Read([Path.GetFullPath(kubeconfigPath)]), context, host, options);

    /// <summary>Connects through a kubeconfig held in memory (for example one returned by Azure).</summary>
    /// <param name="source">Where it came from, for messages (never its content).</param>
    /// <param name="azureCredential">The module's Azure sign-in, for a user that signs in with kubelogin or the 'azure' auth-provider.</param>
    public static KubernetesClient FromKubeconfig(byte[] kubeconfig, string source, string? context, ICmdletHost host, KubernetesClientOptions? options = null, TokenCredential? azureCredential = null) =>
        Connect(KubeconfigFiles.Parse(Encoding.UTF8.GetString(kubeconfig), source, directory: null), context, host, options, azureCredential);

    /// <summary>The files listed in KUBECONFIG (missing ones skipped, as kubectl does), or ~/.kube/config when it is empty.</summary>
    internal static KubernetesClient FromEnvironment(string? kubeconfigVariable, string homeDirectory, string? context, ICmdletHost host, KubernetesClientOptions? options) =>
        Connect(KubeconfigFiles.FromEnvironment(kubeconfigVariable, homeDirectory), context, host, options);

    private static KubernetesClient Connect(KubeconfigFiles.Kubeconfig kubeconfig, string? contextName, ICmdletHost host, KubernetesClientOptions? options, TokenCredential? azureCredential = null)
    {
        options ??= new KubernetesClientOptions();
        var (config, source) = (kubeconfig.Config, kubeconfig.Source);
        var name = string.IsNullOrEmpty(contextName) ? config.CurrentContext : contextName;
        var available = config.Contexts.Any() ? string.Join(", ", config.Contexts.Select(c => c.Name).Order(StringComparer.Ordinal)) : "it has none";
        var context = string.IsNullOrEmpty(name)
            ? throw KubernetesErrorMapper.Error(KubernetesErrorIds.KubeconfigContextNotFound, ErrorKind.InvalidArgument, $"The kubeconfig from {source} has no current-context and no context was named.",
                $"Name a context ({available}) or set one with 'kubectl config use-context <name>'.", source)
            : config.Contexts.FirstOrDefault(c => c.Name == name) ?? throw KubernetesErrorMapper.Error(KubernetesErrorIds.KubeconfigContextNotFound, ErrorKind.ObjectNotFound,
                $"The kubeconfig from {source} has no context '{name}'.", $"Use one of its contexts: {available}.", name);
        var details = context.ContextDetails ??= new ContextDetails();
        var clusterEntry = config.Clusters.FirstOrDefault(c => c.Name == details.Cluster);
        var cluster = clusterEntry?.ClusterEndpoint;
        if (string.IsNullOrWhiteSpace(cluster?.Server))
        {
            throw KubernetesErrorMapper.Error(KubernetesErrorIds.KubeconfigInvalid, ErrorKind.InvalidData, $"The context '{name}' in the kubeconfig from {source} refers to cluster '{details.Cluster}', which is missing or has no server.",
                "Fix the kubeconfig or get fresh credentials for the cluster.", name);
        }

        var userEntry = config.Users.FirstOrDefault(u => u.Name == details.User);
        var (user, userDescription) = (userEntry?.UserCredentials, $"kubeconfig user '{details.User}'");
        var proxy = kubeconfig.FieldsOf(clusterEntry)?.ProxyUrl;
        var credential = ModuleCredential(user, kubeconfig.FieldsOf(userEntry), userDescription, () => ClusterInfo(cluster, proxy), options, azureCredential, host);
        try
        {
            if (user is not null && string.IsNullOrEmpty(user.ClientCertificateData + user.ClientCertificate) != string.IsNullOrEmpty(user.ClientKeyData + user.ClientKey))
            {
                throw KubernetesErrorMapper.Error(KubernetesErrorIds.KubeconfigCredentialInvalid, ErrorKind.InvalidData, $"The {userDescription} has a client certificate or key without the other.",
                    "Give both client-certificate(-data) and client-key(-data), or neither.", userDescription);
            }

            // The library takes a token or client-certificate user; one it has nothing to take from (anonymous, or one
            // whose credential the module supplies) is left out of the context, which the library would refuse.
            if (string.IsNullOrEmpty(user?.Token + user?.ClientCertificateData + user?.ClientCertificate))
            {
                details.User = null;
            }
            else
            {
                (user!.ExternalExecution, user.AuthProvider) = (null, null);
            }

            var transport = new KubernetesTransportHandler(options, credential, host.WritesDebug ? host.WriteDebug : null);
            var api = CreateApi(config, name!, source, userDescription, configuration =>
            {
                configuration.TokenProvider = credential;
                configuration.HttpClientTimeout = Timeout.InfiniteTimeSpan; // each attempt has its own (KubernetesTransportHandler)
                configuration.UserAgent = UserAgent;
                // HTTP/1.1, as the module's own client always spoke: a few short requests per cluster gain nothing from
                // HTTP/2's streams, every proxy between (proxy-url, Arc's cluster connect) speaks it, and a cold process
                // does not load the HTTP/2 stack for its first cluster call (about 15 ms of a 2-core machine's CPU).
                configuration.DisableHttp2 = true;
                configuration.FirstMessageHandlerSetup = handler =>
                {
                    handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
                    (handler.Proxy, handler.UseProxy) = proxy is null ? (null, handler.UseProxy) : (new System.Net.WebProxy(proxy), true);
                    if (credential is ExecCredentialPlugin)
                    {
                        // Chosen per handshake, so that a certificate the plugin refreshed is the one offered.
                        handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => credential.ClientCertificate!;
                    }
                };
            }, options.WireHandler is null ? [transport] : [transport, options.WireHandler]);
            if (cluster.SkipTlsVerify)
            {
                host.WriteWarning($"The kubeconfig context '{name}' sets insecure-skip-tls-verify: the identity of the API server {api.BaseUri} is not checked, so the connection could be intercepted.");
            }

            host.WriteVerbose($"Kubernetes: context '{name}' of {source}, cluster '{details.Cluster}' at {api.BaseUri}.");
            return new KubernetesClient(api, api.BaseUri, name!, options, credential);
        }
        catch
        {
            credential?.Dispose();
            throw;
        }
    }

    /// <summary>The module's credential for a user the library does not serve as the module needs; null leaves the user to the library.</summary>
    private static KubernetesCredential? ModuleCredential(UserCredentials? user, KubeconfigFiles.Fields? fields, string userDescription, Func<JsonObject> clusterInfo,
        KubernetesClientOptions options, TokenCredential? azureCredential, ICmdletHost host)
    {
        if (user?.ExternalExecution is { } exec)
        {
            if (azureCredential is null || !ExecCredentialPlugin.IsKubelogin(exec.Command))
            {
                return new ExecCredentialPlugin(exec, fields?.Exec?.InteractiveMode, userDescription, options.ExecPluginTimeout, clusterInfo());
            }

            var (args, flag) = (exec.Arguments ?? [], "--server-id");
            var at = args.IndexOf(flag);
            var serverId = at >= 0 && at + 1 < args.Count ? args[at + 1] : args.FirstOrDefault(a => a.StartsWith(flag + "=", StringComparison.Ordinal))?[(flag.Length + 1)..];
            host.WriteVerbose($"Kubernetes: {userDescription} uses kubelogin; using the Azure sign-in for application {serverId ?? EntraIdCredential.AksServerApplicationId} instead.");
            return new EntraIdCredential(azureCredential, serverId);
        }

        if (user?.AuthProvider is { } provider)
        {
            var azure = string.Equals(provider.Name, "azure", StringComparison.OrdinalIgnoreCase);
            return azure && azureCredential is not null
                ? new EntraIdCredential(azureCredential, provider.Config?.GetValueOrDefault("apiserver-id"))
                : throw KubernetesErrorMapper.Error(KubernetesErrorIds.KubeconfigAuthUnsupported, ErrorKind.NotImplemented, $"The {userDescription} uses the '{provider.Name}' auth-provider, which the module does not run (kubectl itself dropped the azure and gcp ones in 1.26).",
                    azure ? "Convert the kubeconfig to the exec format with 'kubelogin convert-kubeconfig -l azurecli', or let the module get the cluster's credentials from Azure."
                        : "Convert the kubeconfig to an exec credential plugin (for OIDC: the 'kubectl oidc-login' plugin, int128/kubelogin).", userDescription);
        }

        if (!string.IsNullOrEmpty(user?.UserName + user?.Password))
        {
            throw KubernetesErrorMapper.Error(KubernetesErrorIds.KubeconfigAuthUnsupported, ErrorKind.NotImplemented, $"The {userDescription} uses basic authentication (username/password), which Kubernetes removed in 1.19.",
                "Use a token, a client certificate or an exec credential plugin.", userDescription);
        }

        return string.IsNullOrEmpty(user?.Token) && fields?.TokenFile is { Length: > 0 } tokenFile ? new TokenFileCredential(tokenFile) : null;
    }

    /// <summary>The library's configuration and client for the context; what it refuses becomes the module's error, without the key's PEM text.</summary>
    private static k8s.Kubernetes CreateApi(K8SConfiguration config, string context, string source, string userDescription, Action<KubernetesClientConfiguration> configure, DelegatingHandler[] handlers)
    {
        ModuleErrorException Unusable(string reason) => KubernetesErrorMapper.Error(KubernetesErrorIds.KubeconfigInvalid, ErrorKind.InvalidData,
            $"The context '{context}' of the kubeconfig from {source} cannot be used: {reason}.", "Fix the kubeconfig (check it with 'kubectl config view') or get fresh credentials for the cluster.", context);
        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context);
        }
        catch (Exception e) when (e is KubeConfigException or FormatException or IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw Unusable(e switch
            {
                KubeConfigException => e.Message,
                FormatException => "a *-data field is not valid base64",
                CryptographicException => "its certificate authority could not be read",
                _ => $"a file it names could not be read ({e.GetType().Name})",
            });
        }

        configure(configuration);
        try
        {
            return configuration.SslCaCerts is { Count: 0 } ? throw Unusable("its certificate authority holds no PEM certificate") : new k8s.Kubernetes(configuration, handlers);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or KubeConfigException or IOException or UnauthorizedAccessException)
        {
            throw KubernetesErrorMapper.Error(KubernetesErrorIds.KubeconfigCredentialInvalid, ErrorKind.InvalidData,
                $"The client certificate or key of {userDescription} could not be read. The certificate must be PEM and the key an RSA or EC private key in PEM (PKCS#1, SEC1 or PKCS#8) that matches it.",
                "Get fresh credentials for the cluster (for AKS: 'az aks get-credentials'), or fix client-certificate(-data) and client-key(-data) in the kubeconfig.", userDescription);
        }
    }

    // The Cluster object of client.authentication.k8s.io (ExecCredential spec.cluster), for exec plugins that ask for it.
    private static JsonObject ClusterInfo(ClusterEndpoint cluster, string? proxy)
    {
        static JsonNode? Text(string? value) => string.IsNullOrEmpty(value) ? null : value;
        var fields = new (string Key, JsonNode? Value)[]
        {
            ("server", cluster.Server), ("tls-server-name", Text(cluster.TlsServerName)), ("insecure-skip-tls-verify", cluster.SkipTlsVerify ? (JsonNode)true : null),
            ("certificate-authority-data", Text(cluster.CertificateAuthorityData)), ("proxy-url", Text(proxy)),
        };
        return new JsonObject(fields.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Key, f.Value)));
    }
}
