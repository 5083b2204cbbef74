using System.Globalization;
using System.Runtime.InteropServices;
using System.Security;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;
using global::Azure.Core;

namespace AzMLK8s.Engine.Azure.Credentials;

/// <summary>
/// Tokens from the caller's Az.Accounts sign-in: runs Get-AzAccessToken in the caller's runspace through the host
/// seam, so no Az assembly is loaded next to ours. Token is a SecureString in newer Az.Accounts and a string in
/// older ones; both are read.
/// </summary>
internal sealed class AzAccountsTokenCredential : TokenCredential
{
    public const string CommandName = "Get-AzAccessToken";

    private readonly ICmdletHost _host;
    private readonly string _resourceUrl;
    private readonly string? _tenantId;

    public AzAccountsTokenCredential(ICmdletHost host, string resourceUrl, string? tenantId)
    {
        _host = host;
        _resourceUrl = resourceUrl;
        _tenantId = tenantId;
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["ResourceUrl"] = ResourceFor(requestContext) };
        if (_tenantId is not null)
        {
            parameters["TenantId"] = _tenantId;
        }

        var result = _host.InvokeCommand(CommandName, parameters).FirstOrDefault();
        var token = result is null ? null : ReadToken(result.GetValueOrDefault("Token"));
        if (string.IsNullOrEmpty(token))
        {
            throw new ModuleErrorException(CredentialErrors.AzAccountsTokenMissing(_resourceUrl));
        }

        return new AccessToken(token, ReadExpiry(result!.GetValueOrDefault("ExpiresOn")));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));

    /// <summary>The pipeline asks for "{audience}/.default"; Get-AzAccessToken wants the resource URL.</summary>
    private string ResourceFor(TokenRequestContext context)
    {
        var scope = context.Scopes.FirstOrDefault();
        return scope is null ? _resourceUrl : scope.EndsWith("/.default", StringComparison.Ordinal) ? scope[..^"/.default".Length] : scope;
    }

    internal static string? ReadToken(object? value) => value switch
    {
        string text => text,
        SecureString secure => Reveal(secure),
        _ => null,
    };

    internal static DateTimeOffset ReadExpiry(object? value) => value switch
    {
        DateTimeOffset at => at,
        DateTime at => new DateTimeOffset(at.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : at),
        string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at,
        // Unknown expiry: ask again in a few minutes rather than hold a token that may have expired.
        _ => DateTimeOffset.UtcNow.AddMinutes(5),
    };

    internal static string Reveal(SecureString secure)
    {
        var pointer = IntPtr.Zero;
        try
        {
            pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            return Marshal.PtrToStringUni(pointer) ?? string.Empty;
        }
        finally
        {
            if (pointer != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}
