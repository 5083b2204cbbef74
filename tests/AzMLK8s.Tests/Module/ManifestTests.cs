namespace AzMLK8s.Tests.Module;

public sealed class ManifestTests
{
    private static IReadOnlyDictionary<string, object?> Template =>
        PowerShellDataFile.ReadHashtable(File.ReadAllText(RepositoryPaths.ManifestTemplate));

    private static IReadOnlyDictionary<string, object?> Built =>
        PowerShellDataFile.ReadHashtable(File.ReadAllText(Path.Combine(RepositoryPaths.BuiltModuleFolder, "AzMLK8s.psd1")));

    private static IReadOnlyDictionary<string, object?> PSData(IReadOnlyDictionary<string, object?> manifest) =>
        (IReadOnlyDictionary<string, object?>)((IReadOnlyDictionary<string, object?>)manifest["PrivateData"]!)["PSData"]!;

    private static string[] Strings(object? value) => Assert.IsType<object?[]>(value).Cast<string>().ToArray();

    [Fact]
    public void CmdletsToExport_lists_exactly_the_cmdlets_in_AzMLK8s_dll()
    {
        var exported = Strings(Template["CmdletsToExport"]);
        var inDll = ModuleAssemblies.AllCmdlets.Select(c => c.Name).ToArray();

        Assert.True(
            exported.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(inDll.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase),
            $"AzMLK8s.psd1 CmdletsToExport must equal the cmdlets in AzMLK8s.dll.{Environment.NewLine}" +
            $"Missing from the manifest: {string.Join(", ", inDll.Except(exported, StringComparer.OrdinalIgnoreCase))}{Environment.NewLine}" +
            $"Not in the dll: {string.Join(", ", exported.Except(inDll, StringComparer.OrdinalIgnoreCase))}");
        Assert.Equal(exported.Length, exported.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void The_manifest_exports_nothing_but_cmdlets_and_never_uses_wildcards()
    {
        var manifest = Template;

        Assert.Empty(Strings(manifest["FunctionsToExport"]));
        Assert.Empty(Strings(manifest["VariablesToExport"]));
        Assert.Empty(Strings(manifest["AliasesToExport"]));
        Assert.DoesNotContain(Strings(manifest["CmdletsToExport"]), name => name.Contains('*', StringComparison.Ordinal));
    }

    [Fact]
    public void The_manifest_targets_PowerShell_7_4_Core_and_loads_the_cmdlet_assembly()
    {
        var manifest = Template;

        Assert.Equal("AzMLK8s.dll", manifest["RootModule"]);
        Assert.Equal(new[] { "Core" }, Strings(manifest["CompatiblePSEditions"]));
        Assert.Equal("7.4", manifest["PowerShellVersion"]);
        Assert.True(Guid.TryParse((string?)manifest["GUID"], out var guid) && guid != Guid.Empty, "GUID must be a real GUID.");
        foreach (var field in new[] { "Author", "CompanyName", "Copyright", "Description" })
        {
            Assert.False(string.IsNullOrWhiteSpace(manifest[field] as string), $"{field} must be filled in.");
        }
    }

    [Fact]
    public void Formats_and_types_to_process_name_files_that_ship_in_module_folder()
    {
        var manifest = Template;
        var listed = Strings(manifest["FormatsToProcess"]).Concat(Strings(manifest["TypesToProcess"])).ToArray();

        Assert.Contains("AzMLK8s.Format.ps1xml", listed);
        Assert.All(listed, file => Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "module", file)), $"module/{file} is listed in the manifest but does not exist."));
        var shipped = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "module"), "*.ps1xml").Select(Path.GetFileName);
        Assert.All(shipped, file => Assert.Contains(file, listed));
    }

    [Fact]
    public void PSData_carries_the_Gallery_tags_and_links()
    {
        var psData = PSData(Template);

        Assert.Equal(
            new[] { "PSEdition_Core", "Windows", "Linux", "MacOS", "Azure", "AzureML", "Kubernetes", "AKS", "Arc" },
            Strings(psData["Tags"]));
        Assert.All(Strings(psData["Tags"]), tag => Assert.DoesNotContain(' ', tag));
        foreach (var link in new[] { "ProjectUri", "LicenseUri" })
        {
            Assert.True(Uri.TryCreate(psData[link] as string, UriKind.Absolute, out var uri) && uri.Scheme == "https", $"{link} must be an https address.");
        }

        Assert.False(string.IsNullOrWhiteSpace(psData["ReleaseNotes"] as string));
    }

    [Fact]
    public void The_template_holds_no_version_and_the_built_manifest_gets_the_one_from_Directory_Build_props()
    {
        Assert.Equal("{{ModuleVersion}}", Template["ModuleVersion"]);

        var built = Built;

        Assert.Equal(RepositoryPaths.ModuleVersion, built["ModuleVersion"]);
        Assert.True(Version.TryParse(RepositoryPaths.ModuleVersion, out _), "ModuleVersion must be a plain version: PowerShell rejects anything else.");
        Assert.Equal(Strings(Template["CmdletsToExport"]), Strings(built["CmdletsToExport"]));
    }
}
