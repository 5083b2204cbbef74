using System.Globalization;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Emulator.Hosting;

/// <summary>
/// Fault rules as text, the same on the command line (<c>--fault</c>) and in the control API (<c>POST /_emulator/faults</c>):
/// <c>KIND[=RATE][,scope=arm|k8s|REGEX][,method=M][,times=N][,retry-after=S][,latency-ms=MS]</c>.
/// KIND is 429, 500, 503, 400, reset or latency (or a <see cref="FaultKind"/> name); RATE is the share of matching
/// requests hit (0 to 1, default 1); scope <c>arm</c> matches every ARM path, <c>k8s</c> every cluster API path, anything
/// else is a path regex. Example: <c>429=0.05,scope=arm,retry-after=1</c>.
/// </summary>
public static class FaultRuleText
{
    public const string ArmScope = "^/(?!k8s/)";
    public const string KubernetesScope = "^/k8s/";

    public static FaultRule Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new FormatException("A fault rule is empty; write e.g. '429=0.05,scope=arm'.");
        }

        var (kindText, rateText) = Split(parts[0]);
        var rule = new FaultRule(Kind(kindText)) { Probability = rateText is null ? 1.0 : Rate(rateText) };
        foreach (var part in parts.Skip(1))
        {
            var (key, value) = Split(part);
            if (value is null)
            {
                throw new FormatException($"'{part}' in fault rule '{text}' has no value; write key=value.");
            }

            rule = key.ToLowerInvariant() switch
            {
                "scope" => rule with { PathPattern = Scope(value) },
                "method" => rule with { Method = value.ToUpperInvariant() },
                "times" => rule with { Times = int.Parse(value, CultureInfo.InvariantCulture) },
                "retry-after" => rule with { RetryAfterSeconds = int.Parse(value, CultureInfo.InvariantCulture) },
                "latency-ms" => rule with { Latency = TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture)) },
                _ => throw new FormatException($"Unknown key '{key}' in fault rule '{text}'; known: scope, method, times, retry-after, latency-ms."),
            };
        }

        return rule;
    }

    private static (string Key, string? Value) Split(string part)
    {
        var equals = part.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (part, null) : (part[..equals].Trim(), part[(equals + 1)..].Trim());
    }

    private static FaultKind Kind(string text) => text.ToLowerInvariant() switch
    {
        "429" => FaultKind.TooManyRequests,
        "500" => FaultKind.InternalServerError,
        "503" => FaultKind.ServiceUnavailable,
        "400" => FaultKind.BadRequest,
        "reset" => FaultKind.ConnectionReset,
        "latency" => FaultKind.Latency,
        _ when Enum.TryParse<FaultKind>(text, ignoreCase: true, out var kind) => kind,
        _ => throw new FormatException($"Unknown fault kind '{text}'; use 429, 500, 503, 400, reset or latency."),
    };

    private static double Rate(string text)
    {
        var rate = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return rate is >= 0 and <= 1 ? rate : throw new FormatException($"A fault rate is between 0 and 1; '{text}' is not.");
    }

    private static string Scope(string value) => value.ToLowerInvariant() switch
    {
        "arm" => ArmScope,
        "k8s" or "kubernetes" => KubernetesScope,
        _ => value,
    };
}
