namespace AzMLK8s.Model.Context;

/// <summary>How AzMLK8s gets its Azure access tokens.</summary>
public enum AzMLK8sAuthMethod
{
    /// <summary>The Az.Accounts sign-in when there is one (Connect-AzAccount), else <see cref="Environment"/> plus managed identity.</summary>
    Auto = 0,

    /// <summary>The Az.Accounts context of this PowerShell session, through Get-AzAccessToken.</summary>
    AzAccounts = 1,

    /// <summary>The managed identity of the Azure host (Automation, VM, App Service): system-assigned or by client id.</summary>
    ManagedIdentity = 2,

    /// <summary>Environment variables (AZURE_CLIENT_ID, ...), workload identity, then the Azure CLI sign-in.</summary>
    Environment = 3,

    /// <summary>An access token given to Set-AzMLK8sContext -AccessToken.</summary>
    AccessToken = 4,
}
