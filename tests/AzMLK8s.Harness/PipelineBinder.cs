using System.Collections;
using System.Reflection;

namespace AzMLK8s.Harness;

/// <summary>
/// A small model of PowerShell's pipeline binding: by value first (the input's type fits a ValueFromPipeline
/// parameter), then by property name (an input property whose name or alias matches a
/// ValueFromPipelineByPropertyName parameter). Enough to run and check the module's documented pipelines.
/// </summary>
public static class PipelineBinder
{
    /// <summary>Which parameters of <paramref name="target"/> an object of <paramref name="inputType"/> binds to.</summary>
    public static IReadOnlyList<string> BindableParameters(CmdletDeclaration target, Type inputType)
    {
        var byValue = target.Parameters
            .Where(p => p.Sets.Any(s => s.ValueFromPipeline) && Accepts(p.Type, inputType))
            .Select(p => p.Name)
            .ToArray();
        if (byValue.Length > 0)
        {
            return byValue;
        }

        var inputProperties = inputType.GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        return target.Parameters
            .Where(p => p.Sets.Any(s => s.ValueFromPipelineByPropertyName))
            .Where(p => p.Names.Any(n => inputProperties.TryGetValue(n, out var source) && Accepts(p.Type, source.PropertyType)))
            .Select(p => p.Name)
            .ToArray();
    }

    public static void Bind(object cmdlet, object input)
    {
        var info = CmdletDeclaration.From(cmdlet.GetType());
        var byValue = info.Parameters.FirstOrDefault(p => p.Sets.Any(s => s.ValueFromPipeline) && Accepts(p.Type, input.GetType()));
        if (byValue is not null)
        {
            byValue.Property.SetValue(cmdlet, Coerce(byValue.Type, input));
            return;
        }

        var bound = false;
        foreach (var parameter in info.Parameters.Where(p => p.Sets.Any(s => s.ValueFromPipelineByPropertyName)))
        {
            var source = parameter.Names
                .Select(n => input.GetType().GetProperty(n, BindingFlags.Instance | BindingFlags.Public | BindingFlags.IgnoreCase))
                .FirstOrDefault(p => p is not null && Accepts(parameter.Type, p.PropertyType));
            if (source?.GetValue(input) is { } value)
            {
                parameter.Property.SetValue(cmdlet, Coerce(parameter.Type, value));
                bound = true;
            }
        }

        if (!bound)
        {
            throw new InvalidOperationException($"{input.GetType().Name} does not bind to any pipeline parameter of {info.Name}.");
        }
    }

    private static bool Accepts(Type parameterType, Type valueType)
    {
        var element = parameterType.IsArray ? parameterType.GetElementType()! : parameterType;
        return element.IsAssignableFrom(valueType)
            || (element == typeof(string) && (valueType.IsPrimitive || valueType.IsEnum || valueType == typeof(Guid)))
            || (element == typeof(object));
    }

    private static object Coerce(Type parameterType, object value)
    {
        if (!parameterType.IsArray)
        {
            return parameterType == typeof(string) ? value.ToString()! : value;
        }

        var element = parameterType.GetElementType()!;
        var items = value is IEnumerable sequence && value is not string ? sequence.Cast<object>().ToArray() : new[] { value };
        var array = Array.CreateInstance(element, items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            array.SetValue(element == typeof(string) ? items[i].ToString() : items[i], i);
        }

        return array;
    }
}
