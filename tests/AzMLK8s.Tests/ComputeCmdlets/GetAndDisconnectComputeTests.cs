using AzMLK8s.Cmdlets.Computes;
using AzMLK8s.Harness;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Computes;
using AzMLK8s.Model.Extensions;

namespace AzMLK8s.Tests.ComputeCmdlets;

/// <summary>Get-AzMLK8sCompute and Disconnect-AzMLK8sCompute through the real cmdlets against the emulator.</summary>
public sealed class GetAndDisconnectComputeTests : ComputeTestWorld
{
    [Fact]
    public async Task Get_lists_the_Kubernetes_computes_of_a_workspace_and_one_by_name()
    {
        await AttachAsync("team-a", AksId, WorkspaceId);
        await AttachAsync("team-b", ArcId, WorkspaceId);

        var all = NewHost();
        Run(new GetAzMLK8sComputeCommand { WorkspaceName = "ws-demo", ResourceGroupName = "rg-demo" }, all);
        var one = NewHost();
        Run(new GetAzMLK8sComputeCommand { WorkspaceResourceId = WorkspaceId, Name = "team-b" }, one);

        Assert.Equal(new[] { "team-a", "team-b" }, all.Output.Cast<AzMLK8sCompute>().Select(c => c.Name).Order());
        var compute = Assert.IsType<AzMLK8sCompute>(Assert.Single(one.Output));
        Assert.Equal(ArcId, compute.ClusterResourceId);
        Assert.Equal(WorkspaceId, compute.WorkspaceResourceId);
    }

    [Fact]
    public async Task Other_compute_types_are_left_out_and_named_when_asked_for()
    {
        await AttachAsync("team-a", AksId, WorkspaceId);
        SeedAmlCompute("cpu-cluster");

        var all = NewHost();
        Run(new GetAzMLK8sComputeCommand { WorkspaceName = "ws-demo", ResourceGroupName = "rg-demo" }, all);
        var named = NewHost();
        Run(new GetAzMLK8sComputeCommand { WorkspaceName = "ws-demo", ResourceGroupName = "rg-demo", Name = "cpu-cluster" }, named);
        var detach = NewHost();
        Run(new DisconnectAzMLK8sComputeCommand { WorkspaceName = "ws-demo", ResourceGroupName = "rg-demo", Name = "cpu-cluster" }, detach);

        Assert.Equal("team-a", Assert.IsType<AzMLK8sCompute>(Assert.Single(all.Output)).Name);
        Assert.Equal("NotAKubernetesCompute", Assert.Single(named.Errors).ErrorId);
        Assert.Equal("NotAKubernetesCompute", Assert.Single(detach.Errors).ErrorId);
        Assert.NotNull(State.Resources.Get($"{WorkspaceId}/computes/cpu-cluster"));
    }

    [Fact]
    public void Get_of_a_missing_compute_is_ComputeNotFound()
    {
        var host = NewHost();

        Run(new GetAzMLK8sComputeCommand { WorkspaceName = "ws-demo", ResourceGroupName = "rg-demo", Name = "nothing" }, host);

        Assert.Equal("ComputeNotFound", Assert.Single(host.Errors).ErrorId);
    }

    [Fact]
    public async Task Get_by_cluster_finds_its_computes_across_the_workspaces_of_a_group_and_of_the_subscription()
    {
        GrantAllWorkspaceIdentityRoles(AksId, aks: true);
        await AttachAsync("team-a", AksId, WorkspaceId);
        await AttachAsync("other", ArcId, WorkspaceId);
        await AttachAsync("shared", AksId, UaiWorkspaceId);
        var extension = new AzMLK8sExtension
        {
            Name = "azureml",
            ResourceId = $"{AksId}/providers/Microsoft.KubernetesConfiguration/extensions/azureml",
            ClusterResourceId = AksId,
            ClusterName = "aks-demo",
            ClusterType = AzMLK8sClusterType.Aks,
            ResourceGroupName = "rg-demo",
            SubscriptionId = Sub,
        };

        var inGroup = NewHost();
        Run(new GetAzMLK8sComputeCommand { ClusterResourceId = AksId, ResourceGroupName = "rg-demo" }, inGroup);
        var inSubscription = NewHost();
        Run(new GetAzMLK8sComputeCommand(), inSubscription, extension);

        Assert.Equal(new[] { "shared", "team-a" }, inGroup.Output.Cast<AzMLK8sCompute>().Select(c => c.Name).Order());
        Assert.Equal(new[] { "shared", "team-a" }, inSubscription.Output.Cast<AzMLK8sCompute>().Select(c => c.Name).Order());
        Assert.Equal(1, Count("GET", "Workspaces_ListBySubscription"));
    }

    [Fact]
    public async Task Disconnect_detaches_waits_until_gone_and_leaves_the_cluster()
    {
        await AttachAsync("team-a", AksId, WorkspaceId);
        var host = NewHost();
        State.Requests.Clear();

        Run(new DisconnectAzMLK8sComputeCommand { Name = "team-a", WorkspaceName = "ws-demo", ResourceGroupName = "rg-demo" }.WithSwitch(nameof(DisconnectAzMLK8sComputeCommand.PassThru)), host);

        Assert.Empty(host.Errors);
        Assert.Equal("team-a", Assert.IsType<AzMLK8sCompute>(Assert.Single(host.Output)).Name);
        Assert.Null(State.Resources.Get($"{WorkspaceId}/computes/team-a"));
        Assert.NotNull(State.FindCluster(AksId));
        Assert.Equal(1, Count("DELETE", "Compute_Delete"));
        Assert.Contains("cluster", host.ShouldProcessCalls.Single().Action);
        Assert.Equal($"{WorkspaceId}/computes/team-a", host.ShouldProcessCalls.Single().Target);
    }

    [Fact]
    public void Disconnecting_a_compute_that_is_gone_is_no_error_and_sends_no_delete()
    {
        var host = NewHost();
        State.Requests.Clear();

        Run(new DisconnectAzMLK8sComputeCommand { Name = "team-a", WorkspaceResourceId = WorkspaceId }, host);

        Assert.Empty(host.Errors);
        Assert.Empty(host.Output);
        Assert.Equal(0, Count("DELETE", "Compute_Delete"));
    }

    [Fact]
    public async Task Get_piped_to_Disconnect_detaches_every_compute_and_WhatIf_detaches_none()
    {
        await AttachAsync("team-a", AksId, WorkspaceId);
        await AttachAsync("team-b", ArcId, WorkspaceId);
        var get = NewHost();
        Run(new GetAzMLK8sComputeCommand { WorkspaceName = "ws-demo", ResourceGroupName = "rg-demo" }, get);
        var whatIf = NewHost();
        whatIf.ShouldProcessAnswer = (_, _) => false;

        Run(new DisconnectAzMLK8sComputeCommand(), whatIf, get.Output.ToArray());
        var stillThere = State.Resources.Children(WorkspaceId, "computes").Count;
        var host = NewHost();
        Run(new DisconnectAzMLK8sComputeCommand(), host, get.Output.ToArray());

        Assert.Equal(2, stillThere);
        Assert.Empty(host.Errors);
        Assert.Equal(2, host.ShouldProcessCalls.Count);
        Assert.Empty(State.Resources.Children(WorkspaceId, "computes"));
    }

    [Fact]
    public async Task NoWait_starts_the_detach_and_returns()
    {
        await AttachAsync("team-a", AksId, WorkspaceId);
        var host = NewHost();
        State.Requests.Clear();

        Run(new DisconnectAzMLK8sComputeCommand { Name = "team-a", WorkspaceName = "ws-demo", ResourceGroupName = "rg-demo" }.WithSwitch(nameof(DisconnectAzMLK8sComputeCommand.NoWait)), host);

        Assert.Empty(host.Errors);
        Assert.Equal(1, Count("DELETE", "Compute_Delete"));
        Assert.Equal(0, Count("GET", "ComputeOperationsStatus_Get"));
    }

    private async Task AttachAsync(string name, string clusterId, string workspaceId)
    {
        if (!State.Extensions.Values.Any(e => string.Equals(e.Cluster.ResourceId, clusterId, StringComparison.OrdinalIgnoreCase)))
        {
            await InstallAzureMLAsync(clusterId);
        }

        if (clusterId == ArcId)
        {
            SeedRelayNamespace();
        }

        var host = NewHost();
        Run(new ConnectAzMLK8sComputeCommand { Name = name, WorkspaceResourceId = workspaceId, ClusterResourceId = clusterId }, host);
        Assert.Empty(host.Errors);
    }
}
