using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace AzMLK8s.Tests.Module;

/// <summary>The module folder the build lays out in out/AzMLK8s/&lt;version&gt;/.</summary>
public sealed class ModuleFolderTests
{
    private static readonly string[] ForbiddenInDefaultContext = ["Azure.", "Microsoft.Identity.", "KubernetesClient", "YamlDotNet", "Fractions"];

    private static string Dependencies => Path.Combine(RepositoryPaths.BuiltModuleFolder, "Dependencies");

    [Fact]
    public void The_module_folder_holds_the_manifest_the_default_context_assemblies_the_views_the_help_and_the_license()
    {
        var folder = RepositoryPaths.BuiltModuleFolder;
        var files = Directory.GetFiles(folder, "*", SearchOption.TopDirectoryOnly).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(new[] { "AzMLK8s.Format.ps1xml", "AzMLK8s.Model.dll", "AzMLK8s.dll", "AzMLK8s.psd1", "LICENSE" }, files);
        Assert.True(File.Exists(Path.Combine(folder, "en-US", "about_AzMLK8s.help.txt")));
        Assert.True(File.Exists(Path.Combine(Dependencies, "AzMLK8s.Engine.dll")));
    }

    [Fact]
    public void En_US_holds_the_about_topic_and_the_cmdlet_help_built_from_docs_help_one_command_per_markdown_file()
    {
        var enUs = Path.Combine(RepositoryPaths.BuiltModuleFolder, "en-US");
        var files = Directory.GetFiles(enUs).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "AzMLK8s.dll-Help.xml", "about_AzMLK8s.help.txt" }, files);

        var maml = System.Xml.Linq.XDocument.Load(Path.Combine(enUs, "AzMLK8s.dll-Help.xml"));
        System.Xml.Linq.XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        var documented = maml.Descendants(command + "details").Select(d => d.Element(command + "name")!.Value).Order(StringComparer.Ordinal);
        var sources = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "docs", "help"), "*-*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(sources, documented);
        Assert.Equal(CmdletNamesInAssembly().Order(StringComparer.Ordinal), documented);
    }

    // Verb-Noun of every [Cmdlet] type in AzMLK8s.dll, read from attribute metadata (the reference assembly's attribute
    // classes carry no values outside PowerShell).
    private static IEnumerable<string> CmdletNamesInAssembly() =>
        typeof(AzMLK8s.Cmdlets.AzMLK8sCmdlet).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributesData().Where(a => a.AttributeType == typeof(System.Management.Automation.CmdletAttribute)))
            .Select(a => $"{a.ConstructorArguments[0].Value}-{a.ConstructorArguments[1].Value}");

    [Fact]
    public void Shipped_module_files_are_the_same_as_their_sources()
    {
        var folder = RepositoryPaths.BuiltModuleFolder;
        foreach (var source in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "module"), "*", SearchOption.AllDirectories))
        {
            var shipped = Path.Combine(folder, Path.GetRelativePath(Path.Combine(RepositoryPaths.Root, "module"), source));
            Assert.True(File.Exists(shipped), $"{shipped} is missing from the module folder.");
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(shipped));
        }
    }

    [Theory]
    [InlineData("AzMLK8s.dll")]
    [InlineData("AzMLK8s.Model.dll")]
    public void Assemblies_in_the_default_load_context_reference_no_Azure_MSAL_KubernetesClient_or_YamlDotNet_assembly(string file)
    {
        var references = AssemblyReferences.Of(Path.Combine(RepositoryPaths.BuiltModuleFolder, file));

        Assert.NotEmpty(references);
        Assert.DoesNotContain(references, name => ForbiddenInDefaultContext.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [Fact]
    public void Dependencies_holds_no_copy_of_the_shared_assemblies()
    {
        var names = Directory.GetFiles(Dependencies, "*.dll", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension).ToArray();

        Assert.DoesNotContain("AzMLK8s.Model", names);
        Assert.DoesNotContain("AzMLK8s", names);
        Assert.DoesNotContain("System.Management.Automation", names);
    }

    [Fact]
    public void Every_assembly_the_engine_needs_is_in_Dependencies_or_shared_with_PowerShell()
    {
        // Shared: the .NET runtime (PowerShell 7.4 runs on .NET 8, whose assemblies carry the same names as this
        // test's runtime), the module's default-context assemblies and PowerShell itself.
        var runtime = RuntimeEnvironment.GetRuntimeDirectory();
        var shared = new HashSet<string>(["AzMLK8s.Model", "System.Management.Automation", "netstandard", "mscorlib"], StringComparer.OrdinalIgnoreCase);
        var shipped = Directory.GetFiles(Dependencies, "*.dll").ToDictionary(f => Path.GetFileNameWithoutExtension(f), StringComparer.OrdinalIgnoreCase);

        var missing = shipped.Values
            .Where(AssemblyReferences.IsManagedAssembly)
            .SelectMany(file => AssemblyReferences.Of(file).Select(reference => (file: Path.GetFileName(file), reference)))
            .Where(r => !shipped.ContainsKey(r.reference) && !shared.Contains(r.reference) && !File.Exists(Path.Combine(runtime, r.reference + ".dll")))
            .Select(r => $"{r.file} -> {r.reference}")
            .ToArray();

        Assert.True(missing.Length == 0, "Dependencies/ lacks: " + string.Join(", ", missing));
        Assert.Contains("Azure.Core", shipped.Keys);
        Assert.Contains("YamlDotNet", shipped.Keys);
    }

    [Fact]
    public void A_linux_x64_build_carries_precompiled_images_of_the_engine_and_the_Kubernetes_libraries_per_dotnet_major_each_the_same_assembly_as_its_IL_copy()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            return; // Made only where crossgen2 runs (build/Module.targets, ModuleReadyToRun).
        }

        foreach (var framework in new[] { "net8.0", "net10.0" })
        {
            var folder = Path.Combine(Dependencies, "runtimes", "linux-x64", "lib", framework);
            foreach (var name in new[] { "AzMLK8s.Engine", "Azure.Core", "System.ClientModel", "KubernetesClient", "YamlDotNet", "Fractions" })
            {
                var image = Path.Combine(folder, name + ".dll");
                Assert.True(File.Exists(image), $"{image} is missing.");
                var (imageId, precompiled) = Identity(image);
                var (ilId, _) = Identity(Path.Combine(Dependencies, name + ".dll"));
                Assert.True(precompiled, $"{image} has no ReadyToRun code.");
                Assert.Equal(ilId, imageId);
            }
        }
    }

    // Name, version and module version id (the build that made it), and whether the file has ReadyToRun code.
    private static (string Id, bool ReadyToRun) Identity(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var assembly = metadata.GetAssemblyDefinition();
        var mvid = metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
        return ($"{metadata.GetString(assembly.Name)} {assembly.Version} {mvid}", pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0);
    }
}
