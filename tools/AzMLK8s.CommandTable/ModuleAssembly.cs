using System.Reflection;
using System.Runtime.Loader;

namespace AzMLK8s.CommandTable;

/// <summary>
/// Loads a built AzMLK8s.dll for reading its metadata. Its references resolve from its own folder and the module's
/// Dependencies folder, as they would in an imported module; System.Management.Automation is the reference
/// assembly this tool ships with.
/// </summary>
internal static class ModuleAssembly
{
    public static Assembly Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"No module assembly at '{fullPath}'. Build first: dotnet build AzMLK8s.sln -c Release", fullPath);
        }

        var directory = Path.GetDirectoryName(fullPath)!;
        string[] probeDirectories = [directory, Path.Combine(directory, "Dependencies")];
        AssemblyLoadContext.Default.Resolving += (context, name) =>
            probeDirectories
                .Select(d => Path.Combine(d, name.Name + ".dll"))
                .Where(File.Exists)
                .Select(context.LoadFromAssemblyPath)
                .FirstOrDefault();
        return AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
    }
}
