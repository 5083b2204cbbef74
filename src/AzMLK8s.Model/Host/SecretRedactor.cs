namespace AzMLK8s.Model.Host;

/// <summary>
/// Remembers the secret values one cmdlet call has handled (protected settings, keys, tokens) and replaces them
/// in any text bound for a stream. A second line of defence: code must not put secrets in messages at all.
/// </summary>
public sealed class SecretRedactor
{
    public const string Mask = "***";

    // Shorter values would mask ordinary words; such values are not secrets worth the name.
    private const int MinimumSecretLength = 6;

    private readonly object _gate = new();
    private string[] _secrets = Array.Empty<string>();

    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < MinimumSecretLength)
        {
            return;
        }

        lock (_gate)
        {
            if (Array.IndexOf(_secrets, secret) >= 0)
            {
                return;
            }

            // Longest first, so a secret that contains another is masked whole.
            _secrets = _secrets.Append(secret).OrderByDescending(s => s.Length).ToArray();
        }
    }

    public string Redact(string text)
    {
        var secrets = _secrets;
        if (string.IsNullOrEmpty(text) || secrets.Length == 0)
        {
            return text;
        }

        foreach (var secret in secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }
}
