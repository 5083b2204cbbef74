using System.Collections;

namespace AzMLK8s.Engine.Settings;

/// <summary>
/// The caller's settings after the input rules: keys in canonical case, values in wire form, aliases and legacy
/// keys translated, secrets only in <see cref="Protected"/>, null values turned into removals.
/// </summary>
internal sealed class SettingsInput
{
    public Dictionary<string, string> Public { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, string> Protected { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Public keys the caller set to null: remove them (update only).</summary>
    public HashSet<string> PublicRemovals { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Protected keys the caller set to null: leave them out of the new protected map on purpose (update only).</summary>
    public HashSet<string> ProtectedRemovals { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Warnings { get; } = new();

    public bool HasPublic(string key) => Public.ContainsKey(key);

    public string? PublicValue(string key) => Public.GetValueOrDefault(key);

    public bool IsTrue(string key) => SettingValues.IsTrue(Public.GetValueOrDefault(key));

    public bool TouchesProtected => Protected.Count > 0 || ProtectedRemovals.Count > 0;
}

/// <summary>Applies the input rules to the raw hashtables a cmdlet received.</summary>
internal static class SettingsInputReader
{
    private sealed record Given(string Value, string Source, bool AsProtected);

    public static SettingsInput Read(IDictionary? publicSettings, IDictionary? protectedSettings, bool allowUnknown, bool allowRemovals)
    {
        var input = new SettingsInput();
        var given = new Dictionary<string, Given>(StringComparer.OrdinalIgnoreCase);
        var translated = new List<(string Key, string Value, string Source)>();

        foreach (var (rawKey, value, asProtected) in Entries(publicSettings, false).Concat(Entries(protectedSettings, true)))
        {
            var key = rawKey.Trim();
            if (key.Length == 0)
            {
                throw SettingErrors.Invalid(SettingErrors.UnknownKey, "A setting has an empty key.", "Remove the entry with the empty key.", rawKey);
            }

            var definition = SettingsCatalog.Find(key);
            var source = key;
            if (definition is null && SettingsCatalog.FindByAlias(key) is { } aliased)
            {
                definition = aliased;
                input.Warnings.Add($"Setting '{key}' is an older name of '{aliased.Key}'; it is sent as '{aliased.Key}'. Use '{aliased.Key}' from now on.");
            }

            if (definition is null && SettingsCatalog.FindLegacy(key) is { } legacy)
            {
                translated.AddRange(TranslateLegacy(input, legacy, key, value, allowRemovals).Select(p => (p.Key, p.Value, key)));
                continue;
            }

            if (definition is null)
            {
                AddUnknown(input, key, value, asProtected, allowUnknown, allowRemovals);
                continue;
            }

            var canonical = SettingsCatalog.Canonicalize(key, definition);
            CheckMapKey(definition, key, canonical);
            CheckPlacement(definition, canonical, asProtected);

            if (value is null)
            {
                AddRemoval(input, canonical, definition.IsProtected, allowRemovals);
                continue;
            }

            var wire = SettingValues.Convert(canonical, definition, value);
            if (!definition.IsProtected && asProtected)
            {
                input.Warnings.Add($"Setting '{canonical}' is not a secret; it is sent in the public settings, where the extension and later updates can read it.");
            }

            if (given.TryGetValue(canonical, out var earlier))
            {
                ThrowIfConflicting(definition, canonical, earlier, new Given(wire, source, asProtected));
                continue;
            }

            given[canonical] = new Given(wire, source, asProtected);
            (definition.IsProtected ? input.Protected : input.Public)[canonical] = wire;
        }

        ApplyTranslations(input, given, translated);
        return input;
    }

    private static void CheckMapKey(SettingDefinition definition, string key, string canonical)
    {
        var name = canonical.Substring(definition.Key.Length);
        if (!definition.IsMap || definition.MapKeyPattern is not { } pattern || pattern.IsMatch(name))
        {
            return;
        }

        var isNodeSelector = definition.Key == SettingsCatalog.NodeSelectorPrefix;
        throw SettingErrors.Invalid(
            SettingErrors.InvalidValue,
            $"Setting '{key}' has an invalid name after '{definition.Key}': '{name}' is not a valid {(isNodeSelector ? "Kubernetes label key" : "option name")}.",
            isNodeSelector
                ? $"Use {definition.Key}<label>=<value> with the node label's exact name, e.g. {definition.Key}kubernetes.azure.com/agentpool=gpu."
                : $"Use {definition.Key}<name>=<value> with a name of letters, digits, '-', '_' and '.'.",
            key);
    }

    private static void CheckPlacement(SettingDefinition definition, string canonical, bool asProtected)
    {
        if (definition.IsProtected && !asProtected)
        {
            throw SettingErrors.Invalid(
                SettingErrors.SecretInPublicSettings,
                $"Setting '{canonical}' is a secret but was given in the public settings, which anyone who can read the extension can see.",
                $"Pass '{canonical}' in the protected settings (-ConfigurationProtectedSetting @{{ '{canonical}' = ... }}).",
                canonical);
        }
    }

    private static IEnumerable<(string Key, object? Value, bool AsProtected)> Entries(IDictionary? settings, bool asProtected)
    {
        if (settings is null)
        {
            yield break;
        }

        foreach (DictionaryEntry entry in settings)
        {
            yield return (entry.Key.ToString() ?? string.Empty, entry.Value, asProtected);
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> TranslateLegacy(SettingsInput input, LegacySetting legacy, string key, object? value, bool allowRemovals)
    {
        if (value is null)
        {
            if (!allowRemovals)
            {
                throw MissingValue(key);
            }

            input.Warnings.Add($"Setting '{key}' is obsolete and was never sent by this module; there is nothing to remove.");
            return Array.Empty<KeyValuePair<string, string>>();
        }

        var flag = SettingValues.IsTrue(SettingValues.Convert(key, new SettingDefinition(key, SettingValueKind.Boolean, legacy.Explanation), value));
        var pairs = legacy.Translate(flag);
        var meaning = pairs.Count == 0 ? "nothing (it was the default)" : string.Join(" and ", pairs.Select(p => $"{p.Key}={p.Value}"));
        input.Warnings.Add($"Setting '{key}' is obsolete: {legacy.Explanation}. '{key}={SettingValues.FromBoolean(flag)}' was sent as {meaning}.");
        return pairs;
    }

    private static void AddUnknown(SettingsInput input, string key, object? value, bool asProtected, bool allowUnknown, bool allowRemovals)
    {
        if (!allowUnknown)
        {
            var closest = SettingsCatalog.ClosestKnownName(key);
            throw SettingErrors.Invalid(
                SettingErrors.UnknownKey,
                $"Setting '{key}' is not a known setting of {SettingsCatalog.ExtensionType}. The closest known setting is '{closest}'.",
                $"Use '{closest}' if that is what you meant; to send '{key}' as it is, add -AllowUnknownSetting.",
                key);
        }

        if (value is null)
        {
            AddRemoval(input, key, asProtected, allowRemovals);
            return;
        }

        var wire = SettingValues.ConvertUnknown(key, value, asProtected);
        if (input.Public.ContainsKey(key) || input.Protected.ContainsKey(key))
        {
            throw Duplicate(key);
        }

        input.Warnings.Add($"Setting '{key}' is not in this module's catalog; it is sent unchecked because -AllowUnknownSetting was given.");
        (asProtected ? input.Protected : input.Public)[key] = wire;
    }

    private static void AddRemoval(SettingsInput input, string key, bool isProtected, bool allowRemovals)
    {
        if (!allowRemovals)
        {
            throw MissingValue(key);
        }

        (isProtected ? input.ProtectedRemovals : input.PublicRemovals).Add(key);
    }

    private static void ThrowIfConflicting(SettingDefinition definition, string key, Given earlier, Given later)
    {
        if (earlier.AsProtected != later.AsProtected)
        {
            throw Duplicate(key);
        }

        if (SettingValues.Equivalent(definition, earlier.Value, later.Value))
        {
            return;
        }

        // Two spellings of the key itself (a case-sensitive dictionary) are a duplicate; a key and its older name, a conflict.
        if (string.Equals(earlier.Source, later.Source, StringComparison.OrdinalIgnoreCase))
        {
            throw Duplicate(key);
        }

        throw Conflict(key, earlier.Source, later.Source, definition.IsProtected);
    }

    private static void ApplyTranslations(SettingsInput input, Dictionary<string, Given> given, List<(string Key, string Value, string Source)> translated)
    {
        foreach (var (key, value, source) in translated)
        {
            var definition = SettingsCatalog.Find(key);
            if (given.TryGetValue(key, out var earlier))
            {
                if (!SettingValues.Equivalent(definition, earlier.Value, value))
                {
                    throw Conflict(key, earlier.Source, source, isProtected: false);
                }

                continue;
            }

            given[key] = new Given(value, source, AsProtected: false);
            input.Public[key] = value;
        }
    }

    private static Model.ModuleErrorException Conflict(string key, string first, string second, bool isProtected)
    {
        var detail = isProtected ? string.Empty : " with different values";
        return SettingErrors.Invalid(
            SettingErrors.LegacyKeyConflict,
            $"'{first}' and '{second}' both set '{key}'{detail}.",
            $"Keep only '{key}' with the value you want, and remove the older name.",
            key);
    }

    private static Model.ModuleErrorException Duplicate(string key) =>
        SettingErrors.Invalid(
            SettingErrors.DuplicateKey,
            $"Setting '{key}' is given more than once (in the public and protected settings, or in two spellings).",
            $"Give '{key}' once: secrets in the protected settings, everything else in the public settings.",
            key);

    private static Model.ModuleErrorException MissingValue(string key) =>
        SettingErrors.Invalid(
            SettingErrors.MissingValue,
            $"Setting '{key}' has no value. A null value removes a setting, which only Update does.",
            $"Give '{key}' a value, or leave it out.",
            key);
}
