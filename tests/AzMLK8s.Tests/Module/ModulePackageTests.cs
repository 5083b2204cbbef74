using System.IO.Compression;

namespace AzMLK8s.Tests.Module;

/// <summary>out/AzMLK8s.zip, the package Azure Automation imports.</summary>
public sealed class ModulePackageTests
{
    // Azure Automation rejects modules with file paths of 140 characters or more.
    private const int AutomationPathLimit = 140;

    private static ZipArchive OpenPackage()
    {
        Assert.True(File.Exists(RepositoryPaths.ModulePackage), $"{RepositoryPaths.ModulePackage} has not been built. Run: dotnet build AzMLK8s.sln -c Release");
        return ZipFile.OpenRead(RepositoryPaths.ModulePackage);
    }

    [Fact]
    public void The_zip_has_the_module_folder_at_its_root_with_the_manifest_directly_inside()
    {
        using var zip = OpenPackage();
        var files = zip.Entries.Where(e => e.Name.Length > 0).Select(e => e.FullName).ToArray();

        Assert.All(files, path => Assert.StartsWith("AzMLK8s/", path, StringComparison.Ordinal));
        Assert.Contains("AzMLK8s/AzMLK8s.psd1", files);
        Assert.Contains("AzMLK8s/AzMLK8s.dll", files);
        Assert.Contains("AzMLK8s/Dependencies/AzMLK8s.Engine.dll", files);
        Assert.DoesNotContain(files, path => path.StartsWith($"AzMLK8s/{RepositoryPaths.ModuleVersion}/", StringComparison.Ordinal));
    }

    [Fact]
    public void The_zip_holds_exactly_the_built_module_folder()
    {
        var folder = RepositoryPaths.BuiltModuleFolder;
        var built = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => "AzMLK8s/" + Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);
        using var zip = OpenPackage();

        Assert.Equal(built, zip.Entries.Where(e => e.Name.Length > 0).Select(e => e.FullName).Order(StringComparer.Ordinal));
        var manifest = zip.GetEntry("AzMLK8s/AzMLK8s.psd1")!;
        using var reader = new StreamReader(manifest.Open());
        Assert.Equal(File.ReadAllText(Path.Combine(folder, "AzMLK8s.psd1")), reader.ReadToEnd());
    }

    [Fact]
    public void Every_path_in_the_zip_is_shorter_than_Azure_Automation_allows()
    {
        using var zip = OpenPackage();

        var tooLong = zip.Entries.Where(e => e.FullName.Length >= AutomationPathLimit).Select(e => $"{e.FullName} ({e.FullName.Length})").ToArray();

        Assert.NotEmpty(zip.Entries);
        Assert.True(tooLong.Length == 0, "Paths of 140 characters or more: " + string.Join(", ", tooLong));
    }
}
