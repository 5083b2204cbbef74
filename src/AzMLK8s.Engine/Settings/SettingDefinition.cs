using System.Text.RegularExpressions;

namespace AzMLK8s.Engine.Settings;

/// <summary>
/// One entry of the settings catalog: everything the engine, WhatIf text, docs and the update guard know about a
/// configuration key of the Microsoft.AzureML.Kubernetes extension.
/// </summary>
public sealed record SettingDefinition
{
    public SettingDefinition(string key, SettingValueKind kind, string description)
    {
        Key = key;
        Kind = kind;
        Description = description;
    }

    /// <summary>The key as the extension's chart reads it (case matters there). For <see cref="SettingValueKind.Map"/>, the prefix ending in '.'.</summary>
    public string Key { get; }

    public SettingValueKind Kind { get; }

    /// <summary>One line for docs and WhatIf text.</summary>
    public string Description { get; }

    /// <summary>Other names with the same meaning and value (older tools and docs); accepted with a warning.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = Array.Empty<string>();

    /// <summary>For <see cref="SettingValueKind.Enum"/>: the allowed values in canonical case.</summary>
    public IReadOnlyList<string> AllowedValues { get; init; } = Array.Empty<string>();

    /// <summary>The value the extension assumes when the key is absent (documentation; not sent), or null when none is documented.</summary>
    public string? Default { get; init; }

    /// <summary>A secret: goes only into configurationProtectedSettings, never shown.</summary>
    public bool IsProtected { get; init; }

    /// <summary>Read on this machine and never sent itself (the PEM file paths).</summary>
    public bool IsLocalOnly { get; init; }

    /// <summary>Filled in by the module from the cluster or from supporting Azure resources; a user value still wins.</summary>
    public bool IsGenerated { get; init; }

    /// <summary>
    /// The key the value (or what is derived from it) is sent under, when it differs from <see cref="Key"/>:
    /// relayServerConnectionString as relayserver.relayConnectionString, sslCertPemFile as scoringFe.sslCert.
    /// </summary>
    public string? SentAs { get; init; }

    public SettingScenarios Scenarios { get; init; } = SettingScenarios.Both;

    public SettingDisruption Disruption { get; init; }

    public DisruptionTrigger DisruptionTrigger { get; init; }

    /// <summary>What a change does, for WhatIf text ("re-creates the inference router service").</summary>
    public string? EffectWhenChanged { get; init; }

    /// <summary>For booleans: what false -> true does, when it differs from <see cref="EffectWhenChanged"/>.</summary>
    public string? EffectWhenTurnedOn { get; init; }

    /// <summary>For booleans: what true -> false does.</summary>
    public string? EffectWhenTurnedOff { get; init; }

    /// <summary>For <see cref="SettingValueKind.Map"/>: what the part after the prefix must look like.</summary>
    public Regex? MapKeyPattern { get; init; }

    /// <summary>What a string value must look like, when there is a rule.</summary>
    public Regex? ValuePattern { get; init; }

    /// <summary>What the value must look like, for error messages ("a Kubernetes label value").</summary>
    public string? ValuePatternDescription { get; init; }

    public bool IsMap => Kind == SettingValueKind.Map;

    /// <summary>The key this definition's value travels under.</summary>
    public string WireKey => SentAs ?? Key;

    /// <summary>Whether changing <paramref name="oldValue"/> to <paramref name="newValue"/> disrupts running work.</summary>
    public SettingDisruption DisruptionOf(string? oldValue, string? newValue)
    {
        if (DisruptionTrigger == DisruptionTrigger.TurningOff && !IsTurningOff(oldValue, newValue))
        {
            return SettingDisruption.None;
        }

        return Disruption;
    }

    /// <summary>The WhatIf effect text of a change, or null when the catalog has none.</summary>
    public string? EffectOf(string? oldValue, string? newValue)
    {
        if (Kind == SettingValueKind.Boolean)
        {
            if (IsTurningOff(oldValue, newValue) && EffectWhenTurnedOff is not null)
            {
                return EffectWhenTurnedOff;
            }

            if (SettingValues.IsTrue(newValue) && EffectWhenTurnedOn is not null)
            {
                return EffectWhenTurnedOn;
            }
        }

        return EffectWhenChanged;
    }

    private bool IsTurningOff(string? oldValue, string? newValue)
    {
        var wasOn = oldValue is null ? SettingValues.IsTrue(Default) : SettingValues.IsTrue(oldValue);
        var isOn = newValue is null ? SettingValues.IsTrue(Default) : SettingValues.IsTrue(newValue);
        return wasOn && !isOn;
    }

    public override string ToString() => Key;
}
