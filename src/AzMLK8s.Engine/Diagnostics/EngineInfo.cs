using System.Reflection;
using System.Runtime.Loader;

namespace AzMLK8s.Engine.Diagnostics;

/// <summary>Where the engine and its Azure dependencies were loaded from; shown by -Debug and used by the load-context test.</summary>
public static class EngineInfo
{
    // The dependencies whose versions clash with other modules' in a PowerShell session.
    private static readonly string[] IsolatedDependencies =
    {
        "Azure.Core", "Azure.Identity", "Azure.ResourceManager", "Microsoft.Identity.Client", "KubernetesClient", "YamlDotNet", "Fractions", "System.ClientModel",
    };

    public static string LoadContextName => AssemblyLoadContext.GetLoadContext(typeof(EngineInfo).Assembly)?.Name ?? "(none)";

    /// <summary>"Name Version [load context]" for the engine and each dependency it uses.</summary>
    public static IReadOnlyList<string> DescribeLoadedDependencies()
    {
        // Touch Azure.Core's pipeline first: it is what fails to bind when an older Azure.Core shadows ours. Then read a
        // kubeconfig with KubernetesClient, which runs its YamlDotNet: what fails when another module's versions shadow ours.
        _ = typeof(global::Azure.Core.Pipeline.HttpPipeline).Assembly;
        _ = k8s.KubernetesClientConfiguration.BuildConfigFromConfigObject(k8s.KubernetesYaml.Deserialize<k8s.KubeConfigModels.K8SConfiguration>(
            "current-context: c\nclusters: [{name: k, cluster: {server: 'https://127.0.0.1:6443'}}]\ncontexts: [{name: c, context: {cluster: k}}]\n"));
        var engine = typeof(EngineInfo).Assembly;
        var context = AssemblyLoadContext.GetLoadContext(engine) ?? AssemblyLoadContext.Default;
        return IsolatedDependencies
            .Select(name => context.LoadFromAssemblyName(new AssemblyName(name)))
            .Prepend(engine)
            .Select(Describe)
            .ToArray();
    }

    private static string Describe(Assembly assembly)
    {
        var name = assembly.GetName();
        var context = AssemblyLoadContext.GetLoadContext(assembly)?.Name ?? "(none)";
        return $"{name.Name} {name.Version} [{context}]";
    }
}
