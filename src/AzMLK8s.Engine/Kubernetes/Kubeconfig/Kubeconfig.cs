namespace AzMLK8s.Engine.Kubernetes.Kubeconfig;

/// <summary>An entry of a kubeconfig together with the directory its relative file paths are resolved against.</summary>
internal readonly record struct KubeconfigEntry<T>(T Value, string BaseDirectory);

/// <summary>
/// One or more kubeconfig documents merged the way kubectl merges the files of KUBECONFIG: the first file that
/// names a cluster, context or user wins that name, and the first file that sets current-context wins it.
/// </summary>
internal sealed class Kubeconfig
{
    private readonly Dictionary<string, KubeconfigEntry<KubeconfigCluster>> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KubeconfigEntry<KubeconfigContext>> _contexts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KubeconfigEntry<KubeconfigUser>> _users = new(StringComparer.Ordinal);

    public Kubeconfig(string source)
    {
        Source = source;
    }

    /// <summary>Where the documents came from ("file /x", "KUBECONFIG (a:b)", "kubeconfig from Azure"), for messages.</summary>
    public string Source { get; }

    public string? CurrentContext { get; private set; }

    public IReadOnlyDictionary<string, KubeconfigEntry<KubeconfigCluster>> Clusters => _clusters;

    public IReadOnlyDictionary<string, KubeconfigEntry<KubeconfigContext>> Contexts => _contexts;

    public IReadOnlyDictionary<string, KubeconfigEntry<KubeconfigUser>> Users => _users;

    /// <summary>Adds a document with lower precedence than every document added before it.</summary>
    public void Add(KubeconfigDocument document, string baseDirectory)
    {
        if (CurrentContext is null && !string.IsNullOrEmpty(document.CurrentContext))
        {
            CurrentContext = document.CurrentContext;
        }

        AddFirstWins(_clusters, document.Clusters, c => c.Name, c => c.Cluster, baseDirectory);
        AddFirstWins(_contexts, document.Contexts, c => c.Name, c => c.Context, baseDirectory);
        AddFirstWins(_users, document.Users, u => u.Name, u => u.User, baseDirectory);
    }

    private static void AddFirstWins<TNamed, T>(
        Dictionary<string, KubeconfigEntry<T>> target,
        List<TNamed>? entries,
        Func<TNamed, string?> name,
        Func<TNamed, T?> value,
        string baseDirectory)
        where T : class
    {
        foreach (var entry in entries ?? new List<TNamed>())
        {
            var key = name(entry);
            var content = value(entry);
            if (!string.IsNullOrEmpty(key) && content is not null && !target.ContainsKey(key))
            {
                target[key] = new KubeconfigEntry<T>(content, baseDirectory);
            }
        }
    }
}
