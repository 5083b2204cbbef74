using System.Text;
using AzMLK8s.Model;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace AzMLK8s.Engine.Kubernetes.Kubeconfig;

/// <summary>Reads kubeconfig documents from a file, from the KUBECONFIG variable (merged like kubectl) or from bytes.</summary>
internal static class KubeconfigReader
{
    public const string EnvironmentVariable = "KUBECONFIG";

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .IgnoreUnmatchedProperties()
        .Build();

    public static Kubeconfig ReadFile(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new ModuleErrorException(new ModuleError(KubernetesErrorIds.KubeconfigNotFound, ErrorKind.ObjectNotFound,
                $"The kubeconfig file '{fullPath}' does not exist.")
            {
                RecommendedAction = "Pass the path of an existing kubeconfig file, or get one with 'az aks get-credentials' or 'az connectedk8s proxy'.",
                TargetObject = fullPath,
            });
        }

        var kubeconfig = new Kubeconfig($"file '{fullPath}'");
        kubeconfig.Add(ParseFile(fullPath), Path.GetDirectoryName(fullPath)!);
        return kubeconfig;
    }

    /// <summary>
    /// The files listed in KUBECONFIG (joined with the OS path separator; missing files are skipped, as kubectl does),
    /// or ~/.kube/config when the variable is empty.
    /// </summary>
    public static Kubeconfig ReadFromEnvironment(string? kubeconfigVariable, string homeDirectory)
    {
        if (string.IsNullOrWhiteSpace(kubeconfigVariable))
        {
            return ReadFile(Path.Combine(homeDirectory, ".kube", "config"));
        }

        var paths = kubeconfigVariable
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var existing = paths.Where(File.Exists).ToArray();
        if (existing.Length == 0)
        {
            throw new ModuleErrorException(new ModuleError(KubernetesErrorIds.KubeconfigNotFound, ErrorKind.ObjectNotFound,
                $"None of the files listed in the {EnvironmentVariable} environment variable exists ({string.Join(Path.PathSeparator, paths)}).")
            {
                RecommendedAction = $"Fix the {EnvironmentVariable} environment variable or pass -KubeconfigPath.",
                TargetObject = EnvironmentVariable,
            });
        }

        var kubeconfig = new Kubeconfig($"{EnvironmentVariable} ({string.Join(Path.PathSeparator, existing)})");
        foreach (var path in existing)
        {
            kubeconfig.Add(ParseFile(path), Path.GetDirectoryName(path)!);
        }

        return kubeconfig;
    }

    /// <summary>A kubeconfig handed over in memory (from ARM); relative paths in it resolve against the current directory.</summary>
    public static Kubeconfig Read(byte[] content, string source)
    {
        var kubeconfig = new Kubeconfig(source);
        kubeconfig.Add(Parse(Encoding.UTF8.GetString(content), source), Environment.CurrentDirectory);
        return kubeconfig;
    }

    private static KubeconfigDocument ParseFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleErrorException(new ModuleError(KubernetesErrorIds.KubeconfigUnreadable, ErrorKind.ReadError,
                $"The kubeconfig file '{path}' could not be read: {e.Message}")
            {
                RecommendedAction = "Check that the file exists and that you may read it.",
                TargetObject = path,
                InnerException = e,
            });
        }

        return Parse(text, $"file '{path}'");
    }

    private static KubeconfigDocument Parse(string text, string source)
    {
        try
        {
            return Deserializer.Deserialize<KubeconfigDocument?>(text) ?? new KubeconfigDocument();
        }
        catch (YamlException e)
        {
            // The parser's own message can quote the document, which may hold credentials: report the position only.
            throw new ModuleErrorException(new ModuleError(KubernetesErrorIds.KubeconfigInvalid, ErrorKind.InvalidData,
                $"The kubeconfig in {source} is not valid YAML for a kubeconfig (line {e.Start.Line}, column {e.Start.Column}).")
            {
                RecommendedAction = "Check the file with 'kubectl config view'.",
                TargetObject = source,
            });
        }
    }
}
