using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AzMLK8s.Model.Host;
using global::Azure.Core;
using global::Azure.Core.Pipeline;

namespace AzMLK8s.Engine.Azure;

/// <summary>
/// One debug record per attempt of every ARM request: method, address (query values that could be credentials
/// masked), status, duration, attempt number, x-ms-request-id and correlation id, and the Retry-After asked for.
/// Written only when the caller shows debug records (-Debug, $DebugPreference).
/// </summary>
internal sealed partial class ArmDiagnosticsPolicy : HttpPipelinePolicy
{
    private readonly ICmdletHost _host;

    public ArmDiagnosticsPolicy(ICmdletHost host)
    {
        _host = host;
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (!_host.WritesDebug)
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            return;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !message.CancellationToken.IsCancellationRequested)
        {
            _host.WriteDebug($"{Describe(message)} failed after {clock.ElapsedMilliseconds} ms: {ex.GetType().Name}: {ex.Message}");
            throw;
        }

        _host.WriteDebug($"{Describe(message)} -> {message.Response.Status} {message.Response.ReasonPhrase} in {clock.ElapsedMilliseconds} ms{Headers(message.Response)}");
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    /// <summary>The address with the value of every query parameter that could carry a credential masked.</summary>
    public static string SafeUri(Uri uri) => SecretQueryValue().Replace(uri.ToString(), m => m.Groups[1].Value + SecretRedactor.Mask);

    private static string Describe(HttpMessage message) =>
        $"ARM {message.Request.Method} {SafeUri(message.Request.Uri.ToUri())} (attempt {(message.ProcessingContext.RetryNumber + 1).ToString(CultureInfo.InvariantCulture)})";

    private static string Headers(global::Azure.Response response)
    {
        var parts = new List<string>();
        if (response.Headers.TryGetValue("x-ms-request-id", out var requestId))
        {
            parts.Add($"x-ms-request-id {requestId}");
        }

        if (response.Headers.TryGetValue(CorrelationIdPolicy.HeaderName, out var correlationId))
        {
            parts.Add($"correlation {correlationId}");
        }

        if (response.Headers.TryGetValue("Retry-After", out var retryAfter))
        {
            parts.Add($"Retry-After {retryAfter} s");
        }

        return parts.Count == 0 ? string.Empty : "; " + string.Join("; ", parts);
    }

    // SAS signatures and similar: sig, code, token, key, secret, password (with any prefix such as "skoid" kept).
    [GeneratedRegex(@"([?&](?:sig|signature|code|token|access_token|key|secret|password|client_secret)=)[^&#]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretQueryValue();
}
