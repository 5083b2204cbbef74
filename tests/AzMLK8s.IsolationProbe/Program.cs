using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

// Usage: AzMLK8s.IsolationProbe <module folder> [isolated|removed|shared]
//   isolated: import the module as PowerShell does (module initializer), then call into the engine.
//   removed:  import, then remove the module (IModuleAssemblyCleanup) before the first engine call: the engine
//             must no longer resolve, proving the resolver was unhooked.
//   shared:   the control case: load the engine straight into the default context, as a module without
//             isolation would, and call into it. Expected to fail while the old Azure.Core is loaded.
// Prints "key: value" lines; exit code 0 when the engine call succeeded.
var moduleFolder = args[0];
var mode = args.Length > 1 ? args[1] : "isolated";

var oldAzureCore = Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, "old-azure-core", "Azure.Core.dll"));
Console.WriteLine($"default-context Azure.Core: {oldAzureCore.GetName().Version}");

try
{
    if (mode is "isolated" or "removed")
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
    Console.WriteLine("engine call: succeeded");
    return 0;
}
catch (Exception ex)
{
    var root = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
    Console.WriteLine($"engine call: failed with {root.GetType().Name}: {root.Message}");
    return 1;
}
