using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AzMLK8s.Cmdlets.Extensions;

/// <summary>
/// Tab completion for -ReleaseTrain: the public trains Stable and Preview. Any other train name (Microsoft's own tests
/// use staging) is accepted too, which a ValidateSet would forbid.
/// </summary>
public sealed class ReleaseTrainCompleter : IArgumentCompleter
{
    internal static readonly (string Value, string Description)[] Suggestions =
    {
        ("Stable", "The release train of general availability (the default)"),
        ("Preview", "Preview releases, before they reach Stable"),
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Complete(wordToComplete)
            .Select(s => new CompletionResult(s.Value, s.Value, CompletionResultType.ParameterValue, s.Description))
            .ToArray();

    /// <summary>The suggestions that start with what was typed (quotes ignored).</summary>
    internal static IEnumerable<(string Value, string Description)> Complete(string? wordToComplete)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return Suggestions.Where(s => s.Value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
    }
}
