using System.Collections;
using AzMLK8s.Cmdlets.Computes;
using AzMLK8s.Engine.Operations.Roles;
using AzMLK8s.Harness;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Computes;
using AzMLK8s.Model.Extensions;
using AzMLK8s.Emulator.State;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.ComputeCmdlets;

/// <summary>Connect-AzMLK8sCompute through the real cmdlet against the emulator.</summary>
public sealed class ConnectComputeTests : ComputeTestWorld
{
    [Fact]
    public async Task An_AKS_cluster_is_attached_with_a_system_identity_and_waits_until_Succeeded()
    {
        await InstallAzureMLAsync(AksId);
        var host = NewHost();
        State.Requests.Clear();

        var result = Run(Attach("aks-compute", AksId, "team-a"), host);

        Assert.Null(result.TerminatingError);
        Assert.Empty(host.Errors);
        var compute = Assert.IsType<AzMLK8sCompute>(Assert.Single(host.Output));
        Assert.Equal("Succeeded", compute.ProvisioningState);
        Assert.Equal("SystemAssigned", compute.IdentityType);
        Assert.True(Guid.TryParse(compute.PrincipalId, out _));
        Assert.Equal("team-a", compute.Namespace);
        Assert.Equal(AksId, compute.ClusterResourceId);
        Assert.Equal("ws-demo", compute.WorkspaceName);
        Assert.Equal("eastus", compute.Location);
        Assert.Equal(1, Count("PUT", "Compute_CreateOrUpdate"));
        Assert.Contains(host.Progress, p => p.Completed);
        Assert.Single(host.ShouldProcessCalls);
        Assert.Contains("team-a", host.ShouldProcessCalls[0].Action);
        Assert.DoesNotContain(AzMLK8s.Tests.Azure.ArmTestConnections.Token, host.AllText);
    }

    [Fact]
    public async Task With_service_bus_on_the_workspace_identity_needs_Service_Bus_Data_Owner_on_it()
    {
        var serviceBusId = $"{Group}/providers/Microsoft.ServiceBus/namespaces/aksdemobus";
        await InstallAzureMLAsync(AksId, ("enableTraining", "true"), ("servicebus.enabled", "true"), ("servicebus.resourceID", serviceBusId));
        GrantAllWorkspaceIdentityRoles(AksId, aks: true);
        var host = NewHost();

        Run(Attach("aks-compute", AksId, "default", UaiWorkspaceId), host);
        GrantWorkspaceIdentity(BuiltInRole.AzureServiceBusDataOwner, serviceBusId);
        var granted = NewHost();
        Run(Attach("aks-compute", AksId, "default", UaiWorkspaceId), granted);

        var error = Assert.Single(host.Errors);
        Assert.Equal("WorkspaceIdentityRoleMissing", error.ErrorId);
        Assert.Contains($"Azure Service Bus Data Owner on {serviceBusId}", error.Message);
        Assert.Empty(granted.Errors);
        Assert.Single(granted.Output);
    }

    [Fact]
    public async Task A_name_taken_by_another_compute_type_is_refused()
    {
        await InstallAzureMLAsync(AksId);
        SeedAmlCompute("cpu-cluster");
        var host = NewHost();

        Run(Attach("cpu-cluster", AksId, "default"), host);

        Assert.Equal("NotAKubernetesCompute", Assert.Single(host.Errors).ErrorId);
        Assert.Equal(0, Count("PUT", "Compute_CreateOrUpdate"));
    }

    [Fact]
    public async Task An_Arc_cluster_is_attached_with_a_user_assigned_identity_to_a_workspace_whose_identity_has_its_roles()
    {
        await InstallAzureMLAsync(ArcId);
        SeedRelayNamespace();
        GrantAllWorkspaceIdentityRoles(ArcId, aks: false);
        var host = NewHost();
        var cmdlet = Attach("arc-compute", ArcId, "default", UaiWorkspaceId);
        cmdlet.UserAssignedIdentity = new[] { IdentityId };

        Run(cmdlet, host);

        Assert.Empty(host.Errors);
        var compute = Assert.IsType<AzMLK8sCompute>(Assert.Single(host.Output));
        Assert.Equal("UserAssigned", compute.IdentityType);
        Assert.Equal(ArmSeed.IdentityPrincipalId, compute.UserAssignedIdentities[IdentityId]);
        Assert.Equal("Succeeded", compute.ProvisioningState);
    }

    [Fact]
    public async Task A_missing_namespace_fails_before_anything_is_written()
    {
        await InstallAzureMLAsync(AksId);
        var host = NewHost();
        State.Requests.Clear();

        Run(Attach("aks-compute", AksId, "no-such-ns"), host);

        var error = Assert.Single(host.Errors);
        Assert.Equal("KubernetesNamespaceNotFound", error.ErrorId);
        Assert.Contains("-CreateNamespace", error.RecommendedAction);
        Assert.Contains("kubectl create namespace no-such-ns", error.RecommendedAction);
        Assert.Equal(0, Writes);
        Assert.Empty(host.Output);
    }

    [Fact]
    public async Task CreateNamespace_creates_the_missing_namespace_then_attaches()
    {
        await InstallAzureMLAsync(AksId);
        var host = NewHost();

        Run(Attach("aks-compute", AksId, "ml-jobs").WithSwitch(nameof(ConnectAzMLK8sComputeCommand.CreateNamespace)), host);

        Assert.Empty(host.Errors);
        Assert.True(State.FindCluster(AksId)!.Kubernetes.NamespaceExists("ml-jobs"));
        Assert.Equal("ml-jobs", Assert.IsType<AzMLK8sCompute>(Assert.Single(host.Output)).Namespace);
        Assert.Contains("creating the namespace", host.ShouldProcessCalls.Single().Action);
    }

    [Fact]
    public async Task WhatIf_creates_no_namespace_and_attaches_nothing()
    {
        await InstallAzureMLAsync(AksId);
        var host = NewHost();
        host.ShouldProcessAnswer = (_, _) => false;
        State.Requests.Clear();

        Run(Attach("aks-compute", AksId, "ml-jobs").WithSwitch(nameof(ConnectAzMLK8sComputeCommand.CreateNamespace)), host);

        Assert.Empty(host.Errors);
        Assert.Empty(host.Output);
        Assert.False(State.FindCluster(AksId)!.Kubernetes.NamespaceExists("ml-jobs"));
        Assert.Equal(0, Writes);
    }

    [Fact]
    public async Task An_unreachable_cluster_API_warns_and_the_attach_goes_on()
    {
        await InstallAzureMLAsync(AksId);
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"azmlk8s-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster: { server: "https://127.0.0.1:1", insecure-skip-tls-verify: true }
            users:
            - name: u
              user: { token: "compute-unreachable-canary" }
            contexts:
            - name: ctx
              context: { cluster: c, user: u }
            current-context: ctx
            """);
        try
        {
            var host = NewHost();
            var cmdlet = Attach("aks-compute", AksId, "maybe-there");
            cmdlet.KubeconfigPath = kubeconfig;

            Run(cmdlet, host);

            Assert.Empty(host.Errors);
            Assert.Contains(host.Warnings, w => w.Contains("'maybe-there' was not checked", StringComparison.Ordinal));
            Assert.Equal("Succeeded", Assert.IsType<AzMLK8sCompute>(Assert.Single(host.Output)).ProvisioningState);
            Assert.DoesNotContain("compute-unreachable-canary", host.AllText);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    [Fact]
    public void A_cluster_without_the_AzureML_extension_is_refused_with_the_install_command()
    {
        var host = NewHost();
        State.Requests.Clear();

        Run(Attach("arc-compute", ArcId, "default"), host);

        var error = Assert.Single(host.Errors);
        Assert.Equal("AzureMLExtensionNotFound", error.ErrorId);
        Assert.Contains($"New-AzMLK8sExtension -ClusterResourceId '{ArcId}'", error.RecommendedAction);
        Assert.Equal(0, Writes);
    }

    [Fact]
    public async Task An_extension_with_training_off_warns_and_still_attaches()
    {
        await InstallAzureMLAsync(AksId, ("enableTraining", "false"), ("enableInference", "true"), ("allowInsecureConnections", "true"));
        var host = NewHost();

        Run(Attach("aks-infer", AksId, "default"), host);

        Assert.Empty(host.Errors);
        Assert.Contains(host.Warnings, w => w.Contains("training turned off", StringComparison.Ordinal));
        Assert.Single(host.Output);
    }

    [Fact]
    public async Task A_user_assigned_workspace_identity_without_its_roles_is_refused_with_the_grant_command()
    {
        await InstallAzureMLAsync(AksId);
        GrantWorkspaceIdentity(BuiltInRole.Reader, Group);
        var host = NewHost();
        State.Requests.Clear();

        Run(Attach("aks-compute", AksId, "default", UaiWorkspaceId), host);

        var error = Assert.Single(host.Errors);
        Assert.Equal("WorkspaceIdentityRoleMissing", error.ErrorId);
        Assert.Equal(AzMLK8s.Model.ErrorKind.PermissionDenied, error.Category);
        Assert.Contains("Kubernetes Extension Contributor", error.Message);
        Assert.Contains("Azure Kubernetes Service Cluster Admin Role", error.Message);
        Assert.DoesNotContain("  - Reader", error.Message);
        Assert.Equal($"Grant them, then attach again: Grant-AzMLWorkspaceIdentityRole -WorkspaceName 'ws-uai' -ResourceGroupName 'rg-demo' -ClusterResourceId '{AksId}'", error.RecommendedAction);
        Assert.Equal(0, Count("PUT", "Compute_CreateOrUpdate"));
    }

    [Fact]
    public async Task Owner_on_the_resource_group_stands_in_for_the_cluster_roles_of_a_user_assigned_workspace_identity()
    {
        await InstallAzureMLAsync(AksId);
        GrantWorkspaceIdentity(BuiltInRoles.ByName["Owner"], Group);
        var host = NewHost();

        Run(Attach("aks-compute", AksId, "default", UaiWorkspaceId), host);

        Assert.Empty(host.Errors);
        Assert.Equal("Succeeded", Assert.IsType<AzMLK8sCompute>(Assert.Single(host.Output)).ProvisioningState);
        Assert.Contains(host.Verbose, v => v.StartsWith("Kubernetes Extension Contributor on", StringComparison.Ordinal) && v.Contains("'Owner'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Owner_does_not_stand_in_for_Azure_Relay_Owner_whose_data_actions_it_lacks()
    {
        await InstallAzureMLAsync(ArcId);
        SeedRelayNamespace();
        GrantWorkspaceIdentity(BuiltInRoles.ByName["Owner"], Group);
        var host = NewHost();

        Run(Attach("arc-compute", ArcId, "default", UaiWorkspaceId), host);

        var error = Assert.Single(host.Errors);
        Assert.Equal("WorkspaceIdentityRoleMissing", error.ErrorId);
        Assert.Contains($"Azure Relay Owner on {RelayId}", error.Message);
        Assert.DoesNotContain("Kubernetes Extension Contributor", error.Message);
        Assert.Equal(0, Count("PUT", "Compute_CreateOrUpdate"));
    }

    [Fact]
    public async Task A_custom_role_with_the_needed_permissions_is_accepted_and_one_without_them_is_not()
    {
        await InstallAzureMLAsync(AksId);
        var operatorRole = Guid.NewGuid().ToString();
        var viewerRole = Guid.NewGuid().ToString();
        State.RoleDefinitions.Add(new EmulatedRoleDefinition(operatorRole, "ML cluster operator", "CustomRole", EmulatedPermission.Of(new[]
        {
            "*/read", "Microsoft.KubernetesConfiguration/*", "Microsoft.ContainerService/managedClusters/*",
            "Microsoft.Insights/alertRules/*", "Microsoft.Resources/deployments/*",
        })));
        State.RoleDefinitions.Add(new EmulatedRoleDefinition(viewerRole, "ML cluster viewer", "CustomRole", EmulatedPermission.Of(new[] { "*/read" })));
        GrantWorkspaceIdentity(viewerRole, AksId);
        var refused = NewHost();
        Run(Attach("aks-compute", AksId, "default", UaiWorkspaceId), refused);
        GrantWorkspaceIdentity(operatorRole, AksId);
        var accepted = NewHost();

        Run(Attach("aks-compute", AksId, "default", UaiWorkspaceId), accepted);

        var error = Assert.Single(refused.Errors);
        Assert.Contains("Kubernetes Extension Contributor", error.Message);
        Assert.DoesNotContain("  - Reader", error.Message);
        Assert.Empty(accepted.Errors);
        Assert.Single(accepted.Output);
    }

    [Fact]
    public async Task An_AKS_cluster_without_local_accounts_needs_the_AKS_Contributor_role_for_trusted_access()
    {
        await InstallAzureMLAsync(AksId);
        State.FindCluster(AksId)!.DisableLocalAccounts = true;
        GrantAllWorkspaceIdentityRoles(AksId, aks: true);
        var host = NewHost();

        Run(Attach("aks-compute", AksId, "default", UaiWorkspaceId), host);

        var error = Assert.Single(host.Errors);
        Assert.Equal("WorkspaceIdentityRoleMissing", error.ErrorId);
        Assert.Contains($"Azure Kubernetes Service Contributor Role on {AksId}", error.Message);
        Assert.Contains("1 role(s)", error.Message);
    }

    [Fact]
    public async Task On_Arc_the_cluster_admin_role_and_the_relay_role_are_required_too()
    {
        await InstallAzureMLAsync(ArcId);
        SeedRelayNamespace();
        GrantWorkspaceIdentity(BuiltInRole.Reader, ArcId);
        GrantWorkspaceIdentity(BuiltInRole.KubernetesExtensionContributor, ArcId);
        var host = NewHost();

        Run(Attach("arc-compute", ArcId, "default", UaiWorkspaceId), host);

        var error = Assert.Single(host.Errors);
        Assert.Equal("WorkspaceIdentityRoleMissing", error.ErrorId);
        Assert.Contains($"Azure Relay Owner on {RelayId}", error.Message);
        Assert.Contains($"Azure Kubernetes Service Cluster Admin Role on {ArcId}", error.Message);
        Assert.Contains("2 role(s)", error.Message);
        Assert.Equal(0, Count("PUT", "Compute_CreateOrUpdate"));
    }

    [Fact]
    public async Task On_Arc_only_the_relay_the_clusters_extension_uses_needs_the_relay_role()
    {
        // Another cluster's relay in the same resource group, and the extension pointing at its own hybrid connection.
        var otherRelay = $"{Group}/providers/Microsoft.Relay/namespaces/othercluster00000000000000000000000000000001rgdemorelay";
        SeedRelayNamespace(otherRelay);
        SeedRelayNamespace();
        await InstallAzureMLAsync(ArcId, ("enableTraining", "true"), ("relayserver.hybridConnectionResourceID", $"{RelayId}/hybridConnections/arc-demo"));
        GrantAllWorkspaceIdentityRoles(ArcId, aks: false);
        var host = NewHost();

        Run(Attach("arc-compute", ArcId, "default", UaiWorkspaceId), host);

        Assert.Empty(host.Errors);
        Assert.Single(host.Output);
        Assert.DoesNotContain(otherRelay, host.AllText);
    }

    [Fact]
    public async Task Running_the_same_attach_again_returns_the_compute_without_a_write()
    {
        await InstallAzureMLAsync(AksId);
        Run(Attach("aks-compute", AksId, "team-a"), NewHost());
        var host = NewHost();
        State.Requests.Clear();

        Run(Attach("aks-compute", AksId, "team-a"), host);

        Assert.Empty(host.Errors);
        Assert.Equal("Succeeded", Assert.IsType<AzMLK8sCompute>(Assert.Single(host.Output)).ProvisioningState);
        Assert.Equal(0, Writes);
        Assert.Empty(host.ShouldProcessCalls);
    }

    [Fact]
    public async Task A_changed_definition_is_an_error_when_the_replacement_is_declined()
    {
        await InstallAzureMLAsync(AksId);
        Run(Attach("aks-compute", AksId, "team-a"), NewHost());
        var host = NewHost();
        host.ShouldContinueAnswer = (_, _) => false;
        State.Requests.Clear();

        Run(Attach("aks-compute", AksId, "default"), host);

        var error = Assert.Single(host.Errors);
        Assert.Equal("ComputeDefinitionChanged", error.ErrorId);
        Assert.Contains("namespace 'team-a' -> 'default'", error.Message);
        Assert.Contains("-Force", error.RecommendedAction);
        Assert.Equal(0, Writes);
        Assert.Single(host.ShouldContinueCalls);
    }

    [Fact]
    public async Task Force_detaches_and_attaches_again_without_asking()
    {
        await InstallAzureMLAsync(AksId);
        Run(Attach("aks-compute", AksId, "team-a"), NewHost());
        var host = NewHost();
        State.Requests.Clear();

        Run(Attach("aks-compute", AksId, "default").WithSwitch(nameof(ConnectAzMLK8sComputeCommand.Force)), host);

        Assert.Empty(host.Errors);
        Assert.Equal("default", Assert.IsType<AzMLK8sCompute>(Assert.Single(host.Output)).Namespace);
        Assert.Equal(1, Count("DELETE", "Compute_Delete"));
        Assert.Equal(1, Count("PUT", "Compute_CreateOrUpdate"));
        Assert.Empty(host.ShouldContinueCalls);
        Assert.Contains("Detach compute 'aks-compute' and attach", host.ShouldProcessCalls.Single().Action);
    }

    [Fact]
    public async Task One_cluster_attaches_to_several_computes_and_workspaces_without_a_conflict()
    {
        await InstallAzureMLAsync(AksId);
        GrantAllWorkspaceIdentityRoles(AksId, aks: true);
        var host = NewHost();

        Run(Attach("team-a", AksId, "team-a"), host);
        Run(Attach("team-b", AksId, "default"), host);
        Run(Attach("shared", AksId, "default", UaiWorkspaceId), host);

        Assert.Empty(host.Errors);
        Assert.Equal(3, host.Output.Count);
        Assert.All(host.Output.Cast<AzMLK8sCompute>(), c => Assert.Equal("Succeeded", c.ProvisioningState));
    }

    [Fact]
    public async Task NoWait_returns_the_compute_as_accepted()
    {
        await InstallAzureMLAsync(AksId);
        var host = NewHost();

        Run(Attach("aks-compute", AksId, "default").WithSwitch(nameof(ConnectAzMLK8sComputeCommand.NoWait)), host);

        Assert.Equal("Creating", Assert.IsType<AzMLK8sCompute>(Assert.Single(host.Output)).ProvisioningState);
        Assert.Equal(0, Count("GET", "ComputeOperationsStatus_Get"));
    }

    [Fact]
    public async Task Running_the_attach_again_without_NoWait_waits_for_the_attach_already_under_way()
    {
        await InstallAzureMLAsync(AksId);
        State.Options.OperationDuration = Timeout.InfiniteTimeSpan;
        Run(Attach("aks-compute", AksId, "default").WithSwitch(nameof(ConnectAzMLK8sComputeCommand.NoWait)), NewHost());
        var host = NewHost();
        State.Requests.Clear();

        var run = Task.Run(() => Run(Attach("aks-compute", AksId, "default"), host));
        await Waiting.Until(() => Count("GET", "Compute_Get") >= 2, "the wait read the compute again");

        State.CompleteOperations();
        await run;

        Assert.Empty(host.Errors);
        Assert.Equal("Succeeded", Assert.IsType<AzMLK8sCompute>(Assert.Single(host.Output)).ProvisioningState);
        Assert.Equal(0, Count("PUT", "Compute_CreateOrUpdate"));
        var reads = State.Requests.Entries.Where(e => e.Route == "Compute_Get").ToList();
        Assert.True(reads[1].At - reads[0].At >= TimeSpan.FromMilliseconds(20), "The wait read the compute again at once instead of after the polling interval.");
    }

    [Fact]
    public async Task A_failed_provisioning_is_surfaced_with_its_cause_and_fix()
    {
        await InstallAzureMLAsync(ArcId);
        var host = NewHost();
        // The extension disappears after the checks passed, so the service's attach fails.
        host.ShouldProcessAnswer = (_, _) =>
        {
            lock (State.Gate)
            {
                State.Extensions.Clear();
            }

            return true;
        };

        Run(Attach("arc-compute", ArcId, "default"), host);

        var error = Assert.Single(host.Errors);
        Assert.Equal("ComputeProvisioningFailed", error.ErrorId);
        Assert.Contains("extension not installed", error.Message);
        Assert.Contains("Likely cause", error.Message);
        Assert.Contains("Grant-AzMLWorkspaceIdentityRole -WorkspaceName 'ws-demo'", error.RecommendedAction);
    }

    [Fact]
    public async Task An_extension_object_from_the_pipeline_gives_the_cluster()
    {
        await InstallAzureMLAsync(ArcId);
        var host = NewHost();
        var extension = new AzMLK8sExtension
        {
            Name = "azureml",
            ResourceId = $"{ArcId}/providers/Microsoft.KubernetesConfiguration/extensions/azureml",
            ClusterResourceId = ArcId,
            ClusterName = "arc-demo",
            ClusterType = AzMLK8sClusterType.Arc,
            ResourceGroupName = "rg-demo",
            SubscriptionId = Sub,
        };
        var cmdlet = new ConnectAzMLK8sComputeCommand { Name = "arc-compute", WorkspaceName = "ws-demo", ResourceGroupName = "rg-demo" };

        Run(cmdlet, host, extension);

        Assert.Empty(host.Errors);
        Assert.Equal(ArcId, Assert.IsType<AzMLK8sCompute>(Assert.Single(host.Output)).ClusterResourceId);
    }

    public static TheoryData<string, Action<ConnectAzMLK8sComputeCommand>> BadInputs() => new()
    {
        { "InvalidClusterResourceId", c => c.ClusterResourceId = WorkspaceId },
        { "InvalidClusterResourceId", c => c.ClusterResourceId = "aks-demo" },
        { "InvalidWorkspaceResourceId", c => { c.WorkspaceName = null; c.WorkspaceResourceId = AksId; } },
        { "TooManyUserAssignedIdentities", c => c.UserAssignedIdentity = new[] { IdentityId, IdentityId.Replace("id-demo", "id-other", StringComparison.Ordinal) } },
        { "InvalidUserAssignedIdentityId", c => c.UserAssignedIdentity = new[] { AksId } },
        { "ComputeIdentityMismatch", c => { c.IdentityType = "SystemAssigned"; c.UserAssignedIdentity = new[] { IdentityId }; } },
        { "ComputeIdentityMismatch", c => c.IdentityType = "UserAssigned" },
        { "InvalidComputeName", c => c.Name = "x" },
        { "InvalidComputeName", c => c.Name = "name_with_underscore" },
        { "InvalidComputeName", c => c.Name = "seventeen-chars-x" },
        { "InvalidKubernetesNamespaceName", c => c.Namespace = "Team_A" },
        { "InvalidWorkspaceName", c => c.WorkspaceName = "w" },
        { "InvalidInstanceType", c => c.InstanceType = new Hashtable { ["small"] = new Hashtable { ["resources"] = new Hashtable { ["requests"] = new Hashtable { ["cpu"] = "1" }, ["limits"] = new Hashtable { ["cpu"] = "1", ["memory"] = "1Gi" } } } } },
        { "InvalidInstanceType", c => c.InstanceType = new Hashtable { ["small"] = new Hashtable { ["resource"] = new Hashtable() } } },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_has_a_specific_error_and_sends_no_request(string errorId, Action<ConnectAzMLK8sComputeCommand> spoil)
    {
        var host = NewHost();
        var cmdlet = Attach("aks-compute", AksId, "default");
        spoil(cmdlet);
        State.Requests.Clear();

        Run(cmdlet, host);

        Assert.Equal(errorId, Assert.Single(host.Errors).ErrorId);
        Assert.Equal(AzMLK8s.Model.ErrorKind.InvalidArgument, host.Errors[0].Category);
        Assert.Empty(State.Requests.Entries);
    }

    [Fact]
    public async Task Instance_types_are_sent_and_read_back()
    {
        await InstallAzureMLAsync(AksId);
        var host = NewHost();
        var cmdlet = Attach("aks-compute", AksId, "default");
        cmdlet.DefaultInstanceType = "small";
        cmdlet.InstanceType = new Hashtable
        {
            ["small"] = new Hashtable
            {
                ["nodeSelector"] = new Hashtable { ["agentpool"] = "cpu" },
                ["resources"] = new Hashtable
                {
                    ["requests"] = new Hashtable { ["cpu"] = "500m", ["memory"] = "1Gi" },
                    ["limits"] = new Hashtable { ["cpu"] = 1, ["memory"] = "2Gi" },
                },
            },
        };

        Run(cmdlet, host);
        var again = NewHost();
        Run(CloneOf(cmdlet), again);

        var compute = Assert.IsType<AzMLK8sCompute>(Assert.Single(host.Output));
        Assert.Equal("small", compute.DefaultInstanceType);
        Assert.Equal(new[] { "small" }, compute.InstanceTypes);
        Assert.Empty(again.Errors);
        Assert.Empty(again.ShouldProcessCalls);
    }

    private static ConnectAzMLK8sComputeCommand CloneOf(ConnectAzMLK8sComputeCommand cmdlet) => new()
    {
        Name = cmdlet.Name,
        WorkspaceName = cmdlet.WorkspaceName,
        ResourceGroupName = cmdlet.ResourceGroupName,
        ClusterResourceId = cmdlet.ClusterResourceId,
        Namespace = cmdlet.Namespace,
        DefaultInstanceType = cmdlet.DefaultInstanceType,
        InstanceType = cmdlet.InstanceType,
    };

    private static ConnectAzMLK8sComputeCommand Attach(string name, string clusterId, string ns, string? workspaceId = null) =>
        workspaceId is null
            ? new ConnectAzMLK8sComputeCommand { Name = name, WorkspaceName = "ws-demo", ResourceGroupName = "rg-demo", ClusterResourceId = clusterId, Namespace = ns }
            : new ConnectAzMLK8sComputeCommand { Name = name, WorkspaceResourceId = workspaceId, ClusterResourceId = clusterId, Namespace = ns };
}
