using System.Collections;
using System.Management.Automation;
using System.Security;

namespace AzMLK8s.Host;

/// <summary>Turns PowerShell output objects into plain property bags the engine can read without PowerShell types.</summary>
internal static class PowerShellValueConverter
{
    private const int MaxDepth = 4;

    public static IReadOnlyDictionary<string, object?> ToPropertyBag(PSObject value) => ToBag(value, 0);

    private static IReadOnlyDictionary<string, object?> ToBag(PSObject value, int depth)
    {
        var bag = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in value.Properties)
        {
            object? raw;
            try
            {
                raw = property.Value;
            }
            catch (GetValueException)
            {
                continue;
            }

            bag[property.Name] = Convert(raw, depth + 1);
        }

        return bag;
    }

    private static object? Convert(object? raw, int depth)
    {
        var value = raw is PSObject ps ? ps.BaseObject : raw;
        switch (value)
        {
            case null:
                return null;
            case string or SecureString or bool or Guid or DateTime or DateTimeOffset or Uri or Enum:
                return value;
            case IConvertible convertible when value.GetType().IsPrimitive || value is decimal:
                return convertible;
            case IEnumerable sequence when depth < MaxDepth:
                return sequence.Cast<object?>().Select(item => Convert(item, depth + 1)).ToArray();
            default:
                return depth < MaxDepth ? ToBag(raw as PSObject ?? PSObject.AsPSObject(value), depth) : value.ToString();
        }
    }
}
