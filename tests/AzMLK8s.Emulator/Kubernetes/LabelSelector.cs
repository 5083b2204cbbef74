namespace AzMLK8s.Emulator.Kubernetes;

/// <summary>
/// A Kubernetes label selector: equality-based (a=b, a==b, a!=b) and set-based (a in (x,y), a notin (x), a, !a)
/// requirements separated by commas, all of which must hold.
/// </summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> _requirements;

    private LabelSelector(IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> requirements)
    {
        _requirements = requirements;
    }

    public static LabelSelector Everything { get; } = new(Array.Empty<Func<IReadOnlyDictionary<string, string>, bool>>());

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r(labels));

    /// <exception cref="FormatException">The selector is not valid.</exception>
    public static LabelSelector Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return Everything;
        }

        return new LabelSelector(SplitRequirements(selector).Select(ParseRequirement).ToArray());
    }

    // Commas separate requirements, except inside the parentheses of a set.
    private static IEnumerable<string> SplitRequirements(string selector)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            depth += selector[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (selector[i] == ',' && depth == 0)
            {
                yield return selector[start..i];
                start = i + 1;
            }
        }

        yield return selector[start..];
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string text)
    {
        var requirement = text.Trim();
        if (requirement.Length == 0)
        {
            throw new FormatException("empty requirement");
        }

        var words = requirement.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 2 && (words[1].StartsWith("in ", StringComparison.Ordinal) || words[1].StartsWith("in(", StringComparison.Ordinal)
            || words[1].StartsWith("notin", StringComparison.Ordinal)))
        {
            var key = ValidKey(words[0]);
            var negate = words[1].StartsWith("notin", StringComparison.Ordinal);
            var set = words[1][(negate ? 5 : 2)..].Trim();
            if (!set.StartsWith('(') || !set.EndsWith(')'))
            {
                throw new FormatException($"'{requirement}' needs a parenthesized set of values");
            }

            var values = set[1..^1].Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            return negate
                ? labels => !labels.TryGetValue(key, out var v) || !values.Contains(v)
                : labels => labels.TryGetValue(key, out var v) && values.Contains(v);
        }

        if (requirement.StartsWith('!'))
        {
            var key = ValidKey(requirement[1..].Trim());
            return labels => !labels.ContainsKey(key);
        }

        foreach (var (op, equal) in new[] { ("!=", false), ("==", true), ("=", true) })
        {
            var at = requirement.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = ValidKey(requirement[..at].Trim());
                var value = requirement[(at + op.Length)..].Trim();
                return equal
                    ? labels => labels.TryGetValue(key, out var v) && v == value
                    : labels => !labels.TryGetValue(key, out var v) || v != value;
            }
        }

        var existsKey = ValidKey(requirement);
        return labels => labels.ContainsKey(existsKey);
    }

    private static string ValidKey(string key)
    {
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
        {
            throw new FormatException($"'{key}' is not a valid label key");
        }

        return key;
    }
}
