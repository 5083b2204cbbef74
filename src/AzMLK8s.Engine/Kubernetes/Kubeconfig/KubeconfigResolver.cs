using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Azure.Core;
using AzMLK8s.Engine.Kubernetes.Authentication;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Engine.Kubernetes.Kubeconfig;

/// <summary>Turns a kubeconfig context (the current one or a named one) into a <see cref="KubernetesConnection"/>.</summary>
internal static class KubeconfigResolver
{
    public static KubernetesConnection Resolve(
        Kubeconfig kubeconfig,
        string? contextName,
        KubernetesClientOptions options,
        ICmdletHost host,
        TokenCredential? azureCredential = null)
    {
        var name = string.IsNullOrEmpty(contextName) ? kubeconfig.CurrentContext : contextName;
        if (string.IsNullOrEmpty(name))
        {
            throw Invalid(KubernetesErrorIds.KubeconfigContextNotFound, ErrorKind.InvalidArgument,
                $"The kubeconfig from {kubeconfig.Source} has no current-context and no context was named.",
                $"Name a context ({Available(kubeconfig)}) or set one with 'kubectl config use-context <name>'.", kubeconfig.Source);
        }

        if (!kubeconfig.Contexts.TryGetValue(name, out var context))
        {
            throw Invalid(KubernetesErrorIds.KubeconfigContextNotFound, ErrorKind.ObjectNotFound,
                $"The kubeconfig from {kubeconfig.Source} has no context '{name}'.",
                $"Use one of its contexts: {Available(kubeconfig)}.", name);
        }

        var clusterName = context.Value.Cluster ?? string.Empty;
        if (!kubeconfig.Clusters.TryGetValue(clusterName, out var cluster) || string.IsNullOrWhiteSpace(cluster.Value.Server))
        {
            throw Invalid(KubernetesErrorIds.KubeconfigInvalid, ErrorKind.InvalidData,
                $"The context '{name}' in the kubeconfig from {kubeconfig.Source} refers to cluster '{clusterName}', which is missing or has no server.",
                "Fix the kubeconfig or get fresh credentials for the cluster.", name);
        }

        var server = ParseServer(cluster.Value.Server!, name);
        var trusted = ReadCertificateAuthority(cluster, name);
        if (cluster.Value.InsecureSkipTlsVerify)
        {
            host.WriteWarning($"The kubeconfig context '{name}' sets insecure-skip-tls-verify: the identity of the API server {server} is not checked, so the connection could be intercepted.");
        }

        var userName = context.Value.User ?? string.Empty;
        var user = kubeconfig.Users.TryGetValue(userName, out var found)
            ? found
            : new KubeconfigEntry<KubeconfigUser>(new KubeconfigUser(), Environment.CurrentDirectory);
        var credential = CreateCredential(user, $"kubeconfig user '{userName}'", ExecClusterInfo(cluster.Value, server), options, azureCredential, host);

        host.WriteVerbose($"Kubernetes: context '{name}' of {kubeconfig.Source}, cluster '{clusterName}' at {server}.");
        return new KubernetesConnection
        {
            ContextName = name,
            Server = server,
            TrustedCertificates = trusted,
            InsecureSkipTlsVerify = cluster.Value.InsecureSkipTlsVerify,
            TlsServerName = string.IsNullOrEmpty(cluster.Value.TlsServerName) ? null : cluster.Value.TlsServerName,
            Proxy = string.IsNullOrEmpty(cluster.Value.ProxyUrl) ? null : new Uri(cluster.Value.ProxyUrl),
            DefaultNamespace = string.IsNullOrEmpty(context.Value.Namespace) ? null : context.Value.Namespace,
            Credential = credential,
        };
    }

    private static KubernetesCredential CreateCredential(
        KubeconfigEntry<KubeconfigUser> entry,
        string userDescription,
        JsonObject clusterInfo,
        KubernetesClientOptions options,
        TokenCredential? azureCredential,
        ICmdletHost host)
    {
        var user = entry.Value;
        if (user.Exec is { } exec)
        {
            var plugin = new ExecCredentialPlugin(exec, entry.BaseDirectory, userDescription, options.ExecPluginTimeout, clusterInfo);
            if (azureCredential is not null && plugin.CommandName.Equals("kubelogin", StringComparison.OrdinalIgnoreCase))
            {
                var serverId = ArgumentAfter(exec.Args, "--server-id");
                host.WriteVerbose($"Kubernetes: {userDescription} uses kubelogin; using the Azure sign-in for application {serverId ?? AzureAdKubernetesCredential.AksServerApplicationId} instead.");
                return new AzureAdKubernetesCredential(azureCredential, serverId);
            }

            return new ExecPluginKubernetesCredential(plugin, userDescription);
        }

        if (user.AuthProvider is { } provider)
        {
            if (azureCredential is not null && string.Equals(provider.Name, "azure", StringComparison.OrdinalIgnoreCase))
            {
                string? serverId = null;
                provider.Config?.TryGetValue("apiserver-id", out serverId);
                return new AzureAdKubernetesCredential(azureCredential, serverId);
            }

            throw Invalid(KubernetesErrorIds.KubeconfigAuthUnsupported, ErrorKind.NotImplemented,
                $"The {userDescription} uses the '{provider.Name}' auth-provider, which kubectl no longer supports.",
                string.Equals(provider.Name, "azure", StringComparison.OrdinalIgnoreCase)
                    ? "Convert the kubeconfig to the exec format with 'kubelogin convert-kubeconfig -l azurecli', or let the module get the cluster's credentials from Azure."
                    : "Convert the kubeconfig to an exec credential plugin.",
                userDescription);
        }

        if (!string.IsNullOrEmpty(user.Username) || !string.IsNullOrEmpty(user.Password))
        {
            throw Invalid(KubernetesErrorIds.KubeconfigAuthUnsupported, ErrorKind.NotImplemented,
                $"The {userDescription} uses basic authentication (username/password), which Kubernetes removed in 1.19.",
                "Use a token, a client certificate or an exec credential plugin.", userDescription);
        }

        var certificate = ReadClientCertificate(entry, userDescription);
        var tokenFile = string.IsNullOrEmpty(user.TokenFile) ? null : ResolvePath(user.TokenFile, entry.BaseDirectory);
        return new StaticKubernetesCredential(user.Token, tokenFile, certificate);
    }

    // The Cluster object of client.authentication.k8s.io (ExecCredential spec.cluster).
    private static JsonObject ExecClusterInfo(KubeconfigCluster cluster, Uri server)
    {
        var info = new JsonObject { ["server"] = server.AbsoluteUri.TrimEnd('/') };
        if (cluster.TlsServerName is { Length: > 0 } tlsServerName)
        {
            info["tls-server-name"] = tlsServerName;
        }

        if (cluster.InsecureSkipTlsVerify)
        {
            info["insecure-skip-tls-verify"] = true;
        }

        if (cluster.CertificateAuthorityData is { Length: > 0 } data)
        {
            info["certificate-authority-data"] = data;
        }

        if (cluster.ProxyUrl is { Length: > 0 } proxy)
        {
            info["proxy-url"] = proxy;
        }

        return info;
    }

    private static X509Certificate2? ReadClientCertificate(KubeconfigEntry<KubeconfigUser> entry, string userDescription)
    {
        var user = entry.Value;
        var certificatePem = user.ClientCertificateData is { Length: > 0 } certificateData
            ? ClientCertificateLoader.DecodeData(certificateData, "client-certificate-data", userDescription)
            : ReadOptionalFile(user.ClientCertificate, entry.BaseDirectory, userDescription);
        var keyPem = user.ClientKeyData is { Length: > 0 } keyData
            ? ClientCertificateLoader.DecodeData(keyData, "client-key-data", userDescription)
            : ReadOptionalFile(user.ClientKey, entry.BaseDirectory, userDescription);
        if (certificatePem is null && keyPem is null)
        {
            return null;
        }

        if (certificatePem is null || keyPem is null)
        {
            throw Invalid(KubernetesErrorIds.KubeconfigCredentialInvalid, ErrorKind.InvalidData,
                $"The {userDescription} has a client {(certificatePem is null ? "key" : "certificate")} but no client {(certificatePem is null ? "certificate" : "key")}.",
                "Give both client-certificate(-data) and client-key(-data), or neither.", userDescription);
        }

        return ClientCertificateLoader.FromPem(certificatePem, keyPem, userDescription);
    }

    private static X509Certificate2Collection? ReadCertificateAuthority(KubeconfigEntry<KubeconfigCluster> cluster, string contextName)
    {
        string? pem;
        string origin;
        if (cluster.Value.CertificateAuthorityData is { Length: > 0 } data)
        {
            origin = "certificate-authority-data";
            pem = ClientCertificateLoader.DecodeData(data, origin, $"the cluster of context '{contextName}'");
        }
        else if (cluster.Value.CertificateAuthority is { Length: > 0 } file)
        {
            origin = ResolvePath(file, cluster.BaseDirectory);
            pem = ReadOptionalFile(file, cluster.BaseDirectory, $"the cluster of context '{contextName}'");
        }
        else
        {
            return null;
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem!);
        }
        catch (CryptographicException)
        {
            certificates.Clear();
        }

        if (certificates.Count == 0)
        {
            throw Invalid(KubernetesErrorIds.KubeconfigInvalid, ErrorKind.InvalidData,
                $"The certificate authority of the cluster in context '{contextName}' ({origin}) holds no PEM certificate.",
                "Fix the cluster's certificate-authority(-data) in the kubeconfig or get fresh credentials.", contextName);
        }

        return certificates;
    }

    private static string? ReadOptionalFile(string? path, string baseDirectory, string owner)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        var fullPath = ResolvePath(path, baseDirectory);
        try
        {
            return File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Invalid(KubernetesErrorIds.KubeconfigCredentialInvalid, ErrorKind.ReadError,
                $"The file '{fullPath}' named by {owner} could not be read ({e.GetType().Name}).",
                "Check that the path in the kubeconfig exists and is readable.", fullPath);
        }
    }

    // kubectl resolves relative paths against the directory of the kubeconfig file that holds them.
    private static string ResolvePath(string path, string baseDirectory) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));

    private static Uri ParseServer(string server, string contextName)
    {
        if (Uri.TryCreate(server, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            // The API paths are appended to the server address, which may itself carry a path (a proxy, the emulator).
            return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
        }

        throw Invalid(KubernetesErrorIds.KubeconfigInvalid, ErrorKind.InvalidData,
            $"The server '{server}' of context '{contextName}' is not an http(s) address.",
            "Fix the cluster's server in the kubeconfig.", contextName);
    }

    private static string? ArgumentAfter(List<string>? args, string flag)
    {
        if (args is null)
        {
            return null;
        }

        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == flag && i + 1 < args.Count)
            {
                return args[i + 1];
            }

            if (args[i].StartsWith(flag + "=", StringComparison.Ordinal))
            {
                return args[i][(flag.Length + 1)..];
            }
        }

        return null;
    }

    private static string Available(Kubeconfig kubeconfig) =>
        kubeconfig.Contexts.Count == 0 ? "it has none" : string.Join(", ", kubeconfig.Contexts.Keys.Order(StringComparer.Ordinal));

    private static ModuleErrorException Invalid(string errorId, ErrorKind kind, string message, string action, object target) =>
        new(new ModuleError(errorId, kind, message) { RecommendedAction = action, TargetObject = target });
}
