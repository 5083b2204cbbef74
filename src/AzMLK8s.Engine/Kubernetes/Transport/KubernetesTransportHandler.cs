using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using AzMLK8s.Engine.Kubernetes.Authentication;

namespace AzMLK8s.Engine.Kubernetes.Transport;

/// <summary>A request that got no answer, and is not sent again: its connection failed (the inner exception), or it timed out.</summary>
internal sealed class KubernetesTransportException(int attempts, HttpRequestException? failure, TimeSpan? timeout)
    : IOException("The Kubernetes API server did not answer.", failure)
{
    public int Attempts { get; } = attempts;

    public TimeSpan? Timeout { get; } = timeout;
}

/// <summary>
/// The module's rules around each request of the library's client, as a handler between the library and its socket
/// handler, after client-go (rest/with_retry.go, rest/request.go): a 429, or a 5xx with Retry-After, goes again after
/// that delay whatever the method (the server did not act); a 500/502/503/504 without it, or a refused or dropped
/// connection, only for reads (a write may have been applied: its caller reads back instead), with exponential back-off
/// and jitter; at most <see cref="KubernetesClientOptions.MaxAttempts"/> attempts. Each attempt has its own timeout,
/// and one that timed out is not sent again, so a black-holed API server (a private cluster seen from outside) costs
/// one timeout. A 401 makes a refreshable credential (exec plugin, token file, Entra ID) ask again, once. The answer is
/// read whole within the attempt and carries the number of attempts (<see cref="AttemptsHeader"/>) for the error message.
/// Each attempt and wait is a <paramref name="debug"/> record: method, address, status, duration (no header, no credential).
/// </summary>
internal sealed class KubernetesTransportHandler(KubernetesClientOptions options, KubernetesCredential? credential, Action<string>? debug = null) : DelegatingHandler
{
    /// <summary>A response header the handler adds (never sent) for the client's error messages.</summary>
    public const string AttemptsHeader = "X-AzMLK8s-Attempts";

    /// <summary>
    /// A refused, reset or dropped connection, an HTTP/2 stream the server reset, or an answer cut short (client-go:
    /// IsConnectionReset, IsProbableEOF); not a name that does not resolve nor a certificate that is not trusted.
    /// </summary>
    public static bool IsTransient(HttpRequestException exception) =>
        Find<AuthenticationException>(exception) is null && exception.HttpRequestError switch
        {
            HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError => true,
            HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError => false,
            _ => Find<SocketException>(exception) is { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.ConnectionRefused or SocketError.Shutdown }
                || Find<IOException>(exception) is not null,
        };

    /// <summary>The first inner exception of type <typeparamref name="T"/>.</summary>
    public static T? Find<T>(Exception exception)
        where T : Exception =>
        exception.InnerException is { } inner ? inner as T ?? Find<T>(inner) : null;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (maxAttempts, refreshed) = (Math.Max(1, options.MaxAttempts), false);
        var isRead = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            var (clock, sent) = (System.Diagnostics.Stopwatch.StartNew(), $"Kubernetes {request.Method} {request.RequestUri} (attempt {attempt})");
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(options.RequestTimeout);
                try
                {
                    response = await base.SendAsync(request, timeout.Token).ConfigureAwait(false);
                    debug?.Invoke($"{sent} -> {(int)response.StatusCode} {response.ReasonPhrase} in {clock.ElapsedMilliseconds} ms");
                    var body = new ByteArrayContent(await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false));
                    foreach (var header in response.Content.Headers)
                    {
                        body.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    }

                    response.Content.Dispose();
                    response.Content = body;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    debug?.Invoke($"{sent} timed out after {clock.ElapsedMilliseconds} ms; not sent again");
                    throw new KubernetesTransportException(attempt, null, options.RequestTimeout);
                }
                catch (HttpRequestException e) when (!(attempt < maxAttempts && isRead && IsTransient(e)))
                {
                    debug?.Invoke($"{sent} failed after {clock.ElapsedMilliseconds} ms: {e.Message}");
                    throw new KubernetesTransportException(attempt, e, null);
                }
                catch (HttpRequestException e)
                {
                    debug?.Invoke($"{sent} failed after {clock.ElapsedMilliseconds} ms: {e.Message}; a read, so it goes again");
                    await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && !refreshed && credential?.Invalidate() == true)
            {
                (refreshed, attempt) = (true, attempt - 1);
                response.Dispose();
                request.Headers.Authorization = await credential.GetAuthenticationHeaderAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (DelayAfter(response, attempt < maxAttempts, isRead, attempt) is { } delay)
            {
                debug?.Invoke($"{sent} waits {delay.TotalMilliseconds:0} ms before the next attempt{(response.Headers.RetryAfter is null ? string.Empty : ", as its Retry-After asks")}");
                response.Dispose();
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                continue;
            }

            response.Headers.TryAddWithoutValidation(AttemptsHeader, attempt.ToString(CultureInfo.InvariantCulture));
            return response;
        }
    }

    private TimeSpan? DelayAfter(HttpResponseMessage response, bool mayRetry, bool isRead, int attempt)
    {
        var (status, throttled) = (response.StatusCode, response.StatusCode == HttpStatusCode.TooManyRequests);
        if (!mayRetry || (!throttled && (int)status < 500))
        {
            return null;
        }

        var header = response.Headers.RetryAfter;
        if ((header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null)) is { } serverDelay)
        {
            return serverDelay < TimeSpan.Zero ? TimeSpan.Zero : serverDelay < options.MaxRetryDelay ? serverDelay : options.MaxRetryDelay;
        }

        var transient = status is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
        return throttled || (isRead && transient) ? Backoff(attempt) : null;
    }

    // Doubling from RetryDelay, capped, then spread over 80-120% so that a fleet's clients do not retry in step.
    private TimeSpan Backoff(int attempt)
    {
        var max = Math.Max(0, options.MaxRetryDelay.TotalMilliseconds);
        var doubled = Math.Max(0, options.RetryDelay.TotalMilliseconds) * Math.Pow(2, Math.Min(attempt - 1, 20));
        return TimeSpan.FromMilliseconds(Math.Min(Math.Min(doubled, max) * (0.8 + (0.4 * Random.Shared.NextDouble())), max));
    }
}
