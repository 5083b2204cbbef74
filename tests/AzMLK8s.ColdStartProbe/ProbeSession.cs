using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.ColdStartProbe;

/// <summary>What the session did (no module type in it: the clock's code must not load the module before it starts).</summary>
internal sealed record SessionOutcome(long ContextSet, long Done, int OutputCount, IReadOnlyList<string> Errors);

/// <summary>
/// The two commands of the session, run as PowerShell's command processor runs a cmdlet: parameters set,
/// BeginProcessing, ProcessRecord, EndProcessing, with the probe's own host in place of PowerShell's. The first use of
/// this class loads AzMLK8s.Model (from the module folder), so it is only reached after the clock started.
/// </summary>
internal static class ProbeSession
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static SessionOutcome Run(Assembly module, ProbeArguments probe)
    {
        var host = new ProbeHost();
        var subscriptionId = probe.ClusterResourceId.Split('/', StringSplitOptions.RemoveEmptyEntries)[1];

        // Set-AzMLK8sContext -ArmEndpoint <emulator> -TrustedCertificateThumbprint <pin> -SubscriptionId <id> -AccessToken <token>
        var context = new Dictionary<string, object>
        {
            ["ArmEndpoint"] = probe.ArmEndpoint,
            ["TrustedCertificateThumbprint"] = probe.Thumbprint,
            ["SubscriptionId"] = subscriptionId,
        };
        if (probe.ManagedIdentity is null)
        {
            context["AccessToken"] = probe.Token;
        }
        else
        {
            // Set-AzMLK8sContext ... -AuthMethod ManagedIdentity [-ManagedIdentityClientId <id>], as in a runbook.
            context["AuthMethod"] = "ManagedIdentity";
            if (probe.ManagedIdentity.Length > 0)
            {
                context["ManagedIdentityClientId"] = probe.ManagedIdentity;
            }
        }

        RunCmdlet(module, "AzMLK8s.Cmdlets.SetAzMLK8sContextCommand", host, context);
        var contextSet = Stopwatch.GetTimestamp();
        var contextOutput = host.OutputCount;

        // Get-AzMLK8sExtension -ClusterResourceId <id>: one GET of the cluster's extensions.
        RunCmdlet(module, "AzMLK8s.Cmdlets.Extensions.GetAzMLK8sExtensionCommand", host, new Dictionary<string, object>
        {
            ["ClusterResourceId"] = probe.ClusterResourceId,
        });
        var done = Stopwatch.GetTimestamp();
        return new SessionOutcome(contextSet, done, host.OutputCount - contextOutput, host.Errors.Select(e => e.ToString()).ToArray());
    }

    private static void RunCmdlet(Assembly module, string typeName, ProbeHost host, IReadOnlyDictionary<string, object> parameters)
    {
        var type = module.GetType(typeName, throwOnError: true)!;
        var cmdlet = Activator.CreateInstance(type)!;
        foreach (var (name, value) in parameters)
        {
            var property = type.GetProperty(name)!;
            property.SetValue(cmdlet, property.PropertyType.IsEnum && value is string text ? Enum.Parse(property.PropertyType, text) : value);
        }

        try
        {
            Call(type, "UseHost", cmdlet, host);
            Call(type, "BeginProcessing", cmdlet);
            Call(type, "ProcessRecord", cmdlet);
            Call(type, "EndProcessing", cmdlet);
        }
        catch (TerminatingErrorSignal)
        {
            // Recorded by the host.
        }
    }

    private static void Call(Type type, string method, object target, params object[] arguments)
    {
        try
        {
            type.GetMethod(method, Instance)!.Invoke(target, arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
        }
    }
}

/// <summary>Says yes to every question, keeps errors, counts output; nothing goes to the console while the clock runs.</summary>
internal sealed class ProbeHost : ICmdletHost
{
    private readonly List<ModuleError> _errors = new();
    private int _output;

    public int OutputCount => Volatile.Read(ref _output);

    public IReadOnlyList<ModuleError> Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToArray();
            }
        }
    }

    public CancellationToken Stopping => CancellationToken.None;

    public string CurrentDirectory => Environment.CurrentDirectory;

    public IDictionary<string, object?> Session { get; } = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);

    public void WriteObject(object item) => Interlocked.Increment(ref _output);

    public void WriteError(ModuleError error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }

    public void ThrowTerminatingError(ModuleError error)
    {
        WriteError(error);
        throw new TerminatingErrorSignal(error);
    }

    public void WriteWarning(string message)
    {
    }

    public void WriteVerbose(string message)
    {
    }

    public void WriteDebug(string message)
    {
    }

    public void WriteProgress(ProgressUpdate progress)
    {
    }

    public bool ShouldProcess(string target, string action) => true;

    public bool ShouldContinue(string query, string caption) => true;

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> InvokeCommand(string commandName, IReadOnlyDictionary<string, object?> parameters) =>
        throw new ModuleErrorException(new ModuleError("HostCommandNotFound", ErrorKind.ObjectNotFound, $"The command '{commandName}' is not available."));
}
