using System.Text;

namespace AzMLK8s.Tests.Module;

/// <summary>
/// Reads the restricted language of a PowerShell data file (.psd1) without PowerShell: hashtables, arrays,
/// quoted strings, numbers, $true/$false/$null and comments. Values come back as string, long, bool, null,
/// object?[] and IReadOnlyDictionary&lt;string, object?&gt; (keys case-insensitive, as in PowerShell).
/// </summary>
internal sealed class PowerShellDataFile
{
    private readonly string _text;
    private int _position;

    private PowerShellDataFile(string text) => _text = text;

    public static IReadOnlyDictionary<string, object?> ReadHashtable(string text)
    {
        var reader = new PowerShellDataFile(text);
        var value = reader.ReadValue();
        reader.SkipTrivia(includeNewLines: true);
        if (reader._position != text.Length)
        {
            throw reader.Error("text after the top-level value");
        }

        return value as IReadOnlyDictionary<string, object?> ?? throw new FormatException("The data file is not a hashtable.");
    }

    private object? ReadValue()
    {
        SkipTrivia(includeNewLines: true);
        if (Peek("@{"))
        {
            return ReadHashtableLiteral();
        }

        if (Peek("@("))
        {
            return ReadArrayLiteral();
        }

        var c = Current;
        if (c is '\'' or '"')
        {
            return ReadString();
        }

        if (c == '$')
        {
            var word = ReadWord(_position + 1);
            return word.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                "null" => null,
                _ => throw Error($"variable ${word} (data files allow only $true, $false and $null)"),
            };
        }

        if (char.IsDigit(c) || c == '-')
        {
            var start = _position++;
            while (_position < _text.Length && char.IsDigit(_text[_position]))
            {
                _position++;
            }

            return long.Parse(_text[start.._position], System.Globalization.CultureInfo.InvariantCulture);
        }

        throw Error($"unexpected '{c}'");
    }

    private IReadOnlyDictionary<string, object?> ReadHashtableLiteral()
    {
        _position += 2;
        var entries = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            SkipTrivia(includeNewLines: true);
            if (Current == ';')
            {
                _position++;
                continue;
            }

            if (Current == '}')
            {
                _position++;
                return entries;
            }

            var key = Current is '\'' or '"' ? ReadString() : ReadWord(_position);
            SkipTrivia(includeNewLines: false);
            Expect('=');
            if (!entries.TryAdd(key, ReadValue()))
            {
                throw Error($"duplicate key '{key}'");
            }
        }
    }

    private object?[] ReadArrayLiteral()
    {
        _position += 2;
        var items = new List<object?>();
        while (true)
        {
            SkipTrivia(includeNewLines: true);
            if (Current is ',' or ';')
            {
                _position++;
                continue;
            }

            if (Current == ')')
            {
                _position++;
                return items.ToArray();
            }

            items.Add(ReadValue());
        }
    }

    private string ReadString()
    {
        var quote = _text[_position++];
        var value = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error("unterminated string");
            }

            var c = _text[_position++];
            if (c == quote && _position < _text.Length && _text[_position] == quote)
            {
                value.Append(quote);
                _position++;
            }
            else if (c == quote)
            {
                return value.ToString();
            }
            else if (quote == '"' && (c == '$' || c == '`'))
            {
                throw Error("expandable content in a double-quoted string");
            }
            else
            {
                value.Append(c);
            }
        }
    }

    private string ReadWord(int start)
    {
        var end = start;
        while (end < _text.Length && (char.IsLetterOrDigit(_text[end]) || _text[end] == '_'))
        {
            end++;
        }

        if (end == start)
        {
            throw Error("expected a name");
        }

        _position = end;
        return _text[start..end];
    }

    private void SkipTrivia(bool includeNewLines)
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c is ' ' or '\t' || (includeNewLines && c is '\r' or '\n'))
            {
                _position++;
            }
            else if (Peek("<#"))
            {
                var end = _text.IndexOf("#>", _position + 2, StringComparison.Ordinal);
                _position = end < 0 ? throw Error("unterminated block comment") : end + 2;
            }
            else if (c == '#')
            {
                while (_position < _text.Length && _text[_position] != '\n')
                {
                    _position++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private char Current => _position < _text.Length ? _text[_position] : throw Error("unexpected end of file");

    private bool Peek(string token) => string.CompareOrdinal(_text, _position, token, 0, token.Length) == 0;

    private void Expect(char c)
    {
        if (Current != c)
        {
            throw Error($"expected '{c}'");
        }

        _position++;
    }

    private FormatException Error(string what)
    {
        var line = 1 + _text.AsSpan(0, Math.Min(_position, _text.Length)).Count('\n');
        return new FormatException($"Line {line}: {what}.");
    }
}
