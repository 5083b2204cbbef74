using System.Management.Automation;
using AzMLK8s.Model.Context;

namespace AzMLK8s.Cmdlets;

/// <summary>
/// Lets -InputObject of Set-AzMLK8sContext take a saved context as well as a live one: an object that carries the
/// properties of <see cref="AzMLK8sContextInfo"/> (Import-Clixml's deserialized copy, a job's output, a
/// PSCustomObject) becomes one. The token is never among them.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class ContextInfoTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is null or AzMLK8sContextInfo)
        {
            return value;
        }

        var source = inputData as PSObject ?? PSObject.AsPSObject(value);
        if (source.Properties["AuthMethod"] is null || source.Properties["Cloud"] is null)
        {
            // Not a context: PowerShell reports that the object cannot be converted.
            return inputData;
        }

        return new AzMLK8sContextInfo
        {
            Cloud = Text(source, "Cloud") ?? "AzureCloud",
            ArmEndpoint = Text(source, "ArmEndpoint") is { Length: > 0 } endpoint ? new Uri(endpoint) : null,
            TokenAudience = Text(source, "TokenAudience"),
            SubscriptionId = Text(source, "SubscriptionId"),
            TenantId = Text(source, "TenantId"),
            AuthMethod = Enum.TryParse<AzMLK8sAuthMethod>(Text(source, "AuthMethod"), ignoreCase: true, out var method) ? method : AzMLK8sAuthMethod.Auto,
            ManagedIdentityClientId = Text(source, "ManagedIdentityClientId"),
            TrustedCertificateThumbprint = Text(source, "TrustedCertificateThumbprint"),
        };
    }

    private static string? Text(PSObject source, string name) => source.Properties[name]?.Value?.ToString() is { Length: > 0 } text ? text : null;
}
