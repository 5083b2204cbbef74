using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Engine.Azure;

/// <summary>How long-running operations are waited for.</summary>
public sealed record ArmPollingOptions
{
    /// <summary>Between polls when the service sends no Retry-After.</summary>
    public TimeSpan DefaultInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Give up waiting (the operation goes on in Azure) after this long.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);
}

/// <summary>
/// Waits for an ARM long-running operation: Azure-AsyncOperation first, then Location, then the resource's own
/// provisioningState. Honours Retry-After, reports progress through the host, stops on the caller's token, and
/// gives up after <see cref="ArmPollingOptions.Timeout"/>. A Failed or Canceled operation throws its error.
/// </summary>
internal sealed class ArmOperationPoller
{
    private static int _nextActivityId = 7300;

    private readonly ArmRestClient _client;
    private readonly ICmdletHost _host;
    private readonly ArmPollingOptions _options;

    public ArmOperationPoller(ArmRestClient client, ICmdletHost host, ArmPollingOptions options)
    {
        _client = client;
        _host = host;
        _options = options;
    }

    public ArmPollingOptions Options => _options;

    /// <summary>
    /// Waits until the operation <paramref name="initial"/> started is over. Returns the final resource for PUT and
    /// PATCH, the final operation response for POST, and null for DELETE.
    /// </summary>
    public async Task<ArmResponse?> WaitAsync(ArmRequest original, ArmResponse initial, string activity, CancellationToken cancellationToken)
    {
        var asyncOperationUrl = initial.Header("Azure-AsyncOperation");
        var locationUrl = initial.Header("Location");
        if (asyncOperationUrl is null && locationUrl is null && IsTerminal(ProvisioningState(initial)))
        {
            return original.Method == "DELETE" ? null : initial;
        }

        return await PollAsync(original, asyncOperationUrl, locationUrl, initial.RetryAfter, activity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for a resource that a read just showed in a running provisioningState (Creating, Updating): that read was
    /// the first poll, so <paramref name="get"/> goes out again after the polling interval, until the state is final.
    /// Returns the final resource.
    /// </summary>
    public Task<ArmResponse?> WaitForProvisioningAsync(ArmRequest get, string activity, CancellationToken cancellationToken) =>
        PollAsync(get, asyncOperationUrl: null, locationUrl: null, firstDelay: null, activity, cancellationToken);

    /// <summary>Polls the operation's status URL, else its Location, else the resource itself, at the server's pace.</summary>
    private async Task<ArmResponse?> PollAsync(ArmRequest original, string? asyncOperationUrl, string? locationUrl, TimeSpan? firstDelay, string activity, CancellationToken cancellationToken)
    {
        var activityId = Interlocked.Increment(ref _nextActivityId);
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(_options.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var delay = firstDelay;
            while (true)
            {
                if (_host.WritesDebug)
                {
                    _host.WriteDebug(delay is { } asked
                        ? $"{original.Operation} is running: waiting {asked.TotalSeconds:0.##} s before the next poll, as ARM's Retry-After asks."
                        : $"{original.Operation} is running: waiting {_options.DefaultInterval.TotalSeconds:0.##} s before the next poll (ARM sent no Retry-After).");
                }

                await Task.Delay(delay ?? _options.DefaultInterval, linked.Token).ConfigureAwait(false);
                ArmResponse last;
                string status;
                if (asyncOperationUrl is not null)
                {
                    last = await _client.SendAsync(new ArmRequest("GET", asyncOperationUrl, original.ApiVersion).Describe(original.Operation, original.Target), linked.Token).ConfigureAwait(false);
                    var operation = last.Read<ArmOperationStatus>();
                    status = operation?.Status ?? "InProgress";
                    if (IsTerminal(status))
                    {
                        ThrowIfUnsuccessful(status, operation?.Error, original);
                        return await FinalResultAsync(original, last, linked.Token).ConfigureAwait(false);
                    }
                }
                else if (locationUrl is not null)
                {
                    last = await _client.SendAsync(new ArmRequest("GET", locationUrl, original.ApiVersion).Describe(original.Operation, original.Target), linked.Token).ConfigureAwait(false);
                    if (last.Status != 202)
                    {
                        return original.Method switch
                        {
                            "DELETE" => null,
                            "POST" => last,
                            _ => await FinalResultAsync(original, last, linked.Token).ConfigureAwait(false),
                        };
                    }

                    status = "InProgress";
                }
                else
                {
                    last = await _client.SendAsync(ArmRequest.Get(original.Path, original.ApiVersion!).Describe(original.Operation, original.Target), linked.Token).ConfigureAwait(false);
                    status = ProvisioningState(last) ?? "Succeeded";
                    if (IsTerminal(status))
                    {
                        ThrowIfUnsuccessful(status, ResourceError(last), original);
                        return last;
                    }
                }

                _host.WriteProgress(new ProgressUpdate(activityId, activity, $"{status} ({(int)clock.Elapsed.TotalSeconds}s)")
                {
                    CurrentOperation = original.Target,
                });
                delay = last.RetryAfter;
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ModuleErrorException(new ModuleError(
                "Arm.OperationTimeout",
                ErrorKind.OperationTimeout,
                $"{original.Operation} did not finish within {_options.Timeout.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture)} minutes. It continues in Azure.")
            {
                RecommendedAction = "Check the resource's provisioning state later; when it has finished, run the command again to confirm the end state.",
                TargetObject = original.Target,
            });
        }
        finally
        {
            _host.WriteProgress(new ProgressUpdate(activityId, activity, "Done") { Completed = true });
        }
    }

    private async Task<ArmResponse?> FinalResultAsync(ArmRequest original, ArmResponse operationResponse, CancellationToken cancellationToken)
    {
        return original.Method switch
        {
            "DELETE" => null,
            "POST" => operationResponse,
            _ => await _client.SendAsync(ArmRequest.Get(original.Path, original.ApiVersion!).Describe(original.Operation, original.Target), cancellationToken).ConfigureAwait(false),
        };
    }

    private static void ThrowIfUnsuccessful(string status, ArmErrorDetail? error, ArmRequest original)
    {
        if (!string.Equals(status, "Succeeded", StringComparison.OrdinalIgnoreCase))
        {
            throw new ModuleErrorException(ArmErrorMapper.FromFailedOperation(status, error, original.Operation, original.Target));
        }
    }

    internal static bool IsTerminal(string? status) =>
        status is null
        || string.Equals(status, "Succeeded", StringComparison.OrdinalIgnoreCase)
        || string.Equals(status, "Failed", StringComparison.OrdinalIgnoreCase)
        || string.Equals(status, "Canceled", StringComparison.OrdinalIgnoreCase);

    private static string? ProvisioningState(ArmResponse response)
    {
        var node = response.ReadNode();
        return node?["properties"]?["provisioningState"]?.GetValue<string>();
    }

    private static ArmErrorDetail? ResourceError(ArmResponse response)
    {
        var node = response.ReadNode()?["properties"]?["errorInfo"];
        return node?.Deserialize<ArmErrorDetail>();
    }
}
