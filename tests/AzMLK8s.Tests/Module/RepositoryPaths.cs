using System.Xml.Linq;

namespace AzMLK8s.Tests.Module;

/// <summary>Where the sources and the built module live, found from the test's own folder.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);
    private static readonly Lazy<string> LazyModuleVersion = new(ReadModuleVersion);

    public static string Root => LazyRoot.Value;

    /// <summary>The version from Directory.Build.props, the one place it lives.</summary>
    public static string ModuleVersion => LazyModuleVersion.Value;

    public static string ManifestTemplate => Path.Combine(Root, "AzMLK8s.psd1");

    public static string FormatFile => Path.Combine(Root, "module", "AzMLK8s.Format.ps1xml");

    public static string AboutHelpFile => Path.Combine(Root, "module", "en-US", "about_AzMLK8s.help.txt");

    public static string ModulePackage => Path.Combine(Root, "out", "AzMLK8s.zip");

    /// <summary>out/AzMLK8s/&lt;version&gt;/ as the build lays it out; fails with the command that makes it.</summary>
    public static string BuiltModuleFolder
    {
        get
        {
            var folder = Path.Combine(Root, "out", "AzMLK8s", ModuleVersion);
            Assert.True(
                File.Exists(Path.Combine(folder, "AzMLK8s.psd1")),
                $"The module folder {folder} has not been built. Run: dotnet build AzMLK8s.sln -c Release");
            return folder;
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AzMLK8s.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No AzMLK8s.sln above {AppContext.BaseDirectory}.");
    }

    private static string ReadModuleVersion()
    {
        var props = XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
        return props.Descendants("ModuleVersion").Single().Value.Trim();
    }
}
