using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace AzMLK8s.Loading;

/// <summary>
/// Runs when PowerShell imports the module: from then on, the first use of an engine type by a cmdlet loads
/// AzMLK8s.Engine into <see cref="EngineLoadContext"/>, and the engine's own references resolve there too.
/// Removing the module unhooks the resolver. On Linux, import also starts reading the system's trusted certificates in
/// the background (<see cref="CertificateStoreWarmUp"/>), which the first HTTPS request would otherwise wait for.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public const string DependencyFolderName = "Dependencies";

    private static readonly object Gate = new();
    private static EngineLoadContext? _context;
    private static bool _resolving;

    /// <summary>The engine's load context once the module has been imported; null in tests and tools.</summary>
    internal static EngineLoadContext? Context => _context;

    public void OnImport()
    {
        Install(DefaultDependencyDirectory());
        CertificateStoreWarmUp.Start();
    }

    public void OnRemove(PSModuleInfo psModuleInfo) => Uninstall();

    internal static void Install(string dependencyDirectory)
    {
        lock (Gate)
        {
            // Import-Module -Force removes the module (OnRemove) and imports it again: the context stays, the handler comes back.
            _context ??= new EngineLoadContext(dependencyDirectory);
            if (!_resolving)
            {
                AssemblyLoadContext.Default.Resolving += ResolveEngine;
                _resolving = true;
            }
        }
    }

    internal static void Uninstall()
    {
        lock (Gate)
        {
            AssemblyLoadContext.Default.Resolving -= ResolveEngine;
            _resolving = false;
        }
    }

    private static string DefaultDependencyDirectory() =>
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, DependencyFolderName);

    // Only the engine is routed from the default context; everything it needs is then found by its own context.
    private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name)
    {
        var context = _context;
        if (context is null || !string.Equals(name.Name, EngineLoadContext.EngineAssemblyName, StringComparison.Ordinal))
        {
            return null;
        }

        return context.LoadFromAssemblyName(name);
    }
}
