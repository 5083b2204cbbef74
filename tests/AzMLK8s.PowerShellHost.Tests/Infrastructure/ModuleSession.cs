using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using AzMLK8s.Emulator.Hosting;

namespace AzMLK8s.PowerShellHost.Tests.Infrastructure;

/// <summary>
/// One PowerShell runspace with the built module imported (from out/AzMLK8s/&lt;version&gt;/, as users get it) and,
/// optionally, signed in to an emulator. Scripts run as a user types them; every stream is kept apart.
/// </summary>
public sealed class ModuleSession : IDisposable
{
    public const string CanaryToken = "canary-token-5d1e0b77-DO-NOT-PRINT";

    private ModuleSession(Runspace runspace, TestHost host)
    {
        Runspace = runspace;
        Host = host;
    }

    public Runspace Runspace { get; }

    public TestHost Host { get; }

    public static string ModuleManifest =>
        typeof(ModuleSession).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ModuleManifest").Value!;

    /// <summary>A runspace with the module imported and, when <paramref name="emulator"/> is given, signed in to it.</summary>
    public static ModuleSession Open(EmulatorServer? emulator = null, TestHost? host = null)
    {
        Assert.True(File.Exists(ModuleManifest), $"The module is not built: {ModuleManifest} is missing. Run 'dotnet build AzMLK8s.sln -c Release'.");
        host ??= new TestHost();
        var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
        runspace.Open();
        var session = new ModuleSession(runspace, host);
        session.Run($"Import-Module '{ModuleManifest.Replace("'", "''", StringComparison.Ordinal)}' -ErrorAction Stop").ThrowIfFailed();
        if (emulator is not null)
        {
            session.SignIn(emulator);
        }

        return session;
    }

    /// <summary>Set-AzMLK8sContext to the emulator with the canary token.</summary>
    public void SignIn(EmulatorServer emulator) =>
        Run(
            "$null = Set-AzMLK8sContext -ArmEndpoint $endpoint -TrustedCertificateThumbprint $thumbprint -SubscriptionId $subscription " +
            "-AuthMethod AccessToken -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force)",
            ("endpoint", emulator.BaseAddress),
            ("thumbprint", emulator.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)),
            ("subscription", AzMLK8s.Emulator.State.EmulatorState.DefaultSubscriptionId),
            ("token", CanaryToken)).ThrowIfFailed();

    /// <summary>Runs <paramref name="script"/> to its end; variables are set in the session first.</summary>
    public ScriptResult Run(string script, params (string Name, object? Value)[] variables)
    {
        using var shell = Prepare(script, variables);
        return ScriptResult.Collect(shell, () => shell.Invoke());
    }

    /// <summary>Starts <paramref name="script"/> and returns at once; the caller may Stop() it.</summary>
    public RunningScript Start(string script, params (string Name, object? Value)[] variables)
    {
        var shell = Prepare(script, variables);
        return new RunningScript(shell);
    }

    public object? Variable(string name) => Runspace.SessionStateProxy.GetVariable(name);

    private PowerShell Prepare(string script, (string Name, object? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            Runspace.SessionStateProxy.SetVariable(name, value);
        }

        var shell = PowerShell.Create(Runspace);
        shell.AddScript(script);
        return shell;
    }

    public void Dispose() => Runspace.Dispose();
}

/// <summary>What a script did: its output and each stream, and the terminating error that ended it, if any.</summary>
public sealed class ScriptResult
{
    public required IReadOnlyList<PSObject> Output { get; init; }

    public required IReadOnlyList<ErrorRecord> Errors { get; init; }

    public required IReadOnlyList<WarningRecord> Warnings { get; init; }

    public required IReadOnlyList<VerboseRecord> Verbose { get; init; }

    public required IReadOnlyList<DebugRecord> Debug { get; init; }

    public required IReadOnlyList<InformationRecord> Information { get; init; }

    public required IReadOnlyList<ProgressRecord> Progress { get; init; }

    /// <summary>The exception that ended the script (a terminating error), or null.</summary>
    public Exception? Terminated { get; init; }

    /// <summary>The terminating error's record, when it carried one.</summary>
    public ErrorRecord? TerminatingError => (Terminated as IContainsErrorRecord)?.ErrorRecord;

    /// <summary>Every record and output object as text (for canary checks).</summary>
    public string AllText =>
        string.Join(
            "\n",
            Output.Select(o => o?.ToString() ?? string.Empty)
                .Concat(Errors.Select(e => $"{e} {e.FullyQualifiedErrorId} {e.ErrorDetails?.Message} {e.ErrorDetails?.RecommendedAction} {e.Exception}"))
                .Concat(Warnings.Select(w => w.Message))
                .Concat(Verbose.Select(v => v.Message))
                .Concat(Debug.Select(d => d.Message))
                .Concat(Information.Select(i => i.MessageData?.ToString() ?? string.Empty))
                .Concat(Progress.Select(p => $"{p.Activity} {p.StatusDescription} {p.CurrentOperation}"))
                .Append(Terminated?.ToString() ?? string.Empty));

    public ScriptResult ThrowIfFailed()
    {
        if (Terminated is not null || Errors.Count > 0)
        {
            throw new InvalidOperationException(
                $"The script failed: {Terminated?.Message ?? string.Empty} {string.Join("; ", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}"))}",
                Terminated);
        }

        return this;
    }

    /// <summary>The output's base objects of type <typeparamref name="T"/>, e.g. the module's types through dynamic access.</summary>
    public IReadOnlyList<object> BaseObjects => Output.Select(o => o.BaseObject).ToArray();

    internal static ScriptResult Collect(PowerShell shell, Func<ICollection<PSObject>> invoke)
    {
        ICollection<PSObject> output = Array.Empty<PSObject>();
        Exception? terminated = null;
        try
        {
            output = invoke();
        }
        catch (RuntimeException ex)
        {
            terminated = ex;
        }

        return new ScriptResult
        {
            Output = output.Where(o => o is not null).ToArray(),
            Errors = shell.Streams.Error.ToArray(),
            Warnings = shell.Streams.Warning.ToArray(),
            Verbose = shell.Streams.Verbose.ToArray(),
            Debug = shell.Streams.Debug.ToArray(),
            Information = shell.Streams.Information.ToArray(),
            Progress = shell.Streams.Progress.ToArray(),
            Terminated = terminated,
        };
    }
}

/// <summary>A script running in the background of the test, to be stopped or awaited.</summary>
public sealed class RunningScript : IDisposable
{
    private readonly PowerShell _shell;
    private readonly Task<ScriptResult> _completion;

    internal RunningScript(PowerShell shell)
    {
        _shell = shell;
        var input = new PSDataCollection<PSObject>();
        input.Complete();
        var handle = shell.BeginInvoke(input);
        _completion = Task.Run(() => ScriptResult.Collect(shell, () => shell.EndInvoke(handle)));
    }

    public PSInvocationStateInfo State => _shell.InvocationStateInfo;

    public PSDataStreams Streams => _shell.Streams;

    /// <summary>PowerShell's Ctrl+C: stops the pipeline and returns when it has stopped.</summary>
    public void Stop() => _shell.Stop();

    public Task<ScriptResult> Completion => _completion;

    public void Dispose() => _shell.Dispose();
}

/// <summary>An emulator for a test class, fast operations (IClassFixture).</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private EmulatorServer? _server;

    public EmulatorServer Server => _server ?? throw new InvalidOperationException("The emulator has not started.");

    public static EmulatorOptions FastOptions() => new()
    {
        OperationDuration = TimeSpan.FromMilliseconds(150),
        OperationRetryAfterSeconds = null,
        RegistrationDuration = TimeSpan.FromMilliseconds(150),
    };

    public async Task InitializeAsync() => _server = await EmulatorServer.StartAsync(FastOptions());

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>A fresh emulator and signed-in session per test, for tests that change state.</summary>
public abstract class SessionPerTest : IAsyncLifetime
{
    private EmulatorServer? _server;
    private ModuleSession? _session;

    protected EmulatorServer Server => _server ?? throw new InvalidOperationException("The emulator has not started.");

    protected ModuleSession Session => _session ?? throw new InvalidOperationException("The session has not opened.");

    protected AzMLK8s.Emulator.State.EmulatorState State => Server.State;

    protected static string AksId => ClusterId("Microsoft.ContainerService/managedClusters", "aks-demo");

    protected static string ArcId => ClusterId("Microsoft.Kubernetes/connectedClusters", "arc-demo");

    protected static string ClusterId(string type, string name) =>
        $"/subscriptions/{AzMLK8s.Emulator.State.EmulatorState.DefaultSubscriptionId}/resourceGroups/{AzMLK8s.Emulator.State.EmulatorState.DefaultResourceGroup}/providers/{type}/{name}";

    protected virtual EmulatorOptions Options() => EmulatorFixture.FastOptions();

    public virtual async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync(Options());
        _session = ModuleSession.Open(_server);
    }

    public virtual async Task DisposeAsync()
    {
        _session?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
