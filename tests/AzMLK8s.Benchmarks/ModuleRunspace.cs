using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Security.Cryptography;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Benchmarks;

/// <summary>
/// A runspace of the real PowerShell (Microsoft.PowerShell.SDK) with the built module imported from
/// out/AzMLK8s/&lt;version&gt;/ and signed in to an emulator, as a user's session is. Command lines run as typed.
/// </summary>
internal sealed class ModuleRunspace : IDisposable
{
    private readonly Runspace _runspace;

    private ModuleRunspace(Runspace runspace, AnsweringHost host)
    {
        _runspace = runspace;
        Host = host;
    }

    public AnsweringHost Host { get; }

    public static ModuleRunspace Open(EmulatorServer emulator)
    {
        var host = new AnsweringHost();
        var runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
        runspace.Open();
        var session = new ModuleRunspace(runspace, host);
        session.Run($"Import-Module '{Layout.ModuleManifest.Replace("'", "''", StringComparison.Ordinal)}' -ErrorAction Stop").ThrowIfFailed("Import-Module");
        session.Run(
            "$null = Set-AzMLK8sContext -ArmEndpoint $endpoint -TrustedCertificateThumbprint $thumbprint -SubscriptionId $subscription " +
            "-AuthMethod AccessToken -AccessToken ([System.Net.NetworkCredential]::new('', 'benchmark-token').SecurePassword)",
            ("endpoint", emulator.BaseAddress.ToString()),
            ("thumbprint", emulator.Certificate.GetCertHashString(HashAlgorithmName.SHA256)),
            ("subscription", EmulatorState.DefaultSubscriptionId)).ThrowIfFailed("Set-AzMLK8sContext");
        return session;
    }

    public void Set(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

    /// <summary>Runs <paramref name="script"/> to its end (the wall clock covers the Invoke); variables are set first.</summary>
    public PipelineRun Run(string script, params (string Name, object? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            Set(name, value);
        }

        using var shell = PowerShell.Create(_runspace);
        shell.AddScript(script);
        ICollection<PSObject> output = Array.Empty<PSObject>();
        Exception? terminated = null;
        var clock = Stopwatch.StartNew();
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException ex)
        {
            terminated = ex;
        }

        clock.Stop();
        return new PipelineRun(output.Where(o => o is not null).ToArray(), shell.Streams.Error.ToArray(), terminated, clock.Elapsed);
    }

    public void Dispose() => _runspace.Dispose();
}

/// <summary>What one command line did: its output, its error records and the terminating error that ended it.</summary>
internal sealed record PipelineRun(IReadOnlyList<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, Exception? Terminated, TimeSpan Wall)
{
    public int ErrorCount => Errors.Count + (Terminated is null ? 0 : 1);

    /// <summary>Every error as "FullyQualifiedErrorId: message", the terminating one too.</summary>
    public IEnumerable<string> Describe()
    {
        foreach (var error in Errors)
        {
            yield return $"{error.FullyQualifiedErrorId}: {error}";
        }

        if (Terminated is not null)
        {
            var record = (Terminated as IContainsErrorRecord)?.ErrorRecord;
            yield return $"{record?.FullyQualifiedErrorId ?? Terminated.GetType().Name} (terminating): {Terminated.Message}";
        }
    }

    public PipelineRun ThrowIfFailed(string what) =>
        ErrorCount == 0 ? this : throw new InvalidOperationException($"{what} failed: {string.Join("; ", Describe())}");
}

/// <summary>
/// A PowerShell host (the public PSHost extension point) for the benchmark's runspaces: a user who answers Yes to every
/// question, and a console nobody reads.
/// </summary>
internal sealed class AnsweringHost : PSHost
{
    private readonly AnsweringUserInterface _ui;

    public AnsweringHost()
    {
        _ui = new AnsweringUserInterface(this);
    }

    public override string Name => "AzMLK8sBenchmarkHost";

    public override Version Version { get; } = new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override PSHostUserInterface UI => _ui;

    private int _prompts;

    /// <summary>How many questions were answered.</summary>
    public int Prompts => Volatile.Read(ref _prompts);

    internal void Asked() => Interlocked.Increment(ref _prompts);

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }
}

internal sealed class AnsweringUserInterface : PSHostUserInterface
{
    private readonly AnsweringHost _host;

    public AnsweringUserInterface(AnsweringHost host)
    {
        _host = host;
    }

    public override PSHostRawUserInterface RawUI { get; } = new QuietRawUserInterface();

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        _host.Asked();
        for (var i = 0; i < choices.Count; i++)
        {
            if (string.Equals(choices[i].Label.Replace("&", string.Empty, StringComparison.Ordinal), "Yes", StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return defaultChoice;
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
        throw new PSInvalidOperationException($"The benchmark host cannot read input for '{caption}'.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        throw new PSInvalidOperationException("The benchmark host cannot read a credential.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
        throw new PSInvalidOperationException("The benchmark host cannot read a credential.");

    public override string ReadLine() => throw new PSInvalidOperationException("The benchmark host cannot read a line.");

    public override SecureString ReadLineAsSecureString() => throw new PSInvalidOperationException("The benchmark host cannot read a line.");

    public override void Write(string value)
    {
    }

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value)
    {
    }

    public override void WriteLine(string value)
    {
    }

    public override void WriteErrorLine(string value)
    {
    }

    public override void WriteDebugLine(string message)
    {
    }

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
    }

    public override void WriteVerboseLine(string message)
    {
    }

    public override void WriteWarningLine(string message)
    {
    }
}

internal sealed class QuietRawUserInterface : PSHostRawUserInterface
{
    public override ConsoleColor BackgroundColor { get; set; }

    public override Size BufferSize { get; set; } = new(200, 1000);

    public override Coordinates CursorPosition { get; set; }

    public override int CursorSize { get; set; }

    public override ConsoleColor ForegroundColor { get; set; }

    public override bool KeyAvailable => false;

    public override Size MaxPhysicalWindowSize => new(200, 1000);

    public override Size MaxWindowSize => new(200, 1000);

    public override Coordinates WindowPosition { get; set; }

    public override Size WindowSize { get; set; } = new(200, 50);

    public override string WindowTitle { get; set; } = string.Empty;

    public override void FlushInputBuffer()
    {
    }

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];

    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new PSInvalidOperationException("The benchmark host cannot read a key.");

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill)
    {
    }

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents)
    {
    }

    public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
    {
    }
}
