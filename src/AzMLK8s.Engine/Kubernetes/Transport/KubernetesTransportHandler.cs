using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using AzMLK8s.Engine.Kubernetes.Authentication;

namespace AzMLK8s.Engine.Kubernetes.Transport;

/// <summary>An attempt that got no answer within <see cref="KubernetesClientOptions.RequestTimeout"/>.</summary>
internal sealed class KubernetesRequestTimeoutException(int attempts, TimeSpan timeout) : TimeoutException("The Kubernetes API server did not answer in time.")
{
    public int Attempts { get; } = attempts;

    public TimeSpan Timeout { get; } = timeout;
}

/// <summary>The connection failed (refused, reset, dropped, TLS) and the request was not, or no longer, sent again.</summary>
internal sealed class KubernetesTransportException(HttpRequestException inner, int attempts) : IOException(inner.Message, inner)
{
    public int Attempts { get; } = attempts;

    public HttpRequestException Failure => inner;
}

/// <summary>
/// The module's rules around each request of the library's client (a DelegatingHandler between the library and its
/// socket handler), after client-go (rest/with_retry.go, rest/request.go):
/// <list type="bullet">
/// <item>A 429, or a 5xx with Retry-After: the server says it did not act, so any request goes again after the
/// Retry-After delay (capped; a 429 without one backs off).</item>
/// <item>A 500/502/503/504 without Retry-After, a refused or dropped connection: only reads (GET) go again, after an
/// exponential back-off with jitter. A write may have been applied before the failure; sending it again blindly could
/// apply it twice, so its caller gets the error and resolves the outcome by reading.</item>
/// <item>Each attempt has its own timeout, and one that timed out is not sent again (client-go does not either): a
/// black-holed API server, a private cluster seen from outside, costs one timeout, not five.</item>
/// <item>A 401 makes a refreshable credential (exec plugin, token file, Entra ID) forget its token once and the
/// request go again with a fresh one.</item>
/// </list>
/// At most <see cref="KubernetesClientOptions.MaxAttempts"/> attempts; the waits end at once on cancellation. The
/// answer is read whole within the attempt, and the number of attempts is put on it (<see cref="AttemptsHeader"/>,
/// never sent) for the error message.
/// </summary>
internal sealed class KubernetesTransportHandler : DelegatingHandler
{
    /// <summary>A response header the handler adds for the client's error messages.</summary>
    public const string AttemptsHeader = "X-AzMLK8s-Attempts";

    private readonly KubernetesClientOptions _options;
    private readonly KubernetesCredential? _credential;

    public KubernetesTransportHandler(KubernetesClientOptions options, KubernetesCredential? credential)
    {
        _options = options;
        _credential = credential;
    }

    /// <summary>A 500/502/503/504: an API server (or the load balancer in front of it) that is restarting or overloaded.</summary>
    public static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>
    /// A refused, reset or dropped connection, an HTTP/2 stream the server reset, or an answer cut short (client-go:
    /// IsConnectionReset, IsProbableEOF). Not a name that does not resolve nor a certificate that is not trusted.
    /// </summary>
    public static bool IsTransient(HttpRequestException exception) =>
        Find<AuthenticationException>(exception) is null && exception.HttpRequestError switch
        {
            HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError => true,
            HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError => false,
            _ => Find<SocketException>(exception) is { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.ConnectionRefused or SocketError.Shutdown }
                || Find<IOException>(exception) is not null,
        };

    public static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var current = exception.InnerException; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var maxAttempts = Math.Max(1, _options.MaxAttempts);
        var refreshed = false;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(_options.RequestTimeout);
                try
                {
                    response = await base.SendAsync(request, timeout.Token).ConfigureAwait(false);
                    await BufferAsync(response, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new KubernetesRequestTimeoutException(attempt, _options.RequestTimeout);
                }
                catch (HttpRequestException e)
                {
                    if (attempt < maxAttempts && IsRead(request) && IsTransient(e))
                    {
                        await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    throw new KubernetesTransportException(e, attempt);
                }
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && !refreshed && _credential?.Invalidate() == true)
            {
                refreshed = true;
                attempt--;
                response.Dispose();
                request.Headers.Authorization = await _credential.GetAuthenticationHeaderAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (DelayAfter(request, response, attempt, maxAttempts) is { } delay)
            {
                response.Dispose();
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                continue;
            }

            response.Headers.TryAddWithoutValidation(AttemptsHeader, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }
    }

    private static bool IsRead(HttpRequestMessage request) => request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;

    // The answer is read within the attempt's timeout, so that a body that never ends is a timeout too.
    private static async Task BufferAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var buffered = new ByteArrayContent(body);
        foreach (var header in response.Content.Headers)
        {
            buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content.Dispose();
        response.Content = buffered;
    }

    private TimeSpan? DelayAfter(HttpRequestMessage request, HttpResponseMessage response, int attempt, int maxAttempts)
    {
        var throttled = response.StatusCode == HttpStatusCode.TooManyRequests;
        if (attempt >= maxAttempts || (!throttled && (int)response.StatusCode < 500))
        {
            return null;
        }

        var header = response.Headers.RetryAfter;
        if ((header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null)) is { } serverDelay)
        {
            return serverDelay < TimeSpan.Zero ? TimeSpan.Zero : serverDelay < _options.MaxRetryDelay ? serverDelay : _options.MaxRetryDelay;
        }

        return throttled || (IsRead(request) && IsTransientStatus(response.StatusCode)) ? Backoff(attempt) : null;
    }

    // Doubling from RetryDelay, capped, then spread over 80-120% so that a fleet's clients do not retry in step.
    private TimeSpan Backoff(int attempt)
    {
        var max = Math.Max(0, _options.MaxRetryDelay.TotalMilliseconds);
        var doubled = Math.Max(0, _options.RetryDelay.TotalMilliseconds) * Math.Pow(2, Math.Min(attempt - 1, 20));
        return TimeSpan.FromMilliseconds(Math.Min(Math.Min(doubled, max) * (0.8 + (0.4 * Random.Shared.NextDouble())), max));
    }
}
