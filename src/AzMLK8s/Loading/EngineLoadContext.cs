using System.Reflection;
using System.Runtime.Loader;

namespace AzMLK8s.Loading;

/// <summary>
/// The load context that holds AzMLK8s.Engine and its dependencies (Azure.Core, Azure.Identity, MSAL, YamlDotNet,
/// and the System.* versions they need), read from the module's Dependencies folder. Other modules in the same
/// PowerShell session keep whatever versions they loaded into the default context.
/// </summary>
internal sealed class EngineLoadContext : AssemblyLoadContext
{
    public const string EngineAssemblyName = "AzMLK8s.Engine";

    // Shared with the default context: the types that cross between cmdlets and engine live here.
    private static readonly string[] SharedAssemblies = { "AzMLK8s.Model", "AzMLK8s", "System.Management.Automation" };

    private readonly string _dependencyDirectory;

    // Reads AzMLK8s.Engine.deps.json, so platform-specific builds under runtimes/<rid>/ win over portable ones.
    private readonly AssemblyDependencyResolver? _resolver;

    public EngineLoadContext(string dependencyDirectory)
        : base("AzMLK8s.Engine", isCollectible: false)
    {
        _dependencyDirectory = dependencyDirectory;
        var engine = Path.Combine(dependencyDirectory, EngineAssemblyName + ".dll");
        _resolver = File.Exists(Path.ChangeExtension(engine, ".deps.json")) ? new AssemblyDependencyResolver(engine) : null;
    }

    public string DependencyDirectory => _dependencyDirectory;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || SharedAssemblies.Contains(assemblyName.Name, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var path = _resolver?.ResolveAssemblyToPath(assemblyName) ?? Path.Combine(_dependencyDirectory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver?.ResolveUnmanagedDllToPath(unmanagedDllName) ?? Path.Combine(_dependencyDirectory, unmanagedDllName);
        return File.Exists(path) ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }
}
