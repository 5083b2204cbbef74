using AzMLK8s.Model;

namespace AzMLK8s.Engine.Operations.Common;

/// <summary>
/// A parsed ARM resource id of the form
/// /subscriptions/{s}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}[/{childType}/{childName}...].
/// </summary>
public sealed record ArmResourceId(string SubscriptionId, string ResourceGroupName, string ProviderNamespace, IReadOnlyList<(string Type, string Name)> Types)
{
    /// <summary>"Microsoft.ContainerService/managedClusters" (child types joined with '/').</summary>
    public string ResourceType => ProviderNamespace + "/" + string.Join("/", Types.Select(t => t.Type));

    public string Name => Types[^1].Name;

    public override string ToString() =>
        $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroupName}/providers/{ProviderNamespace}/"
        + string.Join("/", Types.Select(t => $"{t.Type}/{t.Name}"));

    /// <summary>Parses <paramref name="value"/>; null when it is not a resource id under a resource group.</summary>
    public static ArmResourceId? TryParse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var segments = value.Trim().Trim('/').Split('/');
        if (segments.Length < 8 || segments.Length % 2 != 0
            || !segments[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase)
            || !segments[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase)
            || !segments[4].Equals("providers", StringComparison.OrdinalIgnoreCase)
            || segments.Any(string.IsNullOrWhiteSpace))
        {
            return null;
        }

        var types = new List<(string, string)>();
        for (var i = 6; i < segments.Length; i += 2)
        {
            types.Add((segments[i], segments[i + 1]));
        }

        return new ArmResourceId(segments[1], segments[3], segments[5], types);
    }

    /// <summary>
    /// Parses an id that must be of <paramref name="expectedType"/> (case-insensitive). Otherwise throws an
    /// InvalidArgument error with <paramref name="errorId"/> that names what was expected.
    /// </summary>
    public static ArmResourceId Parse(string? value, string expectedType, string errorId, string parameterName)
    {
        var parsed = TryParse(value);
        if (parsed is not null && parsed.ResourceType.Equals(expectedType, StringComparison.OrdinalIgnoreCase))
        {
            return parsed;
        }

        var found = parsed is null ? "is not an Azure resource id" : $"is a {parsed.ResourceType}";
        throw new ModuleErrorException(new ModuleError(
            errorId,
            ErrorKind.InvalidArgument,
            $"-{parameterName} '{value}' {found}; a {expectedType} resource id is expected.")
        {
            RecommendedAction = $"Pass the id of a {expectedType}: /subscriptions/<id>/resourceGroups/<group>/providers/{expectedType.Replace("/", "/<name>/", StringComparison.Ordinal)}/<name>.",
            TargetObject = value,
        });
    }
}
