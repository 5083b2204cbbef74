using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using AzMLK8s.Model;

namespace AzMLK8s.Engine.Kubernetes.Transport;

/// <summary>Which failures of one attempt may heal by trying again (client-go: IsConnectionReset, IsProbableEOF).</summary>
internal static class TransientFailure
{
    /// <summary>The 5xx answers of an API server (or the load balancer in front of it) that is restarting or overloaded.</summary>
    public static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>
    /// A refused, reset or dropped connection, or an answer cut short. Not a name that does not resolve nor a server
    /// certificate that is not trusted: those do not heal by trying again.
    /// </summary>
    public static bool IsTransient(HttpRequestException exception)
    {
        if (Find<AuthenticationException>(exception) is not null)
        {
            return false;
        }

        return exception.HttpRequestError switch
        {
            HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded => true,
            HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError => false,
            _ => Find<SocketException>(exception) is { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.ConnectionRefused or SocketError.Shutdown }
                || Find<IOException>(exception) is not null,
        };
    }

    /// <summary>
    /// Whether a failed write may still have been applied: the connection dropped, the attempt timed out, or the server
    /// failed (5xx) without saying it did not act. Its caller reads the object back before writing again.
    /// </summary>
    public static bool MayHaveBeenApplied(ModuleError error) =>
        error.ErrorId is KubernetesErrorIds.ApiUnreachable or KubernetesErrorIds.RequestTimeout or KubernetesErrorIds.ServerError;

    private static T? Find<T>(Exception exception)
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
}
