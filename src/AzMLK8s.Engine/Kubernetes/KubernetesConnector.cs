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
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace AzMLK8s.Engine.Kubernetes;

/// <summary>
/// Creates a <see cref="KubernetesClient"/> from a kubeconfig (a file, the KUBECONFIG variable, or bytes from Azure).
/// The library reads the kubeconfig and builds its client (cluster, certificate authority, tls-server-name, token
/// and client-certificate users); the module adds what the library leaves out or does otherwise: the KUBECONFIG files
/// merged as kubectl merges them (missing ones skipped, relative paths against each file's folder), a cluster's
/// proxy-url, a user's tokenFile, exec plugins run by <see cref="ExecCredentialPlugin"/>, Entra ID tokens from the
/// module's Azure sign-in instead of kubelogin, and errors with the module's ErrorIds that never quote a credential.
/// </summary>
public static class KubernetesConnector
{
    public const string EnvironmentVariable = "KUBECONFIG";

    private static readonly string UserAgent = $"AzMLK8s/{typeof(KubernetesConnector).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}";

    /// <summary>
    /// Connects through a kubeconfig file, or, when <paramref name="kubeconfigPath"/> is null or empty, through the
    /// files of the KUBECONFIG environment variable (merged like kubectl) or ~/.kube/config.
    /// </summary>
    /// <param name="context">A context name; null uses the kubeconfig's current-context.</param>
    public static KubernetesClient FromKubeconfigFile(string? kubeconfigPath, string? context, ICmdletHost host, KubernetesClientOptions? options = null) =>
        string.IsNullOrEmpty(kubeconfigPath)
            ? FromEnvironment(Environment.GetEnvironmentVariable(EnvironmentVariable), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), context, host, options)
            : Connect(new[] { ReadFile(Path.GetFullPath(kubeconfigPath)) }, $"file '{Path.GetFullPath(kubeconfigPath)}'", context, host, options);

    /// <summary>Connects through a kubeconfig held in memory (for example one returned by Azure).</summary>
    /// <param name="source">Where it came from, for messages (never its content).</param>
    public static KubernetesClient FromKubeconfig(byte[] kubeconfig, string source, string? context, ICmdletHost host, KubernetesClientOptions? options = null) =>
        FromKubeconfig(kubeconfig, source, context, host, options, azureCredential: null);

    /// <summary>
    /// As <see cref="FromKubeconfig(byte[], string, string?, ICmdletHost, KubernetesClientOptions?)"/>, and a user that
    /// signs in with kubelogin or the 'azure' auth-provider gets its token from <paramref name="azureCredential"/>.
    /// </summary>
    /// <param name="wireHandler">Tests: a handler between the module's transport rules and the socket.</param>
    internal static KubernetesClient FromKubeconfig(byte[] kubeconfig, string source, string? context, ICmdletHost host, KubernetesClientOptions? options, TokenCredential? azureCredential, DelegatingHandler? wireHandler = null) =>
        Connect(new[] { Parse(Encoding.UTF8.GetString(kubeconfig), source, directory: null) }, source, context, host, options, azureCredential, wireHandler);

    /// <summary>
    /// The files listed in KUBECONFIG (joined with the OS path separator; missing files are skipped, as kubectl does),
    /// or ~/.kube/config when the variable is empty.
    /// </summary>
    internal static KubernetesClient FromEnvironment(string? kubeconfigVariable, string homeDirectory, string? context, ICmdletHost host, KubernetesClientOptions? options)
    {
        if (string.IsNullOrWhiteSpace(kubeconfigVariable))
        {
            var path = Path.Combine(homeDirectory, ".kube", "config");
            return Connect(new[] { ReadFile(path) }, $"file '{path}'", context, host, options);
        }

        var paths = kubeconfigVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToArray();
        var existing = paths.Where(File.Exists).ToArray();
        if (existing.Length == 0)
        {
            throw Invalid(KubernetesErrorIds.KubeconfigNotFound, ErrorKind.ObjectNotFound,
                $"None of the files listed in the {EnvironmentVariable} environment variable exists ({string.Join(Path.PathSeparator, paths)}).",
                $"Fix the {EnvironmentVariable} environment variable or pass -KubeconfigPath.", EnvironmentVariable);
        }

        return Connect(existing.Select(ReadFile).ToArray(), $"{EnvironmentVariable} ({string.Join(Path.PathSeparator, existing)})", context, host, options);
    }

    private static KubernetesClient Connect(IReadOnlyList<Kubeconfig> documents, string source, string? contextName, ICmdletHost host, KubernetesClientOptions? options,
        TokenCredential? azureCredential = null, DelegatingHandler? wireHandler = null)
    {
        options ??= new KubernetesClientOptions();
        var merged = Merge(documents);
        var config = merged.Config;
        var name = string.IsNullOrEmpty(contextName) ? config.CurrentContext : contextName;
        var available = config.Contexts.Any() ? string.Join(", ", config.Contexts.Select(c => c.Name).Order(StringComparer.Ordinal)) : "it has none";
        if (string.IsNullOrEmpty(name))
        {
            throw Invalid(KubernetesErrorIds.KubeconfigContextNotFound, ErrorKind.InvalidArgument, $"The kubeconfig from {source} has no current-context and no context was named.",
                $"Name a context ({available}) or set one with 'kubectl config use-context <name>'.", source);
        }

        var context = config.Contexts.FirstOrDefault(c => c.Name == name)
            ?? throw Invalid(KubernetesErrorIds.KubeconfigContextNotFound, ErrorKind.ObjectNotFound, $"The kubeconfig from {source} has no context '{name}'.", $"Use one of its contexts: {available}.", name);
        var details = context.ContextDetails ??= new ContextDetails();
        var cluster = config.Clusters.FirstOrDefault(c => c.Name == details.Cluster)?.ClusterEndpoint;
        if (string.IsNullOrWhiteSpace(cluster?.Server))
        {
            throw Invalid(KubernetesErrorIds.KubeconfigInvalid, ErrorKind.InvalidData,
                $"The context '{name}' in the kubeconfig from {source} refers to cluster '{details.Cluster}', which is missing or has no server.", "Fix the kubeconfig or get fresh credentials for the cluster.", name);
        }

        var user = config.Users.FirstOrDefault(u => u.Name == details.User)?.UserCredentials;
        var userDescription = $"kubeconfig user '{details.User}'";
        merged.Proxies.TryGetValue(details.Cluster, out var proxy);
        var credential = ModuleCredential(user, merged.Users.GetValueOrDefault(details.User ?? string.Empty), userDescription, ClusterInfo(cluster, proxy), options, azureCredential, host);
        try
        {
            if (user is not null && (string.IsNullOrEmpty(user.ClientCertificateData) && string.IsNullOrEmpty(user.ClientCertificate)) != (string.IsNullOrEmpty(user.ClientKeyData) && string.IsNullOrEmpty(user.ClientKey)))
            {
                throw Invalid(KubernetesErrorIds.KubeconfigCredentialInvalid, ErrorKind.InvalidData, $"The {userDescription} has a client certificate or key without the other.",
                    "Give both client-certificate(-data) and client-key(-data), or neither.", userDescription);
            }

            // The library builds the cluster and a token or client-certificate user; a user it has nothing to take from
            // (anonymous, or one whose credential the module supplies) is left out of the context, which it would refuse.
            if (user is null || (string.IsNullOrEmpty(user.Token) && string.IsNullOrEmpty(user.ClientCertificateData) && string.IsNullOrEmpty(user.ClientCertificate)))
            {
                details.User = null;
            }
            else
            {
                user.ExternalExecution = null;
                user.AuthProvider = null;
            }

            var configuration = Build(config, name, source);
            configuration.TokenProvider = credential;
            configuration.HttpClientTimeout = Timeout.InfiniteTimeSpan; // each attempt has its own (KubernetesTransportHandler)
            configuration.UserAgent = UserAgent;
            configuration.FirstMessageHandlerSetup = handler =>
            {
                handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
                handler.Proxy = proxy is null ? null : new System.Net.WebProxy(proxy);
                handler.UseProxy = proxy is not null || handler.UseProxy;
                if (credential is ExecCredentialPlugin)
                {
                    // Chosen per handshake, so that a certificate the plugin refreshed is the one offered.
                    handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => credential.ClientCertificate!;
                }
            };
            var handlers = wireHandler is null ? new DelegatingHandler[] { new KubernetesTransportHandler(options, credential) } : new DelegatingHandler[] { new KubernetesTransportHandler(options, credential), wireHandler };
            var api = CreateApi(configuration, userDescription, handlers);
            if (configuration.SkipTlsVerify)
            {
                host.WriteWarning($"The kubeconfig context '{name}' sets insecure-skip-tls-verify: the identity of the API server {api.BaseUri} is not checked, so the connection could be intercepted.");
            }

            host.WriteVerbose($"Kubernetes: context '{name}' of {source}, cluster '{details.Cluster}' at {api.BaseUri}.");
            return new KubernetesClient(api, api.BaseUri, name, configuration.Namespace, options, credential);
        }
        catch
        {
            credential?.Dispose();
            throw;
        }
    }

    /// <summary>The module's credential for users the library does not serve as the module needs; null leaves the user to the library.</summary>
    private static KubernetesCredential? ModuleCredential(UserCredentials? user, KubeconfigExtras.Fields? extras, string userDescription, JsonObject clusterInfo,
        KubernetesClientOptions options, TokenCredential? azureCredential, ICmdletHost host)
    {
        if (user?.ExternalExecution is { } exec)
        {
            var plugin = new ExecCredentialPlugin(exec, extras?.Exec?.InteractiveMode, userDescription, options.ExecPluginTimeout, clusterInfo);
            if (azureCredential is null || !plugin.CommandName.Equals("kubelogin", StringComparison.OrdinalIgnoreCase))
            {
                return plugin;
            }

            var args = plugin.Arguments;
            var at = args.IndexOf("--server-id");
            var serverId = at >= 0 && at + 1 < args.Count ? args[at + 1] : args.FirstOrDefault(a => a.StartsWith("--server-id=", StringComparison.Ordinal))?["--server-id=".Length..];
            plugin.Dispose();
            host.WriteVerbose($"Kubernetes: {userDescription} uses kubelogin; using the Azure sign-in for application {serverId ?? EntraIdCredential.AksServerApplicationId} instead.");
            return new EntraIdCredential(azureCredential, serverId);
        }

        if (user?.AuthProvider is { } provider)
        {
            var azure = string.Equals(provider.Name, "azure", StringComparison.OrdinalIgnoreCase);
            return azure && azureCredential is not null
                ? new EntraIdCredential(azureCredential, provider.Config?.GetValueOrDefault("apiserver-id"))
                : throw Invalid(KubernetesErrorIds.KubeconfigAuthUnsupported, ErrorKind.NotImplemented, $"The {userDescription} uses the '{provider.Name}' auth-provider, which kubectl no longer supports.",
                    azure ? "Convert the kubeconfig to the exec format with 'kubelogin convert-kubeconfig -l azurecli', or let the module get the cluster's credentials from Azure."
                        : "Convert the kubeconfig to an exec credential plugin.", userDescription);
        }

        if (!string.IsNullOrEmpty(user?.UserName) || !string.IsNullOrEmpty(user?.Password))
        {
            throw Invalid(KubernetesErrorIds.KubeconfigAuthUnsupported, ErrorKind.NotImplemented, $"The {userDescription} uses basic authentication (username/password), which Kubernetes removed in 1.19.",
                "Use a token, a client certificate or an exec credential plugin.", userDescription);
        }

        return string.IsNullOrEmpty(user?.Token) && extras?.TokenFile is { Length: > 0 } tokenFile ? new TokenFileCredential(tokenFile) : null;
    }

    private static KubernetesClientConfiguration Build(K8SConfiguration config, string context, string source)
    {
        KubernetesClientConfiguration configuration;
        try
        {
            configuration = KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context);
        }
        catch (Exception e) when (e is KubeConfigException or FormatException or IOException or UnauthorizedAccessException or CryptographicException)
        {
            var reason = e switch
            {
                KubeConfigException => e.Message,
                FormatException => "a *-data field is not valid base64",
                CryptographicException => "its certificate authority could not be read",
                _ => $"a file it names could not be read ({e.GetType().Name})",
            };
            throw Invalid(KubernetesErrorIds.KubeconfigInvalid, ErrorKind.InvalidData, $"The context '{context}' of the kubeconfig from {source} cannot be used: {reason}.",
                "Fix the kubeconfig (check it with 'kubectl config view') or get fresh credentials for the cluster.", context);
        }

        return configuration.SslCaCerts is { Count: 0 }
            ? throw Invalid(KubernetesErrorIds.KubeconfigInvalid, ErrorKind.InvalidData, $"The certificate authority of the cluster in context '{context}' holds no PEM certificate.",
                "Fix the cluster's certificate-authority(-data) in the kubeconfig or get fresh credentials.", context)
            : configuration;
    }

    private static k8s.Kubernetes CreateApi(KubernetesClientConfiguration configuration, string userDescription, DelegatingHandler[] handlers)
    {
        try
        {
            return new k8s.Kubernetes(configuration, handlers);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or KubeConfigException or IOException or UnauthorizedAccessException)
        {
            // Never the PEM text: it holds the private key.
            throw Invalid(KubernetesErrorIds.KubeconfigCredentialInvalid, ErrorKind.InvalidData,
                $"The client certificate or key of {userDescription} could not be read. The certificate must be PEM and the key an RSA or EC private key in PEM (PKCS#1, SEC1 or PKCS#8) that matches it.",
                "Get fresh credentials for the cluster (for AKS: 'az aks get-credentials'), or fix client-certificate(-data) and client-key(-data) in the kubeconfig.", userDescription);
        }
    }

    // The Cluster object of client.authentication.k8s.io (ExecCredential spec.cluster), for exec plugins that ask for it.
    private static JsonObject ClusterInfo(ClusterEndpoint cluster, string? proxy)
    {
        var info = new JsonObject { ["server"] = cluster.Server };
        (string Key, JsonNode? Value)[] optional =
        {
            ("tls-server-name", cluster.TlsServerName), ("insecure-skip-tls-verify", cluster.SkipTlsVerify ? true : null),
            ("certificate-authority-data", cluster.CertificateAuthorityData), ("proxy-url", proxy),
        };
        foreach (var (key, value) in optional.Where(o => o.Value is not null && o.Value.ToString().Length > 0))
        {
            info[key] = value;
        }

        return info;
    }

    private static Kubeconfig ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw Invalid(KubernetesErrorIds.KubeconfigNotFound, ErrorKind.ObjectNotFound, $"The kubeconfig file '{path}' does not exist.",
                "Pass the path of an existing kubeconfig file, or get one with 'az aks get-credentials' or 'az connectedk8s proxy'.", path);
        }

        try
        {
            return Parse(File.ReadAllText(path), $"file '{path}'", Path.GetDirectoryName(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid(KubernetesErrorIds.KubeconfigUnreadable, ErrorKind.ReadError, $"The kubeconfig file '{path}' could not be read: {e.Message}",
                "Check that the file exists and that you may read it.", path);
        }
    }

    /// <param name="directory">The file's folder, which its relative paths are relative to (kubectl); null: the current directory.</param>
    private static Kubeconfig Parse(string yaml, string source, string? directory)
    {
        try
        {
            var document = new Kubeconfig(KubernetesYaml.Deserialize<K8SConfiguration>(yaml) ?? new K8SConfiguration(), KubernetesYaml.Deserialize<KubeconfigExtras>(yaml) ?? new KubeconfigExtras());
            if (directory is not null)
            {
                string? Full(string? path) => string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(directory, path));
                foreach (var cluster in document.Config.Clusters.Select(c => c.ClusterEndpoint).Where(c => c is not null))
                {
                    cluster.CertificateAuthority = Full(cluster.CertificateAuthority);
                }

                foreach (var user in document.Config.Users.Select(u => u.UserCredentials).Where(u => u is not null))
                {
                    (user.ClientCertificate, user.ClientKey) = (Full(user.ClientCertificate), Full(user.ClientKey));
                    if (user.ExternalExecution is { Command: { } command } exec && (command.Contains('/') || command.Contains(Path.DirectorySeparatorChar)))
                    {
                        exec.Command = Full(command);
                    }
                }

                foreach (var fields in (document.Extras.Users ?? []).Select(u => u.User).Where(u => u is not null))
                {
                    fields!.TokenFile = Full(fields.TokenFile);
                }
            }

            return document;
        }
        catch (YamlException e)
        {
            // The parser's own message can quote the document, which may hold credentials: report the position only.
            throw Invalid(KubernetesErrorIds.KubeconfigInvalid, ErrorKind.InvalidData,
                $"The kubeconfig in {source} is not valid YAML for a kubeconfig (line {e.Start.Line}, column {e.Start.Column}).", "Check the file with 'kubectl config view'.", source);
        }
    }

    /// <summary>kubectl's merge of the KUBECONFIG files: the first file that names a cluster, context or user wins that name, and the first current-context wins.</summary>
    private static MergedKubeconfig Merge(IReadOnlyList<Kubeconfig> documents)
    {
        static List<T> FirstWins<T>(IEnumerable<T> items, Func<T, string?> name) =>
            items.Where(i => !string.IsNullOrEmpty(name(i))).DistinctBy(name, StringComparer.Ordinal).ToList();

        var configs = documents.Select(d => d.Config).ToArray();
        var config = new K8SConfiguration
        {
            CurrentContext = configs.Select(c => c.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c)),
            Clusters = FirstWins(configs.SelectMany(c => c.Clusters ?? []), c => c.Name),
            Contexts = FirstWins(configs.SelectMany(c => c.Contexts ?? []), c => c.Name),
            Users = FirstWins(configs.SelectMany(c => c.Users ?? []), u => u.Name),
        };
        var clusters = FirstWins(documents.SelectMany(d => d.Extras.Clusters ?? []), e => e.Name);
        var users = FirstWins(documents.SelectMany(d => d.Extras.Users ?? []), e => e.Name);
        return new MergedKubeconfig(config,
            clusters.Where(e => e.Cluster?.ProxyUrl is { Length: > 0 }).ToDictionary(e => e.Name!, e => e.Cluster!.ProxyUrl!, StringComparer.Ordinal),
            users.Where(e => e.User is not null).ToDictionary(e => e.Name!, e => e.User!, StringComparer.Ordinal));
    }

    private static ModuleErrorException Invalid(string errorId, ErrorKind kind, string message, string action, object target) =>
        new(new ModuleError(errorId, kind, message) { RecommendedAction = action, TargetObject = target });

    private sealed record Kubeconfig(K8SConfiguration Config, KubeconfigExtras Extras);

    private sealed record MergedKubeconfig(K8SConfiguration Config, Dictionary<string, string> Proxies, Dictionary<string, KubeconfigExtras.Fields> Users);
}

/// <summary>The kubeconfig fields the library's model does not carry: a cluster's proxy-url, a user's tokenFile and exec.interactiveMode.</summary>
internal sealed class KubeconfigExtras
{
    public List<Named>? Clusters { get; set; }

    public List<Named>? Users { get; set; }

    internal sealed class Named
    {
        public string? Name { get; set; }

        public Fields? Cluster { get; set; }

        public Fields? User { get; set; }
    }

    internal sealed class Fields
    {
        [YamlMember(Alias = "proxy-url", ApplyNamingConventions = false)]
        public string? ProxyUrl { get; set; }

        public string? TokenFile { get; set; }

        public ExecFields? Exec { get; set; }
    }

    internal sealed class ExecFields
    {
        public string? InteractiveMode { get; set; }
    }
}
