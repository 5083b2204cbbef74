using System.Diagnostics;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Security;

namespace AzMLK8s.ColdStartProbe;

/// <param name="ManagedIdentity">Signs in as a managed identity instead of with <paramref name="Token"/>: "" for the
/// system-assigned one, or a user-assigned identity's client id (the environment says where its token endpoint is).</param>
internal sealed record ProbeArguments(string ModuleFolder, Uri ArmEndpoint, string Thumbprint, string ClusterResourceId, SecureString Token, bool Trace, string? ManagedIdentity = null);

/// <summary>The probe's clock and what it prints. Touches no module type itself: those load only after the clock starts.</summary>
internal static class ColdStart
{
    public static int Run(ProbeArguments probe, long mainEntered)
    {
        // Created before the clock, like any listener a session would already have; it records the first request's
        // progress from the runtime's own HTTP telemetry without changing the handler chain the module builds.
        using var wire = new WireListener();

        // PowerShell resolves a binary module's own assemblies (here AzMLK8s.Model) from the module's folder.
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var candidate = Path.Combine(probe.ModuleFolder, name.Name + ".dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };

        // pwsh has System.Management.Automation loaded long before any module is imported.
        _ = typeof(IModuleAssemblyInitializer).Assembly;
        var loads = probe.Trace ? new AssemblyLoadRecorder() : null;

        var cpuAtStart = Environment.CpuUsage.TotalTime;
        var start = Stopwatch.GetTimestamp();
        var (module, cmdletCount) = Import(probe.ModuleFolder);
        var imported = Stopwatch.GetTimestamp();
        var session = ProbeSession.Run(module, probe);

        var first = wire.First;
        Line("timestamp main-entered", mainEntered);
        Line("timestamp start", start);
        Line("cmdlets found", cmdletCount);
        Phase("phase import (load AzMLK8s.dll + module initializer)", start, imported);
        Phase("phase engine first call (Set-AzMLK8sContext)", imported, session.ContextSet);
        Phase("phase connection (Get-AzMLK8sExtension up to the HTTP send)", session.ContextSet, first.RequestStart);
        Phase("phase first request (connect, TLS, headers on the wire)", first.RequestStart, first.RequestHeadersStart);
        Phase("  of which TLS handshake", first.HandshakeStart, first.HandshakeStop);
        Phase("cold start", start, first.RequestHeadersStart);
        // What the cold start cost in CPU (every thread of the process: JIT, warm-up, GC), which other work on a shared
        // machine does not stretch the way it stretches the wall-clock figure.
        Console.WriteLine(first.RequestHeadersStart == 0
            ? "cold start cpu time: (not reached)"
            : $"cold start cpu time: {(first.CpuAtHeadersStart - cpuAtStart).TotalMilliseconds:0.0} ms");
        Phase("cmdlet done (response read, output written)", start, session.Done);
        Line("requests sent", wire.RequestCount);
        Line("cmdlet output", session.OutputCount);
        Line("cmdlet errors", session.Errors.Count);
        foreach (var error in session.Errors)
        {
            Console.WriteLine($"cmdlet error: {error}");
        }

        var engine = AssemblyLoadContext.All.FirstOrDefault(c => c.Name == "AzMLK8s.Engine");
        Line("assemblies in the default context", AssemblyLoadContext.Default.Assemblies.Count());
        Line("assemblies in the engine context", engine?.Assemblies.Count() ?? 0);
        if (loads is not null)
        {
            foreach (var (at, name, context) in loads.Loads)
            {
                Console.WriteLine($"assembly load: {Milliseconds(start, at),8:0.0} ms  {name} [{context}]");
            }
        }

        // One GET to ARM; a managed identity's sign-in sends its own requests before it (the token endpoint's).
        var requestsAsExpected = probe.ManagedIdentity is null ? wire.RequestCount == 1 : wire.RequestCount >= 2;
        return requestsAsExpected && session.Errors.Count == 0 && first.RequestHeadersStart != 0 ? 0 : 1;
    }

    /// <summary>What Import-Module does with a binary module: load it, find its cmdlets, run its initializer.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Assembly Module, int Cmdlets) Import(string moduleFolder)
    {
        var module = Assembly.LoadFrom(Path.Combine(moduleFolder, "AzMLK8s.dll"));
        var cmdlets = 0;
        foreach (var type in module.GetExportedTypes())
        {
            if (type.GetCustomAttributes(typeof(CmdletAttribute), inherit: false).Length > 0)
            {
                cmdlets++;
            }

            if (!type.IsAbstract && typeof(IModuleAssemblyInitializer).IsAssignableFrom(type))
            {
                ((IModuleAssemblyInitializer)Activator.CreateInstance(type)!).OnImport();
            }
        }

        return (module, cmdlets);
    }

    private static void Phase(string name, long from, long to) =>
        Console.WriteLine(from == 0 || to == 0 ? $"{name}: (not reached)" : $"{name}: {Milliseconds(from, to):0.0} ms");

    private static void Line(string name, long value) => Console.WriteLine($"{name}: {value}");

    private static double Milliseconds(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
}

/// <summary>Every assembly load with its time and load context (--trace).</summary>
internal sealed class AssemblyLoadRecorder
{
    private readonly List<(long At, string Name, string Context)> _loads = new();

    public AssemblyLoadRecorder()
    {
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) =>
        {
            var at = Stopwatch.GetTimestamp();
            lock (_loads)
            {
                _loads.Add((at, $"{e.LoadedAssembly.GetName().Name} ({e.LoadedAssembly.Location})", AssemblyLoadContext.GetLoadContext(e.LoadedAssembly)?.Name ?? "?"));
            }
        };
    }

    public IReadOnlyList<(long At, string Name, string Context)> Loads
    {
        get
        {
            lock (_loads)
            {
                return _loads.ToArray();
            }
        }
    }
}
