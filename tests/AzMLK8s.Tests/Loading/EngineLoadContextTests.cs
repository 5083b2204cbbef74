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
}
