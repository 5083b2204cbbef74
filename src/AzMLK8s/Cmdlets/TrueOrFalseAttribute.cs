using System.Management.Automation;

namespace AzMLK8s.Cmdlets;

/// <summary>
/// A true-or-false parameter that says so in its own words: $true/$false, 'true'/'false' (as in the CLI's settings),
/// 1/0 or a switch-like value bind; anything else is refused with what it takes, instead of the binder's text about
/// System.Nullable`1[System.Boolean].
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class TrueOrFalseAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case null or bool:
                return value;
            case SwitchParameter switchValue:
                return switchValue.IsPresent;
            case int or long or short or byte when Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) is 0 or 1:
                return Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) == 1;
            case string text when bool.TryParse(text.Trim(), out var parsed):
                return parsed;
            default:
                throw new ArgumentTransformationMetadataException(
                    $"This parameter takes true or false ($true, $false, 'true' or 'false'); '{value}' is neither.");
        }
    }
}
