using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

// Usage: AzMLK8s.IsolationProbe <module folder> [isolated|kubernetes|removed|shared]
//   isolated: import the module as PowerShell does (module initializer), then call into the engine.
//   kubernetes: as isolated, in a session that first loaded and used another KubernetesClient (19.0.2) with its own
//             YamlDotNet and Fractions in the default context, as a module that talks to clusters would.
//   removed:  import, then remove the module (IModuleAssemblyCleanup) before the first engine call: the engine
//             must no longer resolve, proving the resolver was unhooked.
//   shared:   the control case: load the engine straight into the default context, as a module without
//             isolation would, and call into it. Expected to fail while the old Azure.Core is loaded.
// Prints "key: value" lines; exit code 0 when the engine call succeeded.
var moduleFolder = args[0];
var mode = args.Length > 1 ? args[1] : "isolated";

var oldAzureCore = Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, "old-azure-core", "Azure.Core.dll"));
Console.WriteLine($"default-context Azure.Core: {oldAzureCore.GetName().Version}");
if (mode == "kubernetes")
{
    // Loaded by path, dependencies first, then used: it reads a kubeconfig, which runs its YamlDotNet.
    var folder = Path.Combine(AppContext.BaseDirectory, "other-kubernetes-client");
    var other = new[] { "Fractions", "YamlDotNet", "KubernetesClient" }.Select(name => Assembly.LoadFrom(Path.Combine(folder, name + ".dll"))).Last();
    var configType = other.GetType("k8s.KubeConfigModels.K8SConfiguration", throwOnError: true)!;
    var deserialize = other.GetType("k8s.KubernetesYaml", throwOnError: true)!.GetMethods()
        .Single(m => m.Name == "Deserialize" && m.GetParameters() is [{ ParameterType: var first }, _] && first == typeof(string))
        .MakeGenericMethod(configType);
    var read = deserialize.Invoke(null, new object[] { "current-context: session\n", false })!;
    Console.WriteLine($"default-context KubernetesClient read a kubeconfig: {configType.GetProperty("CurrentContext")!.GetValue(read)}");
}

Console.WriteLine($"default-context before engine call: {DefaultContextVersions()}");

try
{
    if (mode is "isolated" or "kubernetes" or "removed")
    {
        var module = Assembly.LoadFrom(Path.Combine(moduleFolder, "AzMLK8s.dll"));
        var initializers = module.GetTypes().Where(t => typeof(IModuleAssemblyInitializer).IsAssignableFrom(t)).ToArray();
        Console.WriteLine($"module initializers: {initializers.Length}");
        foreach (var type in initializers)
        {
            ((IModuleAssemblyInitializer)Activator.CreateInstance(type)!).OnImport();
        }

        if (mode == "removed")
        {
            foreach (var type in module.GetTypes().Where(t => typeof(IModuleAssemblyCleanup).IsAssignableFrom(t)))
            {
                ((IModuleAssemblyCleanup)Activator.CreateInstance(type)!).OnRemove(null!);
            }
        }
    }
    else
    {
        Assembly.LoadFrom(Path.Combine(moduleFolder, "Dependencies", "AzMLK8s.Engine.dll"));
    }

    // Resolved by name from the default context, exactly as the cmdlets' references to engine types are.
    var engineInfo = Type.GetType("AzMLK8s.Engine.Diagnostics.EngineInfo, AzMLK8s.Engine", throwOnError: true)!;
    var describe = engineInfo.GetMethod("DescribeLoadedDependencies")!;
    foreach (var line in (IEnumerable<string>)describe.Invoke(null, null)!)
    {
        Console.WriteLine($"engine dependency: {line}");
    }

    var defaultAzureCore = AssemblyLoadContext.Default.Assemblies.Where(a => a.GetName().Name == "Azure.Core").Select(a => a.GetName().Version);
    Console.WriteLine($"default-context Azure.Core after engine call: {string.Join(", ", defaultAzureCore)}");
    Console.WriteLine($"default-context after engine call: {DefaultContextVersions()}");
    Console.WriteLine("engine call: succeeded");
    return 0;
}
catch (Exception ex)
{
    var root = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
    Console.WriteLine($"engine call: failed with {root.GetType().Name}: {root.Message}");
    return 1;
}

// The versions of the dependencies that clash between modules, as the default context holds them.
static string DefaultContextVersions() => string.Join(", ", AssemblyLoadContext.Default.Assemblies
    .Select(a => a.GetName())
    .Where(n => n.Name is "Azure.Core" or "KubernetesClient" or "YamlDotNet" or "Fractions")
    .OrderBy(n => n.Name, StringComparer.Ordinal)
    .Select(n => $"{n.Name} {n.Version}"));
