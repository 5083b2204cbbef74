using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace AzMLK8s.PowerShellHost.Tests.Infrastructure;

/// <summary>
/// A PowerShell host (the public PSHost extension point, as Azure Automation and IDEs implement it) that keeps what
/// the console would show (-WhatIf lines, Write-Host) and answers prompts from a script of answers. With no answer
/// queued, or <see cref="CanPrompt"/> false, a prompt fails as a host without a user does.
/// </summary>
public sealed class TestHost : PSHost
{
    private readonly TestHostUserInterface _ui;

    public TestHost()
    {
        _ui = new TestHostUserInterface(this);
    }

    public override string Name => "AzMLK8sTestHost";

    public override Version Version { get; } = new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override PSHostUserInterface UI => _ui;

    /// <summary>False: every prompt throws, as in a host that cannot ask (a runbook, a scheduled job).</summary>
    public bool CanPrompt { get; set; } = true;

    /// <summary>Answers to prompts, in order: a choice's label without the ampersand ("Yes", "No", "Yes to All", ...).</summary>
    public Queue<string> Answers { get; } = new();

    /// <summary>Every prompt asked (caption and message), in order.</summary>
    public List<(string Caption, string Message)> Prompts { get; } = new();

    /// <summary>
    /// Called with each prompt (caption, message) on the thread that asks it, before it is answered: a test may observe
    /// the world at that moment (what was already sent, which thread asks) and queue the answer to this prompt here.
    /// </summary>
    public Action<string, string>? OnPrompt { get; set; }

    /// <summary>What the host was asked to show (Write, WriteLine; -WhatIf's "What if:" lines land here).</summary>
    public List<string> Lines { get; } = new();

    public string Text
    {
        get
        {
            lock (Lines)
            {
                return string.Join("\n", Lines);
            }
        }
    }

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

    internal void Show(string text)
    {
        lock (Lines)
        {
            Lines.Add(text);
        }
    }

    internal int Answer(string caption, string message, Collection<ChoiceDescription> choices)
    {
        lock (Prompts)
        {
            Prompts.Add((caption, message));
        }

        OnPrompt?.Invoke(caption, message);
        if (!CanPrompt || !Answers.TryDequeue(out var answer))
        {
            throw new PSInvalidOperationException($"The test host cannot answer the prompt '{caption}: {message}'.");
        }

        for (var i = 0; i < choices.Count; i++)
        {
            if (string.Equals(choices[i].Label.Replace("&", string.Empty, StringComparison.Ordinal), answer, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"The prompt '{caption}' has no choice '{answer}'; it has {string.Join(", ", choices.Select(c => c.Label))}.");
    }
}

internal sealed class TestHostUserInterface : PSHostUserInterface
{
    private readonly TestHost _host;

    public TestHostUserInterface(TestHost host)
    {
        _host = host;
    }

    public override PSHostRawUserInterface RawUI { get; } = new TestRawUserInterface();

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
        _host.Answer(caption, message, choices);

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
        throw new PSInvalidOperationException($"The test host cannot read input for '{caption}'.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        throw new PSInvalidOperationException("The test host cannot read a credential.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
        throw new PSInvalidOperationException("The test host cannot read a credential.");

    public override string ReadLine() => throw new PSInvalidOperationException("The test host cannot read a line.");

    public override SecureString ReadLineAsSecureString() => throw new PSInvalidOperationException("The test host cannot read a line.");

    public override void Write(string value) => _host.Show(value);

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => _host.Show(value);

    public override void WriteLine(string value) => _host.Show(value);

    public override void WriteErrorLine(string value) => _host.Show(value);

    public override void WriteDebugLine(string message) => _host.Show("DEBUG: " + message);

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
    }

    public override void WriteVerboseLine(string message) => _host.Show("VERBOSE: " + message);

    public override void WriteWarningLine(string message) => _host.Show("WARNING: " + message);
}

internal sealed class TestRawUserInterface : PSHostRawUserInterface
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

    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new PSInvalidOperationException("The test host cannot read a key.");

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
