using System.Reflection;
using System.Runtime.Loader;

namespace AzMLK8s.Loading;

/// <summary>
/// The load context that holds AzMLK8s.Engine and its dependencies (Azure.Core, Azure.Identity, MSAL, YamlDotNet,
/// and the System.* versions they need), read from the module's Dependencies folder. Other modules in the same
/// PowerShell session keep whatever versions they loaded into the default context.
/// A System.* assembly that the runtime itself provides at the version the engine needs or newer (System.Text.Json
/// 10.0 on .NET 10) is the runtime's, as it would be for any application: that build is precompiled (ReadyToRun),
/// whereas the package copy in Dependencies/ is IL only and costs a JIT compile of every method on first use. On an
/// older runtime (PowerShell 7.4 is .NET 8) the package copy loads into this context as before.
/// </summary>
internal sealed class EngineLoadContext : AssemblyLoadContext
{
    public const string EngineAssemblyName = "AzMLK8s.Engine";

    // Shared with the default context: the types that cross between cmdlets and engine live here.
    private static readonly string[] SharedAssemblies = { "AzMLK8s.Model", "AzMLK8s", "System.Management.Automation" };

    // Package builds for one operating system sit under runtimes/<rid>/lib/<framework>/, best match first. The
    // module's own ReadyToRun images sit there too, one folder per .NET major (runtimes/linux-x64/lib/net10.0/): the
    // running .NET's comes first, as a runtime ignores the precompiled code of an image made for another major.
    internal static readonly string[] FrameworkPreference = new[] { $"net{Environment.Version.Major}.0", "net8.0", "net7.0", "net6.0", "netcoreapp3.1", "netstandard2.1", "netstandard2.0" }
        .Distinct(StringComparer.Ordinal)
        .ToArray();

    // Azure SDK packages named System.*: never taken from elsewhere, whatever another module brought.
    private static readonly string[] IsolatedSystemPackages = { "System.ClientModel", "System.Memory.Data" };

    // What the default context resolves by name without asking anyone: the runtime's assemblies and PowerShell's own
    // (the trusted platform assemblies), file name -> path.
    private static readonly Lazy<Dictionary<string, string>> TrustedPlatformAssemblies = new(ReadTrustedPlatformAssemblies);

    private readonly string _dependencyDirectory;

    public EngineLoadContext(string dependencyDirectory)
        : base("AzMLK8s.Engine", isCollectible: false)
    {
        _dependencyDirectory = dependencyDirectory;
    }

    public string DependencyDirectory => _dependencyDirectory;

    /// <summary>The runtime identifiers whose builds fit this machine, most specific first.</summary>
    internal static IReadOnlyList<string> RuntimeIdentifiers()
    {
        var family = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var architecture = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        var identifiers = new List<string> { $"{family}-{architecture}", family };
        if (!OperatingSystem.IsWindows())
        {
            identifiers.Add("unix");
        }

        return identifiers;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || SharedAssemblies.Contains(assemblyName.Name, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        // Most of the engine's references are the runtime's own (System.Runtime, System.Net.Http...), with no copy here.
        var path = FindFile(assemblyName.Name + ".dll", "lib");
        return path is null || IsProvidedByRuntime(assemblyName) ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = FindFile(unmanagedDllName, "native");
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    /// <summary>
    /// Whether the runtime carries <paramref name="assemblyName"/> (a System.* assembly of its own) among the trusted
    /// platform assemblies at that version or newer, so that the default context binds it to the runtime's build.
    /// </summary>
    internal static bool IsProvidedByRuntime(AssemblyName assemblyName)
    {
        if (assemblyName.Name is not { } name
            || !name.StartsWith("System.", StringComparison.Ordinal)
            || IsolatedSystemPackages.Contains(name, StringComparer.OrdinalIgnoreCase)
            || !TrustedPlatformAssemblies.Value.TryGetValue(name, out var path))
        {
            return false;
        }

        try
        {
            var available = AssemblyName.GetAssemblyName(path).Version;
            return available is not null && (assemblyName.Version is null || available >= assemblyName.Version);
        }
        catch (Exception ex) when (ex is BadImageFormatException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static Dictionary<string, string> ReadTrustedPlatformAssemblies()
    {
        var paths = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            byName.TryAdd(Path.GetFileNameWithoutExtension(path), path);
        }

        return byName;
    }

    /// <summary>A build for this operating system wins over the portable one in the folder itself.</summary>
    private string? FindFile(string fileName, string assetKind)
    {
        foreach (var runtime in RuntimeIdentifiers())
        {
            var assetDirectory = Path.Combine(_dependencyDirectory, "runtimes", runtime, assetKind);
            if (!Directory.Exists(assetDirectory))
            {
                continue;
            }

            var candidates = assetKind == "native"
                ? new[] { Path.Combine(assetDirectory, fileName) }
                : FrameworkPreference.Select(framework => Path.Combine(assetDirectory, framework, fileName));
            var match = candidates.FirstOrDefault(File.Exists);
            if (match is not null)
            {
                return match;
            }
        }

        var portable = Path.Combine(_dependencyDirectory, fileName);
        return File.Exists(portable) ? portable : null;
    }
}
