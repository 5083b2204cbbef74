using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Security;
using AzMLK8s.Cmdlets;

namespace AzMLK8s.Harness;

/// <summary>
/// Shows a cmdlet object as the PowerShell command line that would bind the same parameters, so a transcript
/// says exactly what ran (derived from the object, never written by hand beside it).
/// </summary>
public static class CommandLine
{
    /// <param name="pipedFrom">The variable piped into the command, e.g. "$extension", or null.</param>
    /// <param name="variables">Values to show by variable name (e.g. a resource id shown as $aks).</param>
    public static string Format(AzMLK8sCmdlet cmdlet, string? pipedFrom = null, IReadOnlyDictionary<object, string>? variables = null, IEnumerable<string>? boundByPipeline = null)
    {
        var declaration = CmdletDeclaration.From(cmdlet.GetType());
        var skip = new HashSet<string>(boundByPipeline ?? Array.Empty<string>(), StringComparer.OrdinalIgnoreCase);
        var switches = cmdlet.SwitchesSetOutsidePowerShell;

        // A parameter left at the value a fresh cmdlet has was not given on the command line.
        var fresh = Activator.CreateInstance(cmdlet.GetType());
        var parts = new List<string> { declaration.Name };
        foreach (var parameter in declaration.Parameters.Where(p => !skip.Contains(p.Name)))
        {
            if (parameter.Type == typeof(SwitchParameter))
            {
                if (switches.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase))
                {
                    parts.Add($"-{parameter.Name}");
                }

                continue;
            }

            var value = parameter.Property.GetValue(cmdlet);
            if (value is null || Equals(value, parameter.Property.GetValue(fresh)))
            {
                continue;
            }

            parts.Add($"-{parameter.Name} {Literal(value, variables)}");
        }

        var command = string.Join(" ", parts);
        return pipedFrom is null ? command : $"{pipedFrom} | {command}";
    }

    private static string Literal(object value, IReadOnlyDictionary<object, string>? variables)
    {
        if (variables is not null && variables.TryGetValue(value, out var variable))
        {
            return variable;
        }

        return value switch
        {
            SecureString => "(Read-Host -AsSecureString)",
            string s => Quote(s),
            Uri u => Quote(u.ToString()),
            bool b => b ? "$true" : "$false",
            Enum e => e.ToString(),
            IDictionary d => "@{ " + string.Join("; ", d.Keys.Cast<object>().Select(k => $"{Quote(k.ToString()!)} = {Literal(d[k]!, variables)}")) + " }",
            IEnumerable sequence => string.Join(", ", sequence.Cast<object>().Select(v => Literal(v, variables))),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => Quote(value.ToString() ?? string.Empty),
        };
    }

    private static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':')
            ? text
            : "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
