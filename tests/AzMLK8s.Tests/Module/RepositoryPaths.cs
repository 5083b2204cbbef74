using System.Xml.Linq;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Module;

/// <summary>Where the module's sources and build output live (the roots come from <see cref="BuildLayout"/>).</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> LazyModuleVersion = new(ReadModuleVersion);

    public static string Root => BuildLayout.RepoRoot;

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
            var folder = BuildLayout.RequireModuleFolder();
            Assert.True(File.Exists(Path.Combine(folder, "AzMLK8s.psd1")), $"{folder} has no manifest. Run: dotnet build AzMLK8s.sln -c Release");
            return folder;
        }
    }

    private static string ReadModuleVersion()
    {
        var props = XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
        return props.Descendants("ModuleVersion").Single().Value.Trim();
    }
}
