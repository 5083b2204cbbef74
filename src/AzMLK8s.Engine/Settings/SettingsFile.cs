using System.Collections;
using System.Text.Json;

namespace AzMLK8s.Engine.Settings;

/// <summary>
/// Reads a settings file in the Azure CLI's format (az k8s-extension --configuration-settings-file /
/// --config-protected-file): one JSON object whose members are the settings, each a string, true/false or a number
/// (sent as written). Stricter than the CLI where it would send something broken: nested objects and arrays are
/// refused, and so is a key written twice (Python keeps the last silently). null removes the key on an update, as
/// $null does in -ConfigurationSetting. A protected file's values are secrets: no message of this class shows one,
/// nor any part of the file's text.
/// </summary>
public static class SettingsFile
{
    public const string FileNotFound = "Settings.FileNotFound";
    public const string FileUnreadable = "Settings.FileUnreadable";
    public const string FileInvalidJson = "Settings.FileInvalidJson";
    public const string FileNotAnObject = "Settings.FileNotAnObject";
    public const string FileEmpty = "Settings.FileEmpty";
    public const string FileValueNotScalar = "Settings.FileValueNotScalar";
    public const string FileDuplicateKey = "Settings.FileDuplicateKey";

    /// <summary>Reads <paramref name="path"/> (relative paths from <paramref name="baseDirectory"/>) into a settings table.</summary>
    /// <param name="path">The file.</param>
    /// <param name="isProtected">Protected settings: values are secrets and never appear in an error.</param>
    /// <param name="baseDirectory">The PowerShell location; null: the process's current directory.</param>
    /// <param name="parameterName">The parameter the path came from, for the messages.</param>
    public static Hashtable Read(string path, bool isProtected, string? baseDirectory, string parameterName)
    {
        var fullPath = Resolve(path, baseDirectory);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw SettingErrors.NotFound(
                FileNotFound,
                $"The settings file '{fullPath}' given as -{parameterName} does not exist.",
                "Check the path; relative paths are resolved from the current PowerShell location.",
                fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw SettingErrors.Invalid(
                FileUnreadable,
                $"The settings file '{fullPath}' given as -{parameterName} cannot be read: {e.GetType().Name}.",
                "Check that the path names a file you can read.",
                fullPath);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            // The parser's message may quote the text at the error; a protected file's text is secret.
            var where = e.LineNumber is { } line ? $" at line {line + 1}, position {(e.BytePositionInLine ?? 0) + 1}" : string.Empty;
            var detail = isProtected ? string.Empty : $": {FirstSentence(e.Message)}";
            throw SettingErrors.BadData(
                FileInvalidJson,
                $"The settings file '{fullPath}' given as -{parameterName} is not valid JSON{where}{detail}.",
                "Write one JSON object of settings, as for az k8s-extension --configuration-settings-file: { \"enableTraining\": \"true\", \"nodeSelector.pool\": \"gpu\" }.",
                fullPath);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw SettingErrors.BadData(
                    FileNotAnObject,
                    $"The settings file '{fullPath}' given as -{parameterName} holds a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object of settings.",
                    "Write one JSON object whose members are the settings: { \"key\": \"value\" }.",
                    fullPath);
            }

            var table = new Hashtable(StringComparer.Ordinal);
            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (table.ContainsKey(member.Name))
                {
                    throw SettingErrors.BadData(
                        FileDuplicateKey,
                        $"The settings file '{fullPath}' given as -{parameterName} sets '{member.Name}' twice.",
                        $"Keep one '{member.Name}' member.",
                        member.Name);
                }

                table[member.Name] = member.Value.ValueKind switch
                {
                    JsonValueKind.String => member.Value.GetString(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Number => member.Value.GetRawText(),
                    JsonValueKind.Null => null,
                    _ => throw SettingErrors.BadData(
                        FileValueNotScalar,
                        $"Setting '{member.Name}' in the settings file '{fullPath}' given as -{parameterName} is a JSON {member.Value.ValueKind.ToString().ToLowerInvariant()}; settings are strings, booleans or numbers.",
                        "Flatten it into dotted keys, as the extension reads them: { \"nodeSelector.pool\": \"gpu\" } rather than { \"nodeSelector\": { \"pool\": \"gpu\" } }.",
                        member.Name),
                };
            }

            if (table.Count == 0)
            {
                throw SettingErrors.BadData(
                    FileEmpty,
                    $"The settings file '{fullPath}' given as -{parameterName} holds no settings.",
                    "Add the settings to the file, or leave out the parameter.",
                    fullPath);
            }

            return table;
        }
    }

    /// <summary>A path as the user wrote it: '~' is the home directory; relative paths are from <paramref name="baseDirectory"/>.</summary>
    public static string Resolve(string path, string? baseDirectory)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
        {
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : string.Empty);
        }

        return Path.IsPathRooted(path) ? Path.GetFullPath(path) : Path.GetFullPath(path, baseDirectory ?? Environment.CurrentDirectory);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}
