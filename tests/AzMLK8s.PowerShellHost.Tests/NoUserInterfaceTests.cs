using System.Management.Automation;
using System.Management.Automation.Runspaces;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.PowerShellHost.Tests.Infrastructure;

namespace AzMLK8s.PowerShellHost.Tests;

/// <summary>
/// Hosts with no one to ask: a PSHost whose prompts fail (as Azure Automation's), and a runspace made with no host at
/// all. A question the module needs answered is ConfirmationRequired; -Debug's inquiries do not fail the command.
/// </summary>
public sealed class NoUserInterfaceTests : SessionPerTest
{
    [Fact]
    public void A_remove_in_a_host_that_cannot_prompt_is_ConfirmationRequired_and_sends_no_delete()
    {
        Session.Run("New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining | Out-Null", ("aks", AksId)).ThrowIfFailed();
        Session.Host.CanPrompt = false;

        var result = Session.Run("Remove-AzMLK8sExtension -ClusterResourceId $aks", ("aks", AksId));

        var error = Assert.Single(result.Errors);
        Assert.Equal("ConfirmationRequired,AzMLK8s.Cmdlets.Extensions.RemoveAzMLK8sExtensionCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        Assert.Contains("-Confirm:$false", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Single(Session.Host.Prompts);
        Assert.Equal(0, State.Requests.Count("DELETE", "Extensions_Delete"));
    }

    [Fact]
    public async Task A_runspace_with_no_host_refuses_a_high_impact_change_the_same_way()
    {
        Session.Run("New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining | Out-Null", ("aks", AksId)).ThrowIfFailed();
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using var shell = PowerShell.Create(runspace);
        shell.AddScript(
            $"Import-Module '{ModuleSession.ModuleManifest}'; " +
            "$null = Set-AzMLK8sContext -ArmEndpoint $endpoint -TrustedCertificateThumbprint $thumbprint -SubscriptionId 00000000-0000-0000-0000-000000000001 -AuthMethod AccessToken -AccessToken (ConvertTo-SecureString t0ken-x -AsPlainText -Force); " +
            "Remove-AzMLK8sExtension -ClusterResourceId $aks");
        runspace.SessionStateProxy.SetVariable("endpoint", Server.BaseAddress);
        runspace.SessionStateProxy.SetVariable("thumbprint", Server.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
        runspace.SessionStateProxy.SetVariable("aks", AksId);

        await Task.Run(() => shell.Invoke());

        var error = Assert.Single(shell.Streams.Error);
        Assert.Equal("ConfirmationRequired,AzMLK8s.Cmdlets.Extensions.RemoveAzMLK8sExtensionCommand", error.FullyQualifiedErrorId);
        Assert.Equal(0, State.Requests.Count("DELETE", "Extensions_Delete"));
    }

    [Fact]
    public void Debug_in_a_host_that_cannot_prompt_writes_every_record_and_completes()
    {
        Session.Host.CanPrompt = false;

        var result = Session.Run("New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining -Debug", ("aks", AksId));

        Assert.Null(result.Terminated);
        Assert.Empty(result.Errors);
        Assert.Single(result.Output);
        Assert.Contains(result.Debug, d => d.Message.StartsWith("ARM PUT ", StringComparison.Ordinal));
        Assert.DoesNotContain(ModuleSession.CanaryToken, result.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disruptive_update_answered_No_by_the_host_changes_nothing_and_says_how_to_skip_the_question()
    {
        Session.Run(
            "New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining -EnableInference -InferenceRouterServiceType NodePort -AllowInsecureConnection -WarningAction SilentlyContinue | Out-Null",
            ("aks", AksId)).ThrowIfFailed();
        Session.Host.Answers.Enqueue("No");

        var result = Session.Run("Update-AzMLK8sExtension -ClusterResourceId $aks -InferenceRouterServiceType LoadBalancer", ("aks", AksId));

        Assert.Empty(result.Errors);
        Assert.Contains(result.Warnings, w => w.Message.Contains("-Force", StringComparison.Ordinal));
        Assert.Equal(0, State.Requests.Count("PATCH", "Extensions_Update"));
    }
}
