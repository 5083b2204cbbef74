using System.Text.Json.Nodes;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Engine.Azure;
using AzMLK8s.Model;
using AzMLK8s.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace AzMLK8s.Tests.Azure;

/// <summary>The poller's other paths: Location, provisioningState, Retry-After between polls, foreign operation hosts.</summary>
public sealed class ArmOperationPollerTests
{
    private const string ResourcePath = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Contoso/widgets/w1";

    [Fact]
    public async Task Without_Azure_AsyncOperation_the_Location_URL_is_polled_until_it_stops_answering_202_then_the_resource_is_read()
    {
        var locationPolls = 0;
        await using var server = await FakeArmServer.StartAsync(context =>
        {
            if (context.Request.Path.Value!.EndsWith("/operationResults/1", StringComparison.Ordinal))
            {
                return Task.FromResult(++locationPolls < 3 ? Results.StatusCode(202) : Results.StatusCode(200));
            }

            if (HttpMethods.IsPut(context.Request.Method))
            {
                context.Response.Headers.Location = $"https://127.0.0.1:{context.Connection.LocalPort}/operationResults/1?api-version=1";
                return Task.FromResult(Results.StatusCode(202));
            }

            return Task.FromResult(Results.Json(new { name = "w1", properties = new { provisioningState = "Succeeded" } }));
        });
        var host = new RecordingHost();

        var result = await server.Connect(host).SendAndWaitAsync(ArmRequest.Put(ResourcePath, "2024-01-01", new JsonObject()), "Creating widget", default);

        Assert.Equal(3, locationPolls);
        Assert.Equal("Succeeded", result!.ReadNode()!["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Contains(host.Progress, p => p.Activity == "Creating widget" && !p.Completed);
    }

    [Fact]
    public async Task Without_operation_headers_a_non_terminal_provisioning_state_is_polled_on_the_resource()
    {
        var gets = 0;
        await using var server = await FakeArmServer.StartAsync(context =>
        {
            if (HttpMethods.IsPut(context.Request.Method))
            {
                return Task.FromResult(Results.Json(new { properties = new { provisioningState = "Creating" } }, statusCode: 201));
            }

            gets++;
            return Task.FromResult(gets < 2
                ? Results.Json(new { properties = new { provisioningState = "Creating" } })
                : Results.Json(new { properties = new { provisioningState = "Failed", errorInfo = new { code = "WidgetBroke", message = "gears" } } }));
        });

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() =>
            server.Connect(new RecordingHost()).SendAndWaitAsync(ArmRequest.Put(ResourcePath, "2024-01-01", new JsonObject()), "Creating widget", default))).Error;

        Assert.Equal(2, gets);
        Assert.Equal("Arm.WidgetBroke", error.ErrorId);
        Assert.Contains("gears", error.Message);
    }

    [Fact]
    public async Task An_operation_URL_on_another_host_is_not_followed_with_our_token()
    {
        await using var server = await FakeArmServer.StartAsync(context =>
        {
            context.Response.Headers["Azure-AsyncOperation"] = "https://evil.example.com/operations/1";
            return Task.FromResult(Results.StatusCode(201));
        });

        var error = (await Assert.ThrowsAsync<ModuleErrorException>(() =>
            server.Connect(new RecordingHost()).SendAndWaitAsync(ArmRequest.Put(ResourcePath, "2024-01-01", new JsonObject()), "Creating widget", default))).Error;

        Assert.Equal("Arm.UntrustedOperationUrl", error.ErrorId);
        Assert.Equal(ErrorKind.SecurityError, error.Category);
    }

    [Fact]
    public async Task The_operation_Retry_After_spaces_the_polls()
    {
        var options = EmulatorFixture.FastOptions();
        options.OperationDuration = TimeSpan.FromMilliseconds(1500);
        options.OperationRetryAfterSeconds = 1;
        await using var emulator = await EmulatorServer.StartAsync(options);
        var connection = ArmTestConnections.Connect(emulator);

        await connection.Extensions.CreateOrReplaceAsync(ArmTestConnections.AksId, "azureml", ExtensionOperationsTests.AzureML(("enableTraining", "true")), default);

        var log = emulator.State.Requests.Entries;
        var put = log.Single(r => r.Route == "Extensions_Create");
        var polls = log.Where(r => r.Route == "OperationStatus_Get").ToArray();
        // With a 25 ms client interval, only the service's one-second Retry-After keeps the polls this few and far apart.
        Assert.InRange(polls.Length, 1, 2);
        Assert.True(polls[0].At - put.At >= TimeSpan.FromMilliseconds(900));
    }
}
