namespace AzMLK8s.PowerShellHost.Tests.Computes;

/// <summary>-Confirm on Grant-/Revoke-AzMLComputeRole and Grant-AzMLWorkspaceIdentityRole, answered through a host.</summary>
public sealed class RolePromptTests : ComputeSessionTest
{
    private const string Compute = "Get-AzMLK8sCompute -WorkspaceName ws-demo -ResourceGroupName rg-demo -Name team-a";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        InstallAzureML(AksId);
        Attach("team-a", AksId);
        State.Requests.Clear();
    }

    [Fact]
    public void A_grant_answered_No_assigns_nothing_and_the_question_names_the_role_and_the_identity()
    {
        Session.Host.Answers.Enqueue("No");

        var result = Session.Run($"{Compute} | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -Confirm");

        var (_, message) = Assert.Single(Session.Host.Prompts);
        Assert.Contains("Grant role 'AcrPull' to the system-assigned identity of compute 'team-a'", message, StringComparison.Ordinal);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Equal(0, Writes);
    }

    [Fact]
    public void A_grant_answered_Yes_assigns_the_role()
    {
        Session.Host.Answers.Enqueue("Yes");

        var result = Session.Run($"{Compute} | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -Confirm").ThrowIfFailed();

        Assert.Single(Session.Host.Prompts);
        Assert.Equal("Created", (string)((dynamic)Assert.Single(result.BaseObjects)).Status);
        Assert.Single(State.RoleAssignments, a => a.Scope.Equals(RegistryId, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_revoke_answered_No_keeps_the_assignment()
    {
        Session.Run($"$null = {Compute} | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo").ThrowIfFailed();
        Session.Host.Answers.Enqueue("No");

        var result = Session.Run($"{Compute} | Revoke-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo -Confirm");

        var (_, message) = Assert.Single(Session.Host.Prompts);
        Assert.Contains("Revoke role 'AcrPull'", message, StringComparison.Ordinal);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Single(State.RoleAssignments, a => a.Scope.Equals(RegistryId, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_workspace_identity_grant_asks_role_by_role_and_grants_only_those_answered_Yes()
    {
        Session.Host.Answers.Enqueue("Yes");
        Session.Host.Answers.Enqueue("No");
        Session.Host.Answers.Enqueue("Yes");

        var result = Session.Run("Grant-AzMLWorkspaceIdentityRole -WorkspaceName ws-uai -ResourceGroupName rg-demo -ClusterResourceId $aks -Confirm", ("aks", AksId)).ThrowIfFailed();

        Assert.Equal(3, Session.Host.Prompts.Count);
        Assert.Contains("'Kubernetes Extension Contributor'", Session.Host.Prompts[1].Message, StringComparison.Ordinal);
        var granted = result.BaseObjects.Select(a => (string)((dynamic)a).RoleDefinitionName).ToArray();
        Assert.Equal(new[] { "Reader", "Azure Kubernetes Service Cluster Admin Role" }, granted);
        Assert.Equal(2, Count("PUT", "RoleAssignments_Create"));
    }
}
