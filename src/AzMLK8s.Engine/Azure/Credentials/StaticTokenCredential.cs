using System.Security;
using global::Azure.Core;

namespace AzMLK8s.Engine.Azure.Credentials;

/// <summary>An access token the user gave (Set-AzMLK8sContext -AccessToken). Read from the SecureString per request.</summary>
internal sealed class StaticTokenCredential : TokenCredential
{
    private readonly SecureString _token;

    public StaticTokenCredential(SecureString token)
    {
        _token = token;
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        // The real expiry is unknown; the service answers ExpiredAuthenticationToken when it has passed.
        new(AzAccountsTokenCredential.Reveal(_token), DateTimeOffset.UtcNow.AddHours(1));

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
