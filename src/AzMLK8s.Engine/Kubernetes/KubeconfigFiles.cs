using AzMLK8s.Model;
using k8s.KubeConfigModels;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;
using static AzMLK8s.Engine.Kubernetes.Transport.KubernetesErrorMapper;

namespace AzMLK8s.Engine.Kubernetes;

/// <summary>
/// Kubeconfig documents read with the library's model and merged as kubectl merges the KUBECONFIG files: missing files
/// are skipped, the first file that names a cluster, context or user wins that name (and the first current-context
/// wins), and relative paths resolve against the folder of the file that holds them. The library's own merge throws
/// on a missing file and resolves every path against the first file's folder. Also read: the fields the library's
/// model does not carry (<see cref="Fields"/>).
/// </summary>
internal static class KubeconfigFiles
{
    public const string EnvironmentVariable = "KUBECONFIG";

    // The library's KubernetesYaml reads with the same settings, but its first use scans every type of the library for
    // its model map (a second, even on an idle machine): a kubeconfig needs none of that.
    private static readonly IDeserializer Yaml = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).IgnoreUnmatchedProperties().Build();

    public static Kubeconfig FromEnvironment(string? kubeconfigVariable, string homeDirectory)
    {
        if (string.IsNullOrWhiteSpace(kubeconfigVariable))
        {
            return Read(new[] { Path.Combine(homeDirectory, ".kube", "config") });
        }

        var paths = kubeconfigVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToArray();
        var existing = paths.Where(File.Exists).ToArray();
        return existing.Length > 0 ? Read(existing) with { Source = $"{EnvironmentVariable} ({string.Join(Path.PathSeparator, existing)})" }
            : throw Error(KubernetesErrorIds.KubeconfigNotFound, ErrorKind.ObjectNotFound,
                $"None of the files listed in the {EnvironmentVariable} environment variable exists ({string.Join(Path.PathSeparator, paths)}).",
                $"Fix the {EnvironmentVariable} environment variable or pass -KubeconfigPath.", EnvironmentVariable);
    }

    /// <summary>Full paths of files that must exist, merged in this order.</summary>
    public static Kubeconfig Read(IReadOnlyList<string> paths) => Merge(paths.Select(path =>
    {
        try
        {
            return File.Exists(path) ? Parse(File.ReadAllText(path), $"file '{path}'", Path.GetDirectoryName(path))
                : throw Error(KubernetesErrorIds.KubeconfigNotFound, ErrorKind.ObjectNotFound, $"The kubeconfig file '{path}' does not exist.",
                    "Pass the path of an existing kubeconfig file, or get one with 'az aks get-credentials' or 'az connectedk8s proxy'.", path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Error(KubernetesErrorIds.KubeconfigUnreadable, ErrorKind.ReadError, $"The kubeconfig file '{path}' could not be read: {e.Message}",
                "Check that the file exists and that you may read it.", path);
        }
    }).ToArray());

    /// <param name="directory">The file's folder, which its relative paths are relative to (kubectl); null: the current directory.</param>
    public static Kubeconfig Parse(string yaml, string source, string? directory)
    {
        (K8SConfiguration Config, Extras Extras) read;
        try
        {
            read = (Yaml.Deserialize<K8SConfiguration?>(yaml) ?? new(), Yaml.Deserialize<Extras?>(yaml) ?? new());
        }
        catch (YamlException e)
        {
            // The parser's own message can quote the document, which may hold credentials: report the position only.
            throw Error(KubernetesErrorIds.KubeconfigInvalid, ErrorKind.InvalidData,
                $"The kubeconfig in {source} is not valid YAML for a kubeconfig (line {e.Start.Line}, column {e.Start.Column}).", "Check the file with 'kubectl config view'.", source);
        }

        var (config, extras) = read;
        string? Full(string? path) => directory is null || string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(directory, path));
        var (clusters, users) = (config.Clusters ?? [], config.Users ?? []);
        foreach (var cluster in clusters.Select(c => c.ClusterEndpoint).OfType<ClusterEndpoint>())
        {
            cluster.CertificateAuthority = Full(cluster.CertificateAuthority);
        }

        foreach (var user in users.Select(u => u.UserCredentials).OfType<UserCredentials>())
        {
            (user.ClientCertificate, user.ClientKey) = (Full(user.ClientCertificate), Full(user.ClientKey));
            if (user.ExternalExecution is { Command: { } command } exec && (command.Contains('/') || command.Contains(Path.DirectorySeparatorChar)))
            {
                exec.Command = Full(command); // a bare name is looked up on PATH
            }
        }

        // Both reads keep the document's order: the n-th entry of each list is the same entry. The fields belong to the
        // library's Cluster and User objects, which the merge keeps or drops whole.
        var fields = new Dictionary<object, Fields>(ReferenceEqualityComparer.Instance);
        foreach (var (owner, entry) in clusters.Zip(extras.Clusters ?? [], (c, e) => ((object)c, e?.Cluster)).Concat(users.Zip(extras.Users ?? [], (u, e) => ((object)u, e?.User))))
        {
            if (entry is not null)
            {
                entry.TokenFile = Full(entry.TokenFile);
                fields[owner] = entry;
            }
        }

        return new Kubeconfig(config, source, fields);
    }

    private static Kubeconfig Merge(IReadOnlyList<Kubeconfig> documents)
    {
        static List<T> FirstWins<T>(IEnumerable<T> items, Func<T, string?> name) => items.Where(i => !string.IsNullOrEmpty(name(i))).DistinctBy(name, StringComparer.Ordinal).ToList();

        var configs = documents.Select(d => d.Config).ToArray();
        var config = new K8SConfiguration
        {
            CurrentContext = configs.Select(c => c.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c)),
            Clusters = FirstWins(configs.SelectMany(c => c.Clusters ?? []), c => c.Name),
            Contexts = FirstWins(configs.SelectMany(c => c.Contexts ?? []), c => c.Name),
            Users = FirstWins(configs.SelectMany(c => c.Users ?? []), u => u.Name),
        };
        return new Kubeconfig(config, string.Join(", ", documents.Select(d => d.Source)),
            documents.SelectMany(d => d.Extras).ToDictionary(e => e.Key, e => e.Value, ReferenceEqualityComparer.Instance));
    }

    /// <summary>A kubeconfig as the library reads it, and the <see cref="Fields"/> of its Cluster and User objects.</summary>
    public sealed record Kubeconfig(K8SConfiguration Config, string Source, Dictionary<object, Fields> Extras)
    {
        public Fields? FieldsOf(object? entry) => entry is not null && Extras.TryGetValue(entry, out var fields) ? fields : null;
    }

    /// <summary>The kubeconfig fields the library's model does not carry: a cluster's proxy-url, a user's tokenFile and exec.interactiveMode.</summary>
    internal sealed class Fields
    {
        [YamlMember(Alias = "proxy-url", ApplyNamingConventions = false)]
        public string? ProxyUrl { get; set; }

        public string? TokenFile { get; set; }

        public Fields? Exec { get; set; }

        public string? InteractiveMode { get; set; }
    }

    internal sealed class Extras
    {
        public List<Entry?>? Clusters { get; set; }

        public List<Entry?>? Users { get; set; }

        internal sealed class Entry
        {
            public Fields? Cluster { get; set; }

            public Fields? User { get; set; }
        }
    }
}
