using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AzMLK8s.Cmdlets.Roles;

/// <summary>
/// Tab completion for -Role: the roles a compute typically needs. Any other role name or GUID is accepted too,
/// which a ValidateSet would forbid.
/// </summary>
public sealed class ComputeRoleCompleter : IArgumentCompleter
{
    internal static readonly (string Value, string Description)[] Suggestions =
    {
        ("AcrPull", "Pull images from an Azure Container Registry"),
        ("StorageBlobDataReader", "Read blobs (read-only data access)"),
        ("StorageBlobDataContributor", "Read and write blobs"),
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        return Complete(wordToComplete)
            .Select(s => new CompletionResult(s.Value, s.Value, CompletionResultType.ParameterValue, s.Description))
            .ToArray();
    }

    /// <summary>The suggestions that start with what was typed (quotes ignored).</summary>
    internal static IEnumerable<(string Value, string Description)> Complete(string? wordToComplete)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return Suggestions.Where(s => s.Value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
    }
}
