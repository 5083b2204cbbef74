using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Model;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Azure;

/// <summary>The ARM pipeline against the emulator: headers, retries with Retry-After, certificate pinning, throttling.</summary>
public sealed class ArmPipelineTests : EmulatorPerTest
{
    [Fact]
    public async Task Every_request_of_one_connection_carries_the_module_user_agent_and_one_correlation_id()
    {
        var connection = ArmTestConnections.Connect(Server);

        await connection.Workspaces.GetAsync(ArmTestConnections.WorkspaceId, default);
        await connection.Clusters.GetAsync(ArmTestConnections.AksId, default);

        var requests = Server.State.Requests.Entries;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(connection.CorrelationId, r.CorrelationId));
        Assert.All(requests, r => Assert.StartsWith("AzMLK8s/0.1.0", r.UserAgent));
        var other = ArmTestConnections.Connect(Server);
        Assert.NotEqual(connection.CorrelationId, other.CorrelationId);
    }

    [Theory]
    [InlineData(FaultKind.TooManyRequests)]
    [InlineData(FaultKind.ServiceUnavailable)]
    public async Task A_throttled_or_unavailable_answer_is_retried_after_the_Retry_After_the_service_asked_for(FaultKind kind)
    {
        Server.State.Faults.Add(new FaultRule(kind) { Method = "GET", PathPattern = "/workspaces/ws-demo$", Times = 1, RetryAfterSeconds = 1 });
        var connection = ArmTestConnections.Connect(Server);

        var workspace = await connection.Workspaces.GetAsync(ArmTestConnections.WorkspaceId, default);

        Assert.Equal("ws-demo", workspace?.Name);
        var attempts = Server.State.Requests.Entries.Where(r => r.Route == "Resources_Get").ToArray();
        Assert.Equal(new[] { kind == FaultKind.TooManyRequests ? 429 : 503, 200 }, attempts.Select(a => a.Status));
        // The client's own back-off is 10 ms here; only the server's Retry-After explains a one-second wait.
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(900), $"retried after {(attempts[1].At - attempts[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_reset_connection_is_retried()
    {
        Server.State.Faults.Add(new FaultRule(FaultKind.ConnectionReset) { PathPattern = "/managedClusters/aks-demo$", Times = 2 });
        var connection = ArmTestConnections.Connect(Server);

        var cluster = await connection.Clusters.GetAsync(ArmTestConnections.AksId, default);

        Assert.Equal(3, cluster?.Properties.AgentPoolProfiles?.Single().Count);
        Assert.Equal(3, Server.State.Requests.Count("GET", "Clusters_Get"));
    }

    [Fact]
    public async Task A_request_answered_503_first_still_gets_its_tries_at_a_dropped_connection()
    {
        Server.State.Faults.Add(new FaultRule(FaultKind.ServiceUnavailable) { PathPattern = "/managedClusters/aks-demo$", Times = 2 });
        Server.State.Faults.Add(new FaultRule(FaultKind.ConnectionReset) { PathPattern = "/managedClusters/aks-demo$", Times = 2 });
        var connection = ArmTestConnections.Connect(Server, options: ArmTestConnections.FastOptions(maxRetries: new ArmConnectionOptions().MaxRetries));

        var cluster = await connection.Clusters.GetAsync(ArmTestConnections.AksId, default);

        Assert.Equal(3, cluster?.Properties.AgentPoolProfiles?.Single().Count);
        Assert.Equal(5, Server.State.Requests.Count("GET", "Clusters_Get"));
    }

    [Fact]
    public async Task A_connection_dropped_three_times_is_not_tried_again_and_the_error_counts_the_attempts()
    {
        Server.State.Faults.Add(new FaultRule(FaultKind.ConnectionReset) { PathPattern = "/managedClusters/aks-demo$" });
        var connection = ArmTestConnections.Connect(Server, options: ArmTestConnections.FastOptions(maxRetries: new ArmConnectionOptions().MaxRetries));

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => connection.Clusters.GetAsync(ArmTestConnections.AksId, default))).Error;

        Assert.Equal("Arm.ConnectionFailed", error.ErrorId);
        Assert.Equal(ErrorKind.ConnectionError, error.Category);
        Assert.Contains($"({ArmRetryPolicy.UnreachableAttempts} attempt(s))", error.Message, StringComparison.Ordinal);
        Assert.Equal(ArmRetryPolicy.UnreachableAttempts, Server.State.Requests.Count("GET", "Clusters_Get"));
    }

    [Fact]
    public async Task A_server_error_that_outlasts_the_retries_becomes_a_ResourceUnavailable_error_with_the_ARM_code()
    {
        Server.State.Faults.Add(new FaultRule(FaultKind.InternalServerError) { PathPattern = "/workspaces/ws-demo$" });
        var connection = ArmTestConnections.Connect(Server, options: ArmTestConnections.FastOptions(maxRetries: 2));

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => connection.Workspaces.GetAsync(ArmTestConnections.WorkspaceId, default))).Error;

        Assert.Equal("Arm.InternalServerError", error.ErrorId);
        Assert.Equal(ErrorKind.ResourceUnavailable, error.Category);
        Assert.Contains("failed (HTTP 500, after 3 attempts)", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, Server.State.Requests.Count("GET", "Resources_Get"));
    }

    [Fact]
    public async Task A_server_whose_certificate_is_not_the_pinned_one_is_refused_at_once_naming_both_thumbprints()
    {
        var settings = ArmTestConnections.Settings(Server) with { TrustedCertificateThumbprint = new string('A', 64) };
        var host = new RecordingHost();
        var connection = ArmConnection.FromContext(settings, host, ArmTestConnections.FastOptions(maxRetries: 5));

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => connection.Workspaces.GetAsync(ArmTestConnections.WorkspaceId, default))).Error;

        Assert.Equal("Arm.CertificateRejected", error.ErrorId);
        Assert.Equal(ErrorKind.SecurityError, error.Category);
        Assert.Contains(new string('A', 64), error.Message, StringComparison.Ordinal);
        Assert.Contains(ArmTestConnections.Thumbprint(Server), error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Single(host.Debug, line => line.Contains("failed after", StringComparison.Ordinal));
        Assert.Empty(Server.State.Requests.Entries);
    }

    [Fact]
    public async Task Without_a_pin_the_self_signed_emulator_certificate_is_not_trusted()
    {
        var settings = ArmTestConnections.Settings(Server) with { TrustedCertificateThumbprint = null };
        var connection = ArmConnection.FromContext(settings, new RecordingHost(), ArmTestConnections.FastOptions(maxRetries: 0));

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() => connection.Workspaces.GetAsync(ArmTestConnections.WorkspaceId, default))).Error;

        Assert.Equal("Arm.CertificateRejected", error.ErrorId);
        Assert.Contains("RemoteCertificateChainErrors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_version_the_provider_does_not_serve_is_an_InvalidArgument_error_with_the_ARM_code()
    {
        var connection = ArmTestConnections.Connect(Server);

        var invalid = (await Assert.ThrowsAsync<ModuleErrorException>(() => connection.SendAsync(ArmRequest.Get(ArmTestConnections.WorkspaceId, "2099-01-01"), default))).Error;
        var missing = (await Assert.ThrowsAsync<ModuleErrorException>(() => connection.SendAsync(new ArmRequest("GET", ArmTestConnections.WorkspaceId, null), default))).Error;

        Assert.Equal("Arm.InvalidApiVersionParameter", invalid.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, invalid.Category);
        Assert.Contains("2024-10-01", invalid.Message);
        Assert.Equal("Arm.MissingApiVersionParameter", missing.ErrorId);
    }

    [Fact]
    public async Task Every_pinned_api_version_is_one_the_emulated_providers_serve()
    {
        foreach (var (resourceType, apiVersion) in ArmApiVersions.ByResourceType)
        {
            var served = AzMLK8s.Emulator.Arm.ArmApiVersionTable.SupportedVersions(resourceType);
            Assert.True(served?.Contains(apiVersion) == true, $"{resourceType} {apiVersion}");
        }

        await Task.CompletedTask;
    }

    [Fact]
    public async Task An_exhausted_subscription_write_budget_is_a_LimitsExceeded_error_and_reads_report_their_budget()
    {
        Server.State.Throttle.WriteBudget = 1;
        var connection = ArmTestConnections.Connect(Server, options: ArmTestConnections.FastOptions(maxRetries: 0));
        var scope = ArmTestConnections.AksId;

        await connection.RoleAssignments.CreateAsync(scope, Guid.NewGuid().ToString(), RoleDefinition("AcrPull"), Guid.NewGuid().ToString(), "ServicePrincipal", null, default);
        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() =>
            connection.RoleAssignments.CreateAsync(scope, Guid.NewGuid().ToString(), RoleDefinition("AcrPull"), Guid.NewGuid().ToString(), "ServicePrincipal", null, default))).Error;

        Assert.Equal("Arm.SubscriptionRequestsThrottled", error.ErrorId);
        Assert.Equal(ErrorKind.LimitsExceeded, error.Category);
        var read = await connection.SendAsync(ArmRequest.Get(ArmTestConnections.WorkspaceId, ArmApiVersions.MachineLearning), default);
        Assert.Equal("11999", read.Header("x-ms-ratelimit-remaining-subscription-reads"));
    }

    private static string RoleDefinition(string name) =>
        AzMLK8s.Engine.Azure.Resources.RoleAssignmentOperations.RoleDefinitionId(EmulatorState.DefaultSubscriptionId, BuiltInRoles.ByName[name]);
}
