using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using AzMLK8s.Engine.Operations.Completion;
using AzMLK8s.Host;
using AzMLK8s.Model.Clusters;

namespace AzMLK8s.Cmdlets.Completion;

/// <summary>
/// Tab completion of names that live in the signed-in subscription (beyond the Az modules, which complete only
/// resource groups): what the command line already holds narrows the list (-ResourceGroupName, -WorkspaceName,
/// -ClusterType). One ARM list call, a short time limit, cached per session; nothing on any failure.
/// </summary>
public abstract class LiveNameCompleter : IArgumentCompleter
{
    private protected abstract string Kind { get; }

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return LiveNames.Find(Kind, Text(fakeBoundParameters, "ResourceGroupName"), Text(fakeBoundParameters, "WorkspaceName"), Text(fakeBoundParameters, "ClusterType"))
            .Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(Quoted(name), name, CompletionResultType.ParameterValue, name))
            .ToArray();
    }

    private static string? Text(IDictionary bound, string name) =>
        bound.Contains(name) && bound[name] is { } value ? (value is PSObject ps ? ps.BaseObject : value).ToString() : null;

    // A name PowerShell would split or expand is completed in single quotes.
    private static string Quoted(string name) =>
        name.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.') ? name : "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'";
}

/// <summary>-ResourceGroupName: the resource groups of the subscription.</summary>
public sealed class ResourceGroupNameCompleter : LiveNameCompleter
{
    private protected override string Kind => nameof(CompletedName.ResourceGroup);
}

/// <summary>-ClusterName: the AKS and Arc clusters (of -ResourceGroupName, of -ClusterType when given).</summary>
public sealed class ClusterNameCompleter : LiveNameCompleter
{
    private protected override string Kind => nameof(CompletedName.Cluster);
}

/// <summary>-WorkspaceName: the Azure ML workspaces (of -ResourceGroupName when given).</summary>
public sealed class WorkspaceNameCompleter : LiveNameCompleter
{
    private protected override string Kind => nameof(CompletedName.Workspace);
}

/// <summary>A compute's -Name: the Kubernetes computes of -WorkspaceName in -ResourceGroupName.</summary>
public sealed class ComputeNameCompleter : LiveNameCompleter
{
    private protected override string Kind => nameof(CompletedName.Compute);
}

/// <summary>
/// The engine call behind the completers, kept out of the completer types so that loading them (with the cmdlets)
/// loads no engine assembly.
/// </summary>
internal static class LiveNames
{
    public static IReadOnlyList<string> Find(string kind, string? resourceGroupName, string? workspaceName, string? clusterType)
    {
        if (Runspace.DefaultRunspace is not { } runspace)
        {
            return Array.Empty<string>();
        }

        try
        {
            using var limit = new CancellationTokenSource(NameCompletion.TimeLimit + TimeSpan.FromSeconds(1));
            var host = new PipelineThreadHost(new CompletionHost(runspace, limit.Token));
            IReadOnlyList<string> names = Array.Empty<string>();
            var scope = new CompletionScope(
                resourceGroupName,
                workspaceName,
                Enum.TryParse<AzMLK8sClusterType>(clusterType, ignoreCase: true, out var type) ? type : null);
            host.Run(async () => names = await NameCompletion.NamesAsync(host, Enum.Parse<CompletedName>(kind), scope, host.Stopping).ConfigureAwait(false));
            return names;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Array.Empty<string>();
        }
    }
}
