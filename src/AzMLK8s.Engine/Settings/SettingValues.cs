using System.Globalization;
using System.Runtime.InteropServices;
using System.Security;

namespace AzMLK8s.Engine.Settings;

/// <summary>Turns input values (PowerShell hashtable values: string, bool, int, SecureString) into the strings the extension reads.</summary>
internal static class SettingValues
{
    public const string True = "true";
    public const string False = "false";

    public static bool IsTrue(string? value) => string.Equals(value?.Trim(), True, StringComparison.OrdinalIgnoreCase);

    public static bool IsFalse(string? value) => string.Equals(value?.Trim(), False, StringComparison.OrdinalIgnoreCase);

    public static string FromBoolean(bool value) => value ? True : False;

    /// <summary>The wire value of <paramref name="value"/> for a catalog key; throws a ModuleErrorException naming the key.</summary>
    public static string Convert(string key, SettingDefinition definition, object value)
    {
        if (value is SecureString secure)
        {
            if (!definition.IsProtected)
            {
                throw SettingErrors.Invalid(
                    SettingErrors.InvalidValueType,
                    $"Setting '{key}' was given as a SecureString, but it is a public setting: its value would be stored and shown in clear text.",
                    $"Pass '{key}' as plain text, or leave it out.",
                    key);
            }

            return Reveal(secure);
        }

        return definition.Kind switch
        {
            SettingValueKind.Boolean => ToBoolean(key, definition, value),
            SettingValueKind.Enum => ToEnum(key, definition, value),
            SettingValueKind.Integer => ToInteger(key, definition, value),
            _ => ToText(key, definition, value),
        };
    }

    /// <summary>The wire value of a key the catalog does not know (passed through under AllowUnknownSetting).</summary>
    public static string ConvertUnknown(string key, object value, bool isProtected) => value switch
    {
        SecureString secure when isProtected => Reveal(secure),
        SecureString => throw SettingErrors.Invalid(
            SettingErrors.InvalidValueType,
            $"Setting '{key}' was given as a SecureString in the public settings, where its value would be stored in clear text.",
            $"Pass '{key}' in the protected settings (-ConfigurationProtectedSetting), or as plain text.",
            key),
        bool b => FromBoolean(b),
        string s => s,
        _ when IsInteger(value) => System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => throw WrongType(key, value, "a string, boolean or number"),
    };

    /// <summary>Whether two wire values mean the same for <paramref name="definition"/> ("True" and "true" do).</summary>
    public static bool Equivalent(SettingDefinition? definition, string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return definition?.Kind switch
        {
            SettingValueKind.Boolean => IsTrue(a) == IsTrue(b) && IsFalse(a) == IsFalse(b),
            SettingValueKind.Enum => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase),
            _ => string.Equals(a, b, StringComparison.Ordinal),
        };
    }

    /// <summary>
    /// Copies a SecureString into a managed string. The result is a protected setting's value that goes only into
    /// the protected map (whose ToString shows keys only); the unmanaged copy is zeroed at once.
    /// </summary>
    private static string Reveal(SecureString secure)
    {
        var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try
        {
            return Marshal.PtrToStringUni(pointer, secure.Length);
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }

    private static string ToBoolean(string key, SettingDefinition definition, object value)
    {
        switch (value)
        {
            case bool b:
                return FromBoolean(b);
            case string s when IsTrue(s):
                return True;
            case string s when IsFalse(s):
                return False;
            case string s:
                var suggestion = SuggestBoolean(s);
                throw SettingErrors.Invalid(
                    SettingErrors.InvalidBoolean,
                    $"Setting '{key}' must be true or false, but is '{Shown(definition, s)}'. Did you mean '{suggestion}'?",
                    $"Use {key}={suggestion} (or a PowerShell boolean, ${suggestion.ToLowerInvariant()}).",
                    key);
            default:
                throw WrongType(key, value, "true or false");
        }
    }

    private static string ToEnum(string key, SettingDefinition definition, object value)
    {
        if (value is not string text)
        {
            throw WrongType(key, value, "one of " + string.Join(", ", definition.AllowedValues));
        }

        var match = definition.AllowedValues.FirstOrDefault(a => string.Equals(a, text.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is not null)
        {
            return match;
        }

        var closest = definition.AllowedValues.OrderBy(a => EditDistance.Compute(a, text.Trim())).First();
        throw SettingErrors.Invalid(
            SettingErrors.InvalidEnumValue,
            $"Setting '{key}' must be one of {string.Join(", ", definition.AllowedValues)}, but is '{text}'. Did you mean '{closest}'?",
            $"Use {key}={closest}, or another of: {string.Join(", ", definition.AllowedValues)}.",
            key);
    }

    private static string ToInteger(string key, SettingDefinition definition, object value)
    {
        if (IsInteger(value))
        {
            return System.Convert.ToString(value, CultureInfo.InvariantCulture)!;
        }

        if (value is string s && long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number.ToString(CultureInfo.InvariantCulture);
        }

        throw SettingErrors.Invalid(
            SettingErrors.InvalidInteger,
            $"Setting '{key}' must be a whole number, but is '{Shown(definition, value.ToString())}'.",
            $"Give {key} a whole number, for example {key}=3.",
            key);
    }

    private static string ToText(string key, SettingDefinition definition, object value)
    {
        var text = value switch
        {
            string s => s,
            bool b => FromBoolean(b),
            _ when IsInteger(value) => System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
            _ => throw WrongType(key, value, "text"),
        };

        if (text.Trim().Length == 0)
        {
            throw SettingErrors.Invalid(
                SettingErrors.MissingValue,
                $"Setting '{key}' is empty.",
                $"Give '{key}' a value, or leave it out.",
                key);
        }

        if (definition.ValuePattern is not null && !definition.ValuePattern.IsMatch(text))
        {
            throw SettingErrors.Invalid(
                SettingErrors.InvalidValue,
                $"Setting '{key}' must be {definition.ValuePatternDescription ?? "in the documented format"}, but is '{Shown(definition, text)}'.",
                $"Correct the value of '{key}'.",
                key);
        }

        return text;
    }

    private static string SuggestBoolean(string text)
    {
        var trimmed = text.Trim();
        var isTrue = trimmed.ToLowerInvariant() switch
        {
            "yes" or "y" or "1" or "on" or "enabled" => true,
            "no" or "n" or "0" or "off" or "disabled" => false,
            _ => EditDistance.Compute(trimmed, True) <= EditDistance.Compute(trimmed, False),
        };
        var word = isTrue ? "True" : "False";
        return trimmed.Length > 0 && char.IsLower(trimmed[0]) ? word.ToLowerInvariant() : word;
    }

    private static bool IsInteger(object value) => value is int or long or short or byte or sbyte or uint or ulong or ushort;

    // A protected value is never repeated back, even when it is wrong.
    private static string Shown(SettingDefinition definition, string? value) => definition.IsProtected ? "(protected value)" : value ?? string.Empty;

    private static Model.ModuleErrorException WrongType(string key, object value, string expected) =>
        SettingErrors.Invalid(
            SettingErrors.InvalidValueType,
            $"Setting '{key}' must be {expected}, but a value of type {value.GetType().Name} was given.",
            $"Give '{key}' as {expected}.",
            key);
}
