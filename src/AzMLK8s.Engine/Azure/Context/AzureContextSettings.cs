using System.Security;
using AzMLK8s.Model.Context;

namespace AzMLK8s.Engine.Azure.Context;

/// <summary>
/// What Set-AzMLK8sContext chose, kept in the session. Anything left null is taken at call time from the
/// Az.Accounts context (subscription, tenant, cloud) or the defaults (AzureCloud).
/// </summary>
public sealed record AzureContextSettings
{
    /// <summary>A known cloud name (AzureCloud, AzureChinaCloud, AzureUSGovernment); ignored when <see cref="ArmEndpoint"/> is set.</summary>
    public string? CloudName { get; init; }

    /// <summary>A custom ARM endpoint (emulator, proxy).</summary>
    public Uri? ArmEndpoint { get; init; }

    /// <summary>The token audience for a custom endpoint; defaults to the public cloud's.</summary>
    public string? TokenAudience { get; init; }

    /// <summary>The one server certificate to accept from <see cref="ArmEndpoint"/> (SHA-1 or SHA-256 hex).</summary>
    public string? TrustedCertificateThumbprint { get; init; }

    public string? SubscriptionId { get; init; }

    public string? TenantId { get; init; }

    public AzMLK8sAuthMethod AuthMethod { get; init; } = AzMLK8sAuthMethod.Auto;

    public string? ManagedIdentityClientId { get; init; }

    /// <summary>For <see cref="AzMLK8sAuthMethod.AccessToken"/>. Never printed: see <see cref="PrintMembers"/>.</summary>
    public SecureString? AccessToken { get; init; }

    /// <summary>
    /// A context for a custom endpoint that accepts exactly one server certificate and a given token: how tests and
    /// the walk-through point the module at the emulator (Set-AzMLK8sContext -ArmEndpoint ... does the same).
    /// </summary>
    public static AzureContextSettings ForCustomEndpoint(Uri armEndpoint, string trustedCertificateThumbprint, string subscriptionId, SecureString accessToken) => new()
    {
        ArmEndpoint = armEndpoint,
        TrustedCertificateThumbprint = trustedCertificateThumbprint,
        SubscriptionId = subscriptionId,
        AuthMethod = AzMLK8sAuthMethod.AccessToken,
        AccessToken = accessToken,
    };

    public AzMLK8sContextInfo ToInfo()
    {
        var cloud = ArmEndpoint is null ? AzureCloud.Find(CloudName) ?? AzureCloud.AzureCloudPublic : null;
        return new AzMLK8sContextInfo
        {
            Cloud = cloud?.Name ?? "Custom",
            ArmEndpoint = ArmEndpoint ?? cloud!.ResourceManagerEndpoint,
            TokenAudience = cloud?.TokenAudience ?? TokenAudience ?? AzureCloud.AzureCloudPublic.TokenAudience,
            SubscriptionId = SubscriptionId,
            TenantId = TenantId,
            AuthMethod = AuthMethod,
            ManagedIdentityClientId = ManagedIdentityClientId,
            TrustedCertificateThumbprint = TrustedCertificateThumbprint,
            HasAccessToken = AccessToken is not null,
        };
    }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(ToInfo());
        return true;
    }
}
