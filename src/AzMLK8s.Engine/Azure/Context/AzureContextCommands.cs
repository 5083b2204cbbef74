using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AzMLK8s.Model;
using AzMLK8s.Model.Context;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Engine.Azure.Context;

/// <summary>The rules behind Set-AzMLK8sContext and Get-AzMLK8sContext.</summary>
public static class AzureContextCommands
{
    /// <summary>
    /// Checks and completes <paramref name="requested"/>, keeps it in the session and returns what was stored.
    /// An access token implies AccessToken; a managed identity client id implies ManagedIdentity.
    /// </summary>
    public static AzMLK8sContextInfo? Set(ICmdletHost host, AzureContextSettings requested, string? trustedCertificatePath)
    {
        var settings = requested with
        {
            AuthMethod = requested.AuthMethod != AzMLK8sAuthMethod.Auto
                ? requested.AuthMethod
                : requested.AccessToken is not null ? AzMLK8sAuthMethod.AccessToken
                : requested.ManagedIdentityClientId is not null ? AzMLK8sAuthMethod.ManagedIdentity
                : AzMLK8sAuthMethod.Auto,
            TrustedCertificateThumbprint = ResolvePin(requested.TrustedCertificateThumbprint, trustedCertificatePath),
        };
        Validate(settings);
        var info = settings.ToInfo();
        if (!host.ShouldProcess("this PowerShell session", $"Use {Describe(info)} for the AzMLK8s commands of this session"))
        {
            return null;
        }

        AzureContextStore.Set(host, settings);
        return info;
    }

    /// <summary>A context as the -WhatIf line names it: cloud or endpoint, subscription, sign-in (never a token).</summary>
    private static string Describe(AzMLK8sContextInfo info) =>
        $"{(info.ArmEndpoint is { } endpoint ? endpoint.ToString() : info.Cloud)}, subscription {info.SubscriptionId ?? "(from Az.Accounts)"}, " +
        $"sign-in {info.AuthMethod}{(info.TrustedCertificateThumbprint is { } pin ? $", certificate pinned to {pin}" : string.Empty)}";

    /// <summary>The settings a saved context (Get-AzMLK8sContext) describes; a token is never in it and must be given again.</summary>
    public static AzureContextSettings FromInfo(AzMLK8sContextInfo info) => new()
    {
        CloudName = info.ArmEndpoint is null && info.Cloud is not "Custom" ? info.Cloud : null,
        ArmEndpoint = info.ArmEndpoint,
        TokenAudience = info.ArmEndpoint is null ? null : info.TokenAudience,
        TrustedCertificateThumbprint = info.TrustedCertificateThumbprint,
        SubscriptionId = info.SubscriptionId,
        TenantId = info.TenantId,
        AuthMethod = info.AuthMethod,
        ManagedIdentityClientId = info.ManagedIdentityClientId,
    };

    /// <summary>The session's context, or the defaults that apply when none was set.</summary>
    public static AzMLK8sContextInfo Get(ICmdletHost host) => (AzureContextStore.Get(host) ?? new AzureContextSettings()).ToInfo();

    private static void Validate(AzureContextSettings settings)
    {
        if (settings.SubscriptionId is not null && !Guid.TryParse(settings.SubscriptionId, out _))
        {
            throw Invalid("InvalidSubscriptionId", $"'{settings.SubscriptionId}' is not a subscription id (a GUID).", "Give the subscription's id, e.g. from (Get-AzSubscription).Id.");
        }

        if (settings.TenantId is not null && !Guid.TryParse(settings.TenantId, out _) && !settings.TenantId.Contains('.', StringComparison.Ordinal))
        {
            throw Invalid("InvalidTenantId", $"'{settings.TenantId}' is neither a tenant id (GUID) nor a domain name.", "Give the tenant's id or its domain, e.g. contoso.onmicrosoft.com.");
        }

        if (settings.AuthMethod == AzMLK8sAuthMethod.AccessToken && settings.AccessToken is null)
        {
            throw Invalid("AccessTokenMissing", "-AuthMethod AccessToken needs -AccessToken.", "Give the token as a SecureString: -AccessToken (Read-Host -AsSecureString).");
        }

        if (settings.AccessToken is not null && settings.AuthMethod != AzMLK8sAuthMethod.AccessToken)
        {
            throw Invalid("ConflictingAuthMethod", $"-AccessToken cannot be combined with -AuthMethod {settings.AuthMethod}.", "Leave out -AuthMethod, or leave out -AccessToken.");
        }

        if (settings.ManagedIdentityClientId is not null && settings.AuthMethod is not (AzMLK8sAuthMethod.ManagedIdentity or AzMLK8sAuthMethod.Auto))
        {
            throw Invalid("ConflictingAuthMethod", $"-ManagedIdentityClientId cannot be combined with -AuthMethod {settings.AuthMethod}.", "Use -AuthMethod ManagedIdentity, or leave out -ManagedIdentityClientId.");
        }

        if (settings.ManagedIdentityClientId is not null && !Guid.TryParse(settings.ManagedIdentityClientId, out _))
        {
            throw Invalid("InvalidManagedIdentityClientId", $"'{settings.ManagedIdentityClientId}' is not a client id (a GUID).", "Give the identity's client id: (Get-AzUserAssignedIdentity ...).ClientId.");
        }

        if (settings.ArmEndpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw Invalid("InvalidArmEndpoint", $"'{endpoint}' is not an https:// address.", "Give the endpoint's https:// address, e.g. https://127.0.0.1:8443/.");
        }

        if (settings.ArmEndpoint is null && settings.TrustedCertificateThumbprint is not null)
        {
            throw Invalid("PinWithoutEndpoint", "A trusted certificate can only be pinned for a custom -ArmEndpoint.", "Add -ArmEndpoint, or leave out the certificate.");
        }
    }

    private static string? ResolvePin(string? thumbprint, string? certificatePath)
    {
        if (thumbprint is not null && certificatePath is not null)
        {
            throw Invalid("ConflictingCertificatePin", "Give either -TrustedCertificateThumbprint or -TrustedCertificatePath, not both.", "Leave out one of them.");
        }

        if (certificatePath is not null)
        {
            try
            {
                using var certificate = new X509Certificate2(certificatePath);
                return certificate.GetCertHashString(HashAlgorithmName.SHA256);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw Invalid("InvalidTrustedCertificate", $"Could not read a certificate from '{certificatePath}': {ex.Message}", "Give a PEM or DER certificate file (the server's certificate, no key needed).");
            }
        }

        try
        {
            return ArmTransport.NormalizeThumbprint(thumbprint);
        }
        catch (ArgumentException)
        {
            throw Invalid("InvalidThumbprint", $"'{thumbprint}' is not a certificate thumbprint.", "Give the SHA-256 (64 hex digits) or SHA-1 (40 hex digits) thumbprint of the endpoint's certificate.");
        }
    }

    private static ModuleErrorException Invalid(string id, string message, string next) =>
        new(new ModuleError("Context." + id, ErrorKind.InvalidArgument, message) { RecommendedAction = next });
}
