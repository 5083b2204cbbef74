namespace AzMLK8s.Engine.Settings;

/// <summary>How a setting's value is read from input and written to the extension (always as a string).</summary>
public enum SettingValueKind
{
    /// <summary>true or false, in any case, or a real boolean; sent as "true"/"false".</summary>
    Boolean,

    /// <summary>One of <see cref="SettingDefinition.AllowedValues"/>, matched in any case, sent in canonical case.</summary>
    Enum,

    /// <summary>Free text, sent as given.</summary>
    String,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>
    /// A family of keys under a prefix (<c>nodeSelector.&lt;label&gt;</c>): the part after the prefix is the user's
    /// (case kept), the value is a string.
    /// </summary>
    Map,
}
