using System.Text;
using System.Text.Json;
using AzMLK8s.Model;
using global::Azure;
using global::Azure.Core;
using global::Azure.Core.Pipeline;
using global::Azure.Identity;
using AzMLK8s.Engine.Azure.Credentials;

namespace AzMLK8s.Engine.Azure;

/// <summary>
/// Sends raw JSON requests through the ARM pipeline (retry with Retry-After, bearer token, user agent,
/// correlation id) and turns every failure into a <see cref="ModuleErrorException"/> through
/// <see cref="ArmErrorMapper"/>.
/// </summary>
internal sealed class ArmRestClient
{
    private readonly HttpPipeline _pipeline;
    private readonly string? _pinnedThumbprint;

    public ArmRestClient(HttpPipeline pipeline, Uri endpoint, string? pinnedThumbprint = null)
    {
        _pipeline = pipeline;
        Endpoint = endpoint;
        _pinnedThumbprint = pinnedThumbprint;
    }

    public Uri Endpoint { get; }

    /// <summary>Sends the request; a non-2xx status throws the mapped error.</summary>
    public async Task<ArmResponse> SendAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var response = await SendCoreAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Status is >= 200 and < 300
            ? response
            : throw new ModuleErrorException(ArmErrorMapper.FromResponse(response.Status, ArmErrorMapper.ReadEnvelope(response.Content), request.Operation, request.Target, response.Attempts));
    }

    /// <summary>Like <see cref="SendAsync"/>, but 404 returns null (for "get if it exists").</summary>
    public async Task<ArmResponse?> SendOrNotFoundAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        var response = await SendCoreAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return null;
        }

        return response.Status is >= 200 and < 300
            ? response
            : throw new ModuleErrorException(ArmErrorMapper.FromResponse(response.Status, ArmErrorMapper.ReadEnvelope(response.Content), request.Operation, request.Target, response.Attempts));
    }

    internal Uri BuildUri(ArmRequest request)
    {
        var absolute = Uri.TryCreate(request.Path, UriKind.Absolute, out var given) && given.Scheme is "https" or "http";
        var uri = absolute ? given! : new Uri(Endpoint, request.Path.TrimStart('/'));
        if (absolute && !string.Equals(uri.Authority, Endpoint.Authority, StringComparison.OrdinalIgnoreCase))
        {
            // An operation URL on another host would receive our ARM token.
            throw new ModuleErrorException(new ModuleError(
                "Arm.UntrustedOperationUrl",
                ErrorKind.SecurityError,
                $"{request.Operation}: the service pointed to '{uri.GetLeftPart(UriPartial.Authority)}', which is not the Azure Resource Manager endpoint '{Endpoint.GetLeftPart(UriPartial.Authority)}'. The request was not sent.")
            {
                RecommendedAction = "If you go through a proxy, give its address with Set-AzMLK8sContext -ArmEndpoint.",
                TargetObject = request.Target,
            });
        }

        var query = new StringBuilder(uri.Query.TrimStart('?'));
        if (request.ApiVersion is not null && !HasQueryParameter(uri, "api-version"))
        {
            Append(query, "api-version", request.ApiVersion);
        }

        foreach (var parameter in request.Query)
        {
            Append(query, parameter.Key, parameter.Value);
        }

        return new UriBuilder(uri) { Query = query.ToString() }.Uri;
    }

    private async Task<ArmResponse> SendCoreAsync(ArmRequest request, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Parse(request.Method);
        message.Request.Uri.Reset(BuildUri(request));
        message.Request.Headers.SetValue("Accept", "application/json");
        if (request.Body is not null)
        {
            message.Request.Headers.SetValue("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(request.Body, request.Body.GetType(), ArmResponse.SerializerOptions));
        }
        else if (request.Method is "POST" or "PUT" or "PATCH")
        {
            // ARM rejects a POST without Content-Length; an empty body says "no content" explicitly.
            message.Request.Content = RequestContent.Create(Array.Empty<byte>());
        }

        try
        {
            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && TransportFailure.ToError(ex, "Azure Resource Manager", Endpoint, request.Operation, request.Target, ArmTransport.LastRejection(_pinnedThumbprint), ArmRetryPolicy.AttemptsOf(message)) is { } error)
        {
            throw new ModuleErrorException(error);
        }
        catch (RequestFailedException ex) when (ex.Status == 0)
        {
            throw new ModuleErrorException(new ModuleError(
                "Arm.ConnectionFailed",
                ErrorKind.ConnectionError,
                $"{request.Operation} could not reach Azure Resource Manager at {Endpoint.GetLeftPart(UriPartial.Authority)}: {ex.InnerException?.Message ?? ex.Message}")
            {
                RecommendedAction = "Check the network connection and proxy settings, then run the command again.",
                TargetObject = request.Target,
                InnerException = ex,
            });
        }
        catch (AuthenticationFailedException ex)
        {
            throw new ModuleErrorException(CredentialErrors.SignInFailed(ex));
        }

        var response = message.Response;
        var headers = response.Headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
        var content = response.ContentStream is null ? string.Empty : response.Content.ToString();
        return new ArmResponse(response.Status, content, headers) { Attempts = ArmRetryPolicy.AttemptsOf(message) };
    }

    private static bool HasQueryParameter(Uri uri, string name) =>
        uri.Query.TrimStart('?').Split('&').Any(p => p.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase));

    private static void Append(StringBuilder query, string name, string value)
    {
        if (query.Length > 0)
        {
            query.Append('&');
        }

        query.Append(name).Append('=').Append(Uri.EscapeDataString(value));
    }
}
