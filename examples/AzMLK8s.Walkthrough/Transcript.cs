using AzMLK8s.Cmdlets;
using AzMLK8s.Harness;
using AzMLK8s.Model;

namespace AzMLK8s.Walkthrough;

/// <summary>Runs cmdlets one after another in one session, printing each as a PowerShell prompt line with its objects.</summary>
internal sealed class Transcript
{
    private readonly TextWriter _out;
    private readonly FormatViews _views;
    private readonly ConsoleHost _host;

    public Transcript(TextWriter output, FormatViews views, bool verbose)
    {
        _out = output;
        _views = views;
        _host = new ConsoleHost(output, verbose);
    }

    /// <summary>Variables the transcript shows instead of long values (resource ids, tokens).</summary>
    public Dictionary<object, string> Variables { get; } = new();

    /// <summary>A line typed at the prompt that is not a module command (a variable, a comment).</summary>
    public void Prompt(string line)
    {
        _out.WriteLine();
        _out.WriteLine($"PS> {line}");
    }

    /// <summary>Runs <paramref name="cmdlet"/> (fed <paramref name="input"/> from the pipeline) and returns its output objects.</summary>
    public IReadOnlyList<object> Run(AzMLK8sCmdlet cmdlet, string? assignTo = null, (string Variable, IReadOnlyList<object> Objects)? input = null)
    {
        var boundByPipeline = input is { } piped && piped.Objects.Count > 0
            ? PipelineBinder.BindableParameters(CmdletDeclaration.From(cmdlet.GetType()), piped.Objects[0].GetType())
            : Array.Empty<string>();
        var line = CommandLine.Format(cmdlet, input?.Variable, Variables, boundByPipeline);
        _out.WriteLine();
        _out.WriteLine($"PS> {(assignTo is null ? string.Empty : assignTo + " = ")}{line}");

        var result = CmdletRunner.Run(cmdlet, _host, input?.Objects.ToArray() ?? Array.Empty<object>());
        var output = _host.TakeOutput();
        if (assignTo is null)
        {
            _out.Write(_views.Render(output));
        }
        else
        {
            _out.WriteLine($"PS> {assignTo}");
            _out.Write(_views.Render(output));
        }

        if (result.TerminatingError is { } error)
        {
            throw new WalkthroughStepFailed(line, error);
        }

        return output;
    }

    public int ErrorCount => _host.ErrorCount;
}

internal sealed class WalkthroughStepFailed : Exception
{
    public WalkthroughStepFailed(string commandLine, ModuleError error)
        : base($"'{commandLine}' failed: {error.ErrorId}: {error.Message}")
    {
    }
}
