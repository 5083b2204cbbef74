using System.Reflection;

namespace AzMLK8s.Tests.Infrastructure;

/// <summary>Paths the build wrote into the test assembly: the repository, the built module folder, the probe.</summary>
public static class BuildLayout
{
    public static string RepoRoot => Metadata("RepoRoot");

    /// <summary>out/AzMLK8s/&lt;version&gt;/, produced by building the solution.</summary>
    public static string ModuleFolder => Metadata("ModuleFolder");

    public static string IsolationProbe => Metadata("IsolationProbe");

    /// <summary>The module folder, or a failure that says how to produce it.</summary>
    public static string RequireModuleFolder()
    {
        var folder = ModuleFolder;
        Assert.True(
            File.Exists(Path.Combine(folder, "AzMLK8s.dll")),
            $"The module folder {folder} has not been built. Run 'dotnet build AzMLK8s.sln' first.");
        return folder;
    }

    private static string Metadata(string key) =>
        typeof(BuildLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly has no {key} metadata.");
}
