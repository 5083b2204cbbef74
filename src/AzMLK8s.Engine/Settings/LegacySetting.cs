namespace AzMLK8s.Engine.Settings;

/// <summary>
/// A boolean key from older docs and CLI versions whose meaning today is spread over other keys. Its value is
/// translated (with a warning); the legacy key itself is never sent.
/// </summary>
/// <param name="Key">The legacy key.</param>
/// <param name="WhenTrue">The settings that "key=true" means today.</param>
/// <param name="WhenFalse">The settings that "key=false" means today (often none: false was the default).</param>
/// <param name="Explanation">Why it was replaced, for the warning.</param>
public sealed record LegacySetting(
    string Key,
    IReadOnlyList<KeyValuePair<string, string>> WhenTrue,
    IReadOnlyList<KeyValuePair<string, string>> WhenFalse,
    string Explanation)
{
    public IReadOnlyList<KeyValuePair<string, string>> Translate(bool value) => value ? WhenTrue : WhenFalse;

    public IEnumerable<string> TargetKeys => WhenTrue.Concat(WhenFalse).Select(p => p.Key).Distinct(StringComparer.Ordinal);

    public override string ToString() => Key;
}
