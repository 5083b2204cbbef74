using System.Reflection;
using AzMLK8s.Loading;

namespace AzMLK8s.Tests.Loading;

public sealed class EngineLoadContextTests : IDisposable
{
    private readonly string _dependencies = Path.Combine(Path.GetTempPath(), $"azmlk8s-deps-{Guid.NewGuid():N}");

    public EngineLoadContextTests()
    {
        Directory.CreateDirectory(_dependencies);
    }

    public void Dispose() => Directory.Delete(_dependencies, recursive: true);

    [Fact]
    public void A_build_for_this_operating_system_wins_over_the_portable_one()
    {
        var yaml = typeof(YamlDotNet.Serialization.Deserializer).Assembly;
        File.Copy(yaml.Location, Path.Combine(_dependencies, "YamlDotNet.dll"));
        var runtimeSpecific = Path.Combine(_dependencies, "runtimes", EngineLoadContext.RuntimeIdentifiers()[^1], "lib", "netstandard2.0");
        Directory.CreateDirectory(runtimeSpecific);
        File.Copy(yaml.Location, Path.Combine(runtimeSpecific, "YamlDotNet.dll"));

        var loaded = new EngineLoadContext(_dependencies).LoadFromAssemblyName(yaml.GetName());

        Assert.Equal(Path.Combine(runtimeSpecific, "YamlDotNet.dll"), loaded.Location);
    }

    [Fact]
    public void The_image_made_for_the_running_dotnet_major_wins_over_the_one_for_net8()
    {
        var yaml = typeof(YamlDotNet.Serialization.Deserializer).Assembly;
        var rid = Path.Combine(_dependencies, "runtimes", EngineLoadContext.RuntimeIdentifiers()[0], "lib");
        var running = Path.Combine(rid, $"net{Environment.Version.Major}.0");
        foreach (var folder in new[] { Path.Combine(rid, "net8.0"), running })
        {
            Directory.CreateDirectory(folder);
            File.Copy(yaml.Location, Path.Combine(folder, "YamlDotNet.dll"), overwrite: true);
        }

        var loaded = new EngineLoadContext(_dependencies).LoadFromAssemblyName(yaml.GetName());

        Assert.Equal(Path.Combine(running, "YamlDotNet.dll"), loaded.Location);
    }

    [Fact]
    public void Without_a_runtime_specific_build_the_portable_one_loads_into_the_engine_context()
    {
        var yaml = typeof(YamlDotNet.Serialization.Deserializer).Assembly;
        File.Copy(yaml.Location, Path.Combine(_dependencies, "YamlDotNet.dll"));
        var context = new EngineLoadContext(_dependencies);

        var loaded = context.LoadFromAssemblyName(yaml.GetName());

        Assert.Equal(Path.Combine(_dependencies, "YamlDotNet.dll"), loaded.Location);
        Assert.Same(context, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(loaded));
    }

    [Fact]
    public void The_types_shared_with_PowerShell_are_left_to_the_default_context()
    {
        File.Copy(typeof(AzMLK8s.Model.ModuleError).Assembly.Location, Path.Combine(_dependencies, "AzMLK8s.Model.dll"));

        var loaded = new EngineLoadContext(_dependencies).LoadFromAssemblyName(typeof(AzMLK8s.Model.ModuleError).Assembly.GetName());

        Assert.Same(typeof(AzMLK8s.Model.ModuleError).Assembly, loaded);
    }

    [Fact]
    public void A_System_assembly_the_runtime_carries_at_the_version_needed_is_the_runtimes_not_the_package_copy()
    {
        // The runtime's build is precompiled; the package copy in Dependencies/ would be compiled method by method.
        var json = typeof(System.Text.Json.JsonSerializer).Assembly;
        File.Copy(json.Location, Path.Combine(_dependencies, "System.Text.Json.dll"));

        var loaded = new EngineLoadContext(_dependencies).LoadFromAssemblyName(json.GetName());

        Assert.Same(json, loaded);
        Assert.Same(System.Runtime.Loader.AssemblyLoadContext.Default, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(loaded));
    }

    [Fact]
    public void A_System_assembly_newer_than_the_runtimes_or_not_part_of_it_comes_from_Dependencies()
    {
        var runtimeVersion = typeof(System.Text.Json.JsonSerializer).Assembly.GetName().Version!;

        Assert.True(EngineLoadContext.IsProvidedByRuntime(new AssemblyName($"System.Text.Json, Version={runtimeVersion}")));
        Assert.True(EngineLoadContext.IsProvidedByRuntime(new AssemblyName("System.Text.Json, Version=8.0.0.0")));
        Assert.False(EngineLoadContext.IsProvidedByRuntime(new AssemblyName($"System.Text.Json, Version={runtimeVersion.Major + 1}.0.0.0")));
        // Azure's own System.* packages are not part of the runtime, and nothing but System.* is ever taken from it.
        Assert.False(EngineLoadContext.IsProvidedByRuntime(new AssemblyName("System.ClientModel, Version=1.0.0.0")));
        Assert.False(EngineLoadContext.IsProvidedByRuntime(new AssemblyName("System.Memory.Data, Version=1.0.0.0")));
        Assert.False(EngineLoadContext.IsProvidedByRuntime(new AssemblyName("System.No.Such.Assembly, Version=1.0.0.0")));
        Assert.False(EngineLoadContext.IsProvidedByRuntime(new AssemblyName("Microsoft.Win32.Primitives, Version=1.0.0.0")));
        Assert.False(EngineLoadContext.IsProvidedByRuntime(new AssemblyName("Azure.Core, Version=1.0.0.0")));
    }

    [Fact]
    public void The_certificate_store_warm_up_starts_at_most_once_per_process()
    {
        CertificateStoreWarmUp.Start();

        Assert.False(CertificateStoreWarmUp.Start());
    }
}
