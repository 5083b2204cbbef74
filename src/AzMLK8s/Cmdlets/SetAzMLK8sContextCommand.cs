using System.Management.Automation;
using System.Net;
using System.Security;
using AzMLK8s.Engine.Azure.Context;
using AzMLK8s.Model.Context;

namespace AzMLK8s.Cmdlets;

/// <summary>
/// Chooses the cloud (or a custom ARM endpoint), subscription, tenant and sign-in method the module's cmdlets use
/// in this PowerShell session. Like Set-AzContext it supports -WhatIf/-Confirm (it changes only this session's choice,
/// at low impact, so it does not ask by default) and writes the context it stored. A context from Get-AzMLK8sContext
/// (live or saved with Export-Clixml) pipes back in, to restore it in another runspace or job; a token is never in it.
/// </summary>
[Cmdlet(VerbsCommon.Set, "AzMLK8sContext", HelpUri = AzMLK8sCmdlet.HelpUriBase + "Set-AzMLK8sContext.md", DefaultParameterSetName = CloudSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(AzMLK8sContextInfo))]
public sealed class SetAzMLK8sContextCommand : AzMLK8sCmdlet
{
    private const string CloudSet = "Cloud";
    private const string EndpointSet = "Endpoint";
    private const string InputObjectSet = "InputObject";

    /// <summary>A context from Get-AzMLK8sContext, live or saved.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ContextInfoTransformation]
    public AzMLK8sContextInfo? InputObject { get; set; }

    [Parameter(ParameterSetName = CloudSet)]
    [ValidateSet("AzureCloud", "AzureChinaCloud", "AzureUSGovernment")]
    public string? Cloud { get; set; }

    /// <summary>A custom ARM endpoint: the emulator, or a proxy in front of ARM.</summary>
    [Parameter(Mandatory = true, ParameterSetName = EndpointSet)]
    public Uri? ArmEndpoint { get; set; }

    /// <summary>The audience tokens are requested for at a custom endpoint; defaults to the public cloud's.</summary>
    [Parameter(ParameterSetName = EndpointSet)]
    public string? TokenAudience { get; set; }

    /// <summary>Accept exactly this server certificate (SHA-256 or SHA-1 thumbprint) from the custom endpoint.</summary>
    [Parameter(ParameterSetName = EndpointSet)]
    public string? TrustedCertificateThumbprint { get; set; }

    /// <summary>Accept exactly the server certificate in this file (PEM or DER) from the custom endpoint.</summary>
    [Parameter(ParameterSetName = EndpointSet)]
    public string? TrustedCertificatePath { get; set; }

    [Parameter]
    [Alias("Subscription")]
    public string? SubscriptionId { get; set; }

    [Parameter]
    [Alias("Tenant")]
    public string? TenantId { get; set; }

    [Parameter]
    public AzMLK8sAuthMethod AuthMethod { get; set; } = AzMLK8sAuthMethod.Auto;

    private bool Given(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    [Parameter]
    public SecureString? AccessToken { get; set; }

    /// <summary>A user-assigned managed identity's client id; without it ManagedIdentity means the system-assigned one.</summary>
    [Parameter]
    public string? ManagedIdentityClientId { get; set; }

    protected override Task ProcessAsync(CancellationToken cancellationToken)
    {
        if (AccessToken is not null)
        {
            Secrets.Add(new NetworkCredential(string.Empty, AccessToken).Password);
        }

        // A relative path is relative to the PowerShell location, not the process's working directory.
        var path = UserFile.Existing(Seam, TrustedCertificatePath, nameof(TrustedCertificatePath));
        var requested = InputObject is { } saved
            ? AzureContextCommands.FromInfo(saved) with
            {
                SubscriptionId = Given(nameof(SubscriptionId)) ? SubscriptionId : saved.SubscriptionId,
                TenantId = Given(nameof(TenantId)) ? TenantId : saved.TenantId,
                AuthMethod = Given(nameof(AuthMethod)) ? AuthMethod : saved.AuthMethod,
                ManagedIdentityClientId = Given(nameof(ManagedIdentityClientId)) ? ManagedIdentityClientId : saved.ManagedIdentityClientId,
                AccessToken = AccessToken,
            }
            : new AzureContextSettings
            {
                CloudName = Cloud,
                ArmEndpoint = ArmEndpoint,
                TokenAudience = TokenAudience,
                TrustedCertificateThumbprint = TrustedCertificateThumbprint,
                SubscriptionId = SubscriptionId,
                TenantId = TenantId,
                AuthMethod = AuthMethod,
                AccessToken = AccessToken,
                ManagedIdentityClientId = ManagedIdentityClientId,
            };
        var info = AzureContextCommands.Set(Seam, requested, path);
        if (info is null)
        {
            return Task.CompletedTask;
        }

        Seam.WriteVerbose($"AzMLK8s will use {info}.");
        Seam.WriteObject(info);

        return Task.CompletedTask;
    }
}
