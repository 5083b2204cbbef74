using AzMLK8s.Model;

namespace AzMLK8s.Engine.Azure.Credentials;

/// <summary>The errors of getting a token. Messages name the method and the next step, never a token.</summary>
internal static class CredentialErrors
{
    public static ModuleError SignInFailed(Exception ex) => new(
        "Arm.AuthenticationFailed",
        ErrorKind.AuthenticationError,
        $"Could not get an Azure access token: {ex.Message}")
    {
        RecommendedAction = ex.Message.Contains("ManagedIdentityCredential", StringComparison.Ordinal)
            ? "Check that this Automation account, VM or app has its managed identity turned on (for a user-assigned identity: that it is attached and that Set-AzMLK8sContext -ManagedIdentityClientId gives its client id), then run the command again."
            : "Sign in with Connect-AzAccount, or choose a method with Set-AzMLK8sContext -AuthMethod (ManagedIdentity, Environment, AccessToken).",
        InnerException = ex,
    };

    public static ModuleError NotSignedIn() => new(
        "Arm.NotSignedIn",
        ErrorKind.AuthenticationError,
        "Az.Accounts has no signed-in context in this PowerShell session.")
    {
        RecommendedAction = "Run Connect-AzAccount, or choose another method with Set-AzMLK8sContext -AuthMethod.",
    };

    public static ModuleError AzAccountsTokenMissing(string resource) => new(
        "Arm.AzAccountsTokenMissing",
        ErrorKind.AuthenticationError,
        $"Get-AzAccessToken returned no token for '{resource}'.")
    {
        RecommendedAction = "Update Az.Accounts (Update-Module Az.Accounts), sign in again with Connect-AzAccount and run the command again.",
    };
}
