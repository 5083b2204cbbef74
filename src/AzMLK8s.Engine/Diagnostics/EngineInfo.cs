using System.Reflection;
using System.Runtime.Loader;

namespace AzMLK8s.Engine.Diagnostics;

/// <summary>Where the engine and its Azure dependencies were loaded from; shown by -Debug and used by the load-context test.</summary>
public static class EngineInfo
{
    private static readonly Type[] DependencyMarkers =
    {
        typeof(global::Azure.Core.Pipeline.HttpPipeline),
        typeof(global::Azure.Identity.DefaultAzureCredential),
        typeof(global::Azure.ResourceManager.ArmClient),
        typeof(global::YamlDotNet.Serialization.Deserializer),
    };

    public static string LoadContextName => AssemblyLoadContext.GetLoadContext(typeof(EngineInfo).Assembly)?.Name ?? "(none)";

    /// <summary>"Name Version [load context]" for the engine and each dependency it uses.</summary>
    public static IReadOnlyList<string> DescribeLoadedDependencies()
    {
        return new[] { typeof(EngineInfo).Assembly }
            .Concat(DependencyMarkers.Select(t => t.Assembly))
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
