namespace AzMLK8s.Engine.Settings;

/// <summary>
/// Version pinning: since API 2023-05-01 the service rejects a version together with
/// autoUpgradeMinorVersion=true, so a pinned version turns auto-upgrade off unless the caller asked for it.
/// </summary>
internal static class VersionRules
{
    public static (string? Version, bool AutoUpgrade) ForCreate(string? version, bool? autoUpgrade)
    {
        var pinned = Pinned(version, autoUpgrade);
        return (pinned, autoUpgrade ?? pinned is null);
    }

    /// <summary>For an update: null values leave the extension as it is.</summary>
    public static (string? Version, bool? AutoUpgrade) ForUpdate(string? version, bool? autoUpgrade)
    {
        var pinned = Pinned(version, autoUpgrade);
        return (pinned, pinned is not null ? false : autoUpgrade);
    }

    /// <summary>
    /// The train as sent: Stable and Preview in their usual case, any other name (staging, a private train) as given.
    /// Only names the service could not hold are refused: blank, or with characters other than letters, digits, '-',
    /// '_' and '.'.
    /// </summary>
    public static string? CanonicalReleaseTrain(string? releaseTrain)
    {
        if (releaseTrain is null)
        {
            return null;
        }

        var trimmed = releaseTrain.Trim();
        if (trimmed.Length == 0 || trimmed.Length > 64 || !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw SettingErrors.Invalid(
                SettingErrors.InvalidReleaseTrain,
                $"'{releaseTrain}' is not a release train name: use letters, digits, '-', '_' and '.' (at most 64).",
                "Give a train such as Stable (the default), Preview or the name of the train you were given, e.g. -ReleaseTrain staging.",
                releaseTrain);
        }
        foreach (var known in new[] { "Stable", "Preview" })
        {
            if (string.Equals(trimmed, known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return trimmed;
    }

    private static string? Pinned(string? version, bool? autoUpgrade)
    {
        var pinned = string.IsNullOrWhiteSpace(version) ? null : version.Trim();
        if (pinned is not null && autoUpgrade == true)
        {
            throw SettingErrors.Invalid(
                SettingErrors.VersionWithAutoUpgrade,
                $"Version {pinned} is pinned, but automatic minor-version upgrades were also asked for; the service refuses both together.",
                "Leave out -AutoUpgradeMinorVersion to pin the version (auto-upgrade is then turned off), or leave out -Version to follow the release train.",
                pinned);
        }

        return pinned;
    }
}
