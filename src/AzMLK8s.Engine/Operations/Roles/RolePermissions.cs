using AzMLK8s.Engine.Azure.Wire;

namespace AzMLK8s.Engine.Operations.Roles;

/// <summary>
/// Whether the roles a principal holds permit everything a role it needs permits, the way Azure RBAC evaluates
/// permissions: an operation is allowed by an entry when one of its Actions matches and none of its NotActions does
/// (DataActions and NotDataActions alike). Operation patterns compare case-insensitively; '*' stands for any text.
/// So Owner ("*") includes Kubernetes Extension Contributor, but not Azure Relay Owner, whose data actions it lacks.
/// </summary>
internal static class RolePermissions
{
    public static bool Include(IEnumerable<RoleDefinitionPermission> held, IReadOnlyCollection<RoleDefinitionPermission> needed)
    {
        var entries = held.ToArray();
        return needed.All(n =>
            Allowed(entries, n.Actions, e => e.Actions, e => e.NotActions)
            && Allowed(entries, n.DataActions, e => e.DataActions, e => e.NotDataActions));
    }

    /// <summary>Whether every operation <paramref name="pattern"/> stands for also matches <paramref name="broader"/>.</summary>
    internal static bool Includes(string broader, string pattern) => Walk(broader, pattern, literalSecond: true);

    /// <summary>Whether some operation matches both patterns.</summary>
    internal static bool Overlap(string first, string second) => Walk(first, second, literalSecond: false);

    private static bool Allowed(
        RoleDefinitionPermission[] entries,
        List<string>? neededPatterns,
        Func<RoleDefinitionPermission, List<string>?> allows,
        Func<RoleDefinitionPermission, List<string>?> denies) =>
        (neededPatterns ?? new List<string>()).All(pattern => entries.Any(entry =>
            (allows(entry) ?? new List<string>()).Any(allowed => Includes(allowed, pattern))
            && !(denies(entry) ?? new List<string>()).Any(denied => Overlap(denied, pattern))));

    /// <summary>
    /// Matches two patterns against each other. With <paramref name="literalSecond"/>, only the first one's '*' is a
    /// wildcard and the second one's '*' must fall inside it (inclusion); otherwise both are (overlap).
    /// </summary>
    private static bool Walk(string first, string second, bool literalSecond)
    {
        var memo = new bool?[first.Length + 1, second.Length + 1];
        return Step(0, 0);

        bool Step(int i, int j)
        {
            if (memo[i, j] is { } known)
            {
                return known;
            }

            bool result;
            if (i == first.Length && j == second.Length)
            {
                result = true;
            }
            else if (i < first.Length && first[i] == '*')
            {
                result = Step(i + 1, j) || (j < second.Length && Step(i, j + 1));
            }
            else if (!literalSecond && j < second.Length && second[j] == '*')
            {
                result = Step(i, j + 1) || (i < first.Length && Step(i + 1, j));
            }
            else
            {
                result = i < first.Length && j < second.Length && second[j] != '*'
                    && char.ToUpperInvariant(first[i]) == char.ToUpperInvariant(second[j])
                    && Step(i + 1, j + 1);
            }

            memo[i, j] = result;
            return result;
        }
    }
}
