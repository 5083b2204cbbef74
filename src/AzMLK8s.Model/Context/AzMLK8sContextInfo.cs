namespace AzMLK8s.Model.Context;

/// <summary>
/// The Azure context AzMLK8s cmdlets of this session use (Get-AzMLK8sContext). Holds no secret: an explicit
/// access token is only reported as present.
/// </summary>
public sealed class AzMLK8sContextInfo
{
    /// <summary>AzureCloud, AzureChinaCloud, AzureUSGovernment, or Custom for an -ArmEndpoint.</summary>
    public string Cloud { get; init; } = "AzureCloud";

    public Uri? ArmEndpoint { get; init; }

    /// <summary>The audience ARM tokens are requested for.</summary>
    public string? TokenAudience { get; init; }

    /// <summary>Null when the subscription comes from the Az.Accounts context at call time.</summary>
    public string? SubscriptionId { get; init; }

    public string? TenantId { get; init; }

    public AzMLK8sAuthMethod AuthMethod { get; init; }

    public string? ManagedIdentityClientId { get; init; }

    /// <summary>The pinned ARM server certificate (hex thumbprint), when the endpoint uses one.</summary>
    public string? TrustedCertificateThumbprint { get; init; }

    /// <summary>True when an explicit access token was given (its value is never shown).</summary>
    public bool HasAccessToken { get; init; }

    public override string ToString() => $"{Cloud} {ArmEndpoint} subscription={SubscriptionId ?? "(from Az.Accounts)"} auth={AuthMethod}";
}
