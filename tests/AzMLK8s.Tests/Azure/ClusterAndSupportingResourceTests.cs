using System.Text;
using System.Text.Json.Nodes;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Azure.Resources;
using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Model;
using AzMLK8s.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace AzMLK8s.Tests.Azure;

/// <summary>Cluster GET and kubeconfig, workspace and identity GET, Relay, Log Analytics, features and providers.</summary>
public sealed class ClusterAndSupportingResourceTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorServer _server;

    public ClusterAndSupportingResourceTests(EmulatorFixture fixture)
    {
        _server = fixture.Server;
    }

    [Fact]
    public async Task Cluster_GET_reads_AKS_node_pools_and_the_Arc_distribution()
    {
        var connection = ArmTestConnections.Connect(_server);

        var aks = await connection.Clusters.GetAsync(ArmTestConnections.AksId, default);
        var ocp = await connection.Clusters.GetAsync(ArmTestConnections.ArcId.Replace("arc-demo", "arc-ocp", StringComparison.Ordinal), default);
        var missing = await connection.Clusters.GetAsync(ArmTestConnections.AksId.Replace("aks-demo", "nope", StringComparison.Ordinal), default);

        Assert.Equal(3, aks?.Properties.AgentPoolProfiles?.Sum(p => p.Count));
        Assert.Equal("openshift", ocp?.Properties.Distribution);
        Assert.Equal(3, ocp?.Properties.TotalNodeCount);
        Assert.Null(missing);
    }

    [Fact]
    public async Task A_resource_id_that_is_not_a_cluster_is_rejected_before_any_request()
    {
        var connection = ArmTestConnections.Connect(_server);

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => connection.Clusters.GetUserKubeconfigAsync(ArmTestConnections.WorkspaceId, default))).Error;

        Assert.Equal("Arm.UnsupportedClusterType", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Category);
    }

    [Fact]
    public async Task The_user_kubeconfig_is_fetched_the_AKS_way_and_the_Arc_way_and_decoded()
    {
        var seen = new List<(string Path, string Body)>();
        // Stands in for the listClusterUserCredential routes (the Kubernetes side of the emulator serves the real ones).
        await using var fake = await FakeArmServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            seen.Add((context.Request.Path + context.Request.QueryString, await reader.ReadToEndAsync()));
            var type = context.Request.Path.Value!.Contains("managedClusters", StringComparison.Ordinal) ? "managedClusters" : "connectedClusters";
            var kubeconfig = Convert.ToBase64String(Encoding.UTF8.GetBytes($"apiVersion: v1\nkind: Config # {type}"));
            return Results.Json(new { kubeconfigs = new[] { new { name = "clusterUser", value = kubeconfig } } });
        });
        var connection = fake.Connect(new RecordingHost());
        IClusterCredentialSource source = connection.Clusters;

        var aks = Encoding.UTF8.GetString(await source.GetUserKubeconfigAsync(ArmTestConnections.AksId, default));
        var arc = Encoding.UTF8.GetString(await source.GetUserKubeconfigAsync(ArmTestConnections.ArcId, default));

        Assert.Equal("apiVersion: v1\nkind: Config # managedClusters", aks);
        Assert.Equal("apiVersion: v1\nkind: Config # connectedClusters", arc);
        Assert.EndsWith("/managedClusters/aks-demo/listClusterUserCredential?api-version=" + ArmApiVersions.ManagedClusters, seen[0].Path);
        Assert.Equal(string.Empty, seen[0].Body);
        Assert.EndsWith("/connectedClusters/arc-demo/listClusterUserCredential?api-version=" + ArmApiVersions.ConnectedClusters, seen[1].Path);
        var arcBody = JsonNode.Parse(seen[1].Body)!;
        Assert.Equal("Token", arcBody["authenticationMethod"]!.GetValue<string>());
        Assert.False(arcBody["clientProxy"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_emulated_clusters_hand_their_kubeconfigs_to_the_engine_credential_source()
    {
        var connection = ArmTestConnections.Connect(_server);

        var aks = Encoding.UTF8.GetString(await connection.Clusters.GetUserKubeconfigAsync(ArmTestConnections.AksId, default));
        var arc = Encoding.UTF8.GetString(await connection.Clusters.GetUserKubeconfigAsync(ArmTestConnections.ArcId, default));

        Assert.Contains(_server.State.FindCluster(ArmTestConnections.AksId)!.KubernetesApiPath, aks);
        Assert.Contains(_server.State.FindCluster(ArmTestConnections.ArcId)!.KubernetesApiPath, arc);
        Assert.Equal(2, _server.State.Requests.Entries.Count(e => e.Path.EndsWith("/listClusterUserCredential", StringComparison.Ordinal) && e.Status == 200));
    }

    [Fact]
    public async Task Workspaces_read_their_identities()
    {
        var connection = ArmTestConnections.Connect(_server);

        var system = await connection.Workspaces.GetAsync(ArmTestConnections.WorkspaceId, default);
        var userAssigned = await connection.Workspaces.GetAsync(ArmTestConnections.UaiWorkspaceId, default);

        Assert.Equal("SystemAssigned", system?.Identity?.Type);
        Assert.Equal(AzMLK8s.Emulator.State.ArmSeed.WorkspacePrincipalId, system?.Identity?.PrincipalId);
        Assert.Equal(ArmTestConnections.IdentityId, userAssigned?.Properties.PrimaryUserAssignedIdentity);
        Assert.Contains(ArmTestConnections.IdentityId, userAssigned!.Identity!.UserAssignedIdentities!.Keys);
        Assert.EndsWith("/registries/acrdemo", system?.Properties.ContainerRegistry);
    }

    [Fact]
    public async Task Relay_namespace_hybrid_connection_and_rule_are_created_and_their_keys_stay_out_of_the_streams()
    {
        var host = new RecordingHost();
        var connection = ArmTestConnections.Connect(_server, host);
        var ns = RelayOperations.NamespaceId(ArmTestConnections.Subscription, "rg-demo", "relay-arc-demo");
        var hc = RelayOperations.HybridConnectionId(ns, "arc-demo");
        var rule = RelayOperations.AuthorizationRuleId(hc, "azureml_rw");

        var missingParent = (await Assert.ThrowsAsync<ModuleErrorException>(() => connection.Relay.CreateOrUpdateHybridConnectionAsync(hc, default))).Error;
        var created = await connection.Relay.CreateOrUpdateNamespaceAsync(ns, "eastus", default);
        await connection.Relay.CreateOrUpdateHybridConnectionAsync(hc, default);
        var ruleResource = await connection.Relay.CreateOrUpdateAuthorizationRuleAsync(rule, new[] { "Listen", "Send" }, default);
        var keys = await connection.Relay.ListKeysAsync(rule, default);
        var again = await connection.Relay.ListKeysAsync(rule, default);

        Assert.Equal("Arm.ParentResourceNotFound", missingParent.ErrorId);
        Assert.Equal("https://relay-arc-demo.servicebus.windows.net:443/", created.Properties.ServiceBusEndpoint);
        Assert.Equal(new[] { "Listen", "Send" }, ruleResource.Properties.Rights);
        Assert.StartsWith("Endpoint=sb://relay-arc-demo.servicebus.windows.net/;SharedAccessKeyName=azureml_rw;SharedAccessKey=", keys.PrimaryConnectionString);
        Assert.EndsWith(";EntityPath=arc-demo", keys.PrimaryConnectionString);
        Assert.Equal(keys.PrimaryKey, again.PrimaryKey);
        Assert.DoesNotContain(keys.PrimaryKey!, host.AllText);
        Assert.NotNull(await connection.Relay.GetAsync(hc, default));
    }

    [Fact]
    public async Task Log_Analytics_workspace_and_shared_keys()
    {
        var connection = ArmTestConnections.Connect(_server);
        var id = $"{ArmTestConnections.ResourceGroupScope}/providers/Microsoft.OperationalInsights/workspaces/la-demo";

        Assert.Null(await connection.LogAnalytics.GetWorkspaceAsync(id, default));
        var created = await connection.LogAnalytics.CreateOrUpdateWorkspaceAsync(id, "eastus", default);
        var read = await connection.LogAnalytics.GetWorkspaceAsync(id, default);
        var keys = await connection.LogAnalytics.GetSharedKeysAsync(id, default);

        Assert.True(Guid.TryParse(created.Properties.CustomerId, out _));
        Assert.Equal(created.Properties.CustomerId, read?.Properties.CustomerId);
        Assert.False(string.IsNullOrEmpty(keys.PrimarySharedKey));
    }

    [Fact]
    public async Task A_feature_goes_from_NotRegistered_through_Registering_to_Registered_through_Azure_ResourceManager()
    {
        var host = new RecordingHost();
        var connection = ArmTestConnections.Connect(_server, host);
        var registrations = connection.Registrations;
        // Long enough that the wait sees Registering at least once however slow the first SDK call is.
        _server.State.Options.RegistrationDuration = TimeSpan.FromSeconds(1);

        var before = await registrations.GetFeatureStateAsync("Microsoft.ContainerService", "AKS-ExtensionManager", default);
        var registering = await registrations.RegisterFeatureAsync("Microsoft.ContainerService", "AKS-ExtensionManager", default);
        var final = await registrations.RegisterFeatureAndWaitAsync("Microsoft.ContainerService", "AKS-ExtensionManager", default);

        Assert.Equal("NotRegistered", before);
        Assert.Equal("Registering", registering);
        Assert.Equal("Registered", final);
        Assert.Contains(host.Progress, p => p.Activity == "Waiting for feature Microsoft.ContainerService/AKS-ExtensionManager" && p.Status == "Registering");
        _server.State.Options.RegistrationDuration = EmulatorFixture.FastOptions().RegistrationDuration;
        var featureRequests = _server.State.Requests.Entries.Where(r => r.Route.StartsWith("Features_", StringComparison.Ordinal)).ToArray();
        Assert.All(featureRequests, r => Assert.Equal(connection.CorrelationId, r.CorrelationId));
        Assert.All(featureRequests, r => Assert.Contains("AzMLK8s/", r.UserAgent));
    }

    [Fact]
    public async Task A_provider_registers_and_a_registered_one_stays_registered()
    {
        var connection = ArmTestConnections.Connect(_server);

        var seeded = await connection.Registrations.GetProviderStateAsync("Microsoft.KubernetesConfiguration", default);
        var unknown = await connection.Registrations.RegisterProviderAsync("Microsoft.Contoso", default);
        var reregistered = await connection.Registrations.RegisterProviderAsync("Microsoft.Kubernetes", default);
        var waited = await connection.Registrations.RegisterProviderAndWaitAsync("Microsoft.Contoso", default);

        Assert.Equal("Registered", seeded);
        Assert.Equal("Registering", unknown);
        Assert.Equal("Registered", reregistered);
        Assert.Equal("Registered", waited);
    }
}
