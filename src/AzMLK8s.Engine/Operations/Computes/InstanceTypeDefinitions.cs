using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AzMLK8s.Engine.Operations.Computes;

/// <summary>
/// -InstanceType hashtables as the compute's instanceTypes map: name -> { nodeSelector, resources { requests,
/// limits } }, with CPU and memory requests and limits required and non-zero (the service's instance type rules).
/// </summary>
public static partial class InstanceTypeDefinitions
{
    public static JsonObject Parse(IDictionary definitions)
    {
        var result = new JsonObject();
        foreach (DictionaryEntry entry in definitions)
        {
            var name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
            if (!InstanceTypeName().IsMatch(name))
            {
                throw InvalidInstanceType(name, "its name must be 1-63 letters, digits, hyphens or dots, starting and ending with a letter or digit");
            }

            if (entry.Value is not IDictionary definition)
            {
                throw InvalidInstanceType(name, "its value must be a hashtable with 'resources' (and optionally 'nodeSelector')");
            }

            result[name] = InstanceTypeFrom(name, definition);
        }

        return result;
    }

    private static JsonObject InstanceTypeFrom(string name, IDictionary definition)
    {
        var instanceType = new JsonObject();
        foreach (DictionaryEntry part in definition)
        {
            var key = Convert.ToString(part.Key, CultureInfo.InvariantCulture);
            if (string.Equals(key, "nodeSelector", StringComparison.OrdinalIgnoreCase))
            {
                instanceType["nodeSelector"] = StringMap(name, "nodeSelector", part.Value);
            }
            else if (string.Equals(key, "resources", StringComparison.OrdinalIgnoreCase))
            {
                instanceType["resources"] = Resources(name, part.Value);
            }
            else
            {
                throw InvalidInstanceType(name, $"'{key}' is not a field of an instance type (nodeSelector, resources)");
            }
        }

        if (instanceType["resources"] is null)
        {
            throw InvalidInstanceType(name, "'resources' with 'requests' and 'limits' is required");
        }

        return instanceType;
    }

    private static JsonObject Resources(string name, object? value)
    {
        if (value is not IDictionary resources)
        {
            throw InvalidInstanceType(name, "'resources' must be a hashtable with 'requests' and 'limits'");
        }

        var result = new JsonObject();
        foreach (DictionaryEntry part in resources)
        {
            var key = Convert.ToString(part.Key, CultureInfo.InvariantCulture);
            if (!string.Equals(key, "requests", StringComparison.OrdinalIgnoreCase) && !string.Equals(key, "limits", StringComparison.OrdinalIgnoreCase))
            {
                throw InvalidInstanceType(name, $"'resources.{key}' is not a field (requests, limits)");
            }

            result[key!.ToLowerInvariant()] = StringMap(name, $"resources.{key}", part.Value);
        }

        foreach (var section in new[] { "requests", "limits" })
        {
            foreach (var resource in new[] { "cpu", "memory" })
            {
                if (result[section]?[resource] is not JsonValue quantity || quantity.GetValue<string>() is "" or "0")
                {
                    throw InvalidInstanceType(name, $"'resources.{section}.{resource}' is required and must not be zero");
                }
            }
        }

        return result;
    }

    private static JsonObject StringMap(string name, string field, object? value)
    {
        if (value is not IDictionary map)
        {
            throw InvalidInstanceType(name, $"'{field}' must be a hashtable of names to values");
        }

        var result = new JsonObject();
        foreach (DictionaryEntry entry in map)
        {
            result[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = entry.Value is null ? null : JsonValue.Create(Convert.ToString(entry.Value, CultureInfo.InvariantCulture));
        }

        return result;
    }

    private static AzMLK8s.Model.ModuleErrorException InvalidInstanceType(string name, string problem) =>
        ComputeErrors.Invalid(
            ComputeErrors.InvalidInstanceType,
            $"-InstanceType '{name}' is not valid: {problem}.",
            "Describe each instance type as @{ <name> = @{ nodeSelector = @{ ... }; resources = @{ requests = @{ cpu = '1'; memory = '4Gi' }; limits = @{ cpu = '1'; memory = '4Gi' } } } }.",
            name);

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex InstanceTypeName();
}
