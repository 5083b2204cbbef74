using System.Globalization;
using System.Net;
using System.Security.Authentication;
using System.Text.Json;
using AzMLK8s.Model;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace AzMLK8s.Engine.Kubernetes.Transport;

/// <summary>
/// Turns what the library's client throws (a non-2xx answer with its Status body, a transport failure or timeout from
/// <see cref="KubernetesTransportHandler"/>, a body that is not the expected JSON) into <see cref="ModuleError"/>s with
/// the stable ErrorIds of <see cref="KubernetesErrorIds"/>. Messages carry the server's own Status words and never a
/// request (whose Authorization header the library's exception keeps).
/// </summary>
internal static class KubernetesErrorMapper
{
    /// <summary>The mapped error; null for exceptions that are not the API's (cancellation, the module's own errors).</summary>
    /// <param name="operation">What was attempted, e.g. "get Namespace 'team-a'".</param>
    public static ModuleError? Map(Exception exception, string operation, Uri server, object? target) => exception switch
    {
        HttpOperationException { Response: { } response } =>
            WithRetries(FromResponse(response.StatusCode, response.Content, operation, server, target), Attempts(response.Headers)),
        KubernetesTransportException transport => WithRetries(FromTransportFailure(transport.Failure, operation, server), transport.Attempts),
        KubernetesRequestTimeoutException timeout => WithRetries(Timeout(operation, server, timeout.Timeout), timeout.Attempts),
        JsonException json => UnexpectedBody(operation, server, json),
        _ => null,
    };

    public static ModuleError FromResponse(HttpStatusCode statusCode, string? body, string operation, Uri server, object? target)
    {
        var status = TryParseStatus(body);
        var detail = string.IsNullOrWhiteSpace(status?.Message) ? $"HTTP {(int)statusCode} {statusCode}" : status!.Message;
        var (errorId, kind, action) = ((int)statusCode, status?.Reason) switch
        {
            (401, _) => (KubernetesErrorIds.Unauthorized, ErrorKind.AuthenticationError,
                "The cluster did not accept the credentials. Get fresh ones (for AKS: 'az aks get-credentials'; for Arc: the cluster's listClusterUserCredential) and try again."),
            (403, _) => (KubernetesErrorIds.Forbidden, ErrorKind.PermissionDenied,
                "Ask a cluster administrator for the Kubernetes RBAC permission named in the message, or use a kubeconfig with more rights (for AKS, the 'Azure Kubernetes Service Cluster Admin' role gives admin credentials)."),
            (404, _) => (KubernetesErrorIds.NotFound, ErrorKind.ObjectNotFound,
                "Check the name and the namespace; list what exists with kubectl get."),
            (409, "AlreadyExists") => (KubernetesErrorIds.AlreadyExists, ErrorKind.ResourceExists,
                "The object exists already; use it, or delete it first if it must be recreated."),
            (409, _) => (KubernetesErrorIds.Conflict, ErrorKind.ResourceBusy,
                "The object was changed by someone else meanwhile; run the command again."),
            (400 or 422, _) => (KubernetesErrorIds.Invalid, ErrorKind.InvalidArgument,
                "The API server rejected the request as invalid; see the message for the field."),
            (429, _) => (KubernetesErrorIds.TooManyRequests, ErrorKind.LimitsExceeded,
                "The API server is throttling this client (API priority and fairness); wait a minute and run the command again, with a lower -ThrottleLimit for a fleet."),
            (>= 500, _) => (KubernetesErrorIds.ServerError, ErrorKind.ResourceUnavailable,
                "The API server failed; try again later and check the cluster's health."),
            _ => (KubernetesErrorIds.UnexpectedResponse, ErrorKind.ProtocolError,
                "The API server gave an unexpected answer; check that the kubeconfig's server address is a Kubernetes API server."),
        };
        return new ModuleError(errorId, kind, $"Kubernetes API {server}: could not {operation}: {detail}") { RecommendedAction = action, TargetObject = target };
    }

    public static ModuleError FromTransportFailure(HttpRequestException exception, string operation, Uri server) =>
        KubernetesTransportHandler.Find<AuthenticationException>(exception) is not null
            ? new ModuleError(KubernetesErrorIds.ServerCertificateInvalid, ErrorKind.SecurityError,
                $"Kubernetes API {server}: could not {operation}: the server's TLS certificate is not trusted by the kubeconfig's certificate authority or does not match the server name.")
            {
                RecommendedAction = "Get fresh credentials for the cluster (its certificate authority may have rotated), or check that the kubeconfig's server address is the cluster's.",
                TargetObject = server,
                InnerException = exception,
            }
            : new ModuleError(KubernetesErrorIds.ApiUnreachable, ErrorKind.ConnectionError,
                $"Kubernetes API {server}: could not {operation}: the API server cannot be reached ({exception.HttpRequestError}).")
            {
                RecommendedAction = "Check that this machine can reach the API server (VPN, private cluster, firewall, proxy) and that the cluster is running.",
                TargetObject = server,
                InnerException = exception,
            };

    public static ModuleError Timeout(string operation, Uri server, TimeSpan timeout) =>
        new(KubernetesErrorIds.RequestTimeout, ErrorKind.OperationTimeout,
            $"Kubernetes API {server}: could not {operation}: no answer within {timeout.TotalSeconds:0.#} seconds.")
        {
            RecommendedAction = "Check the cluster's health and the network path to it, then try again.",
            TargetObject = server,
        };

    public static ModuleError UnexpectedBody(string operation, Uri server, Exception inner) =>
        new(KubernetesErrorIds.UnexpectedResponse, ErrorKind.ProtocolError,
            $"Kubernetes API {server}: could not {operation}: the answer is not the JSON object that was expected.")
        {
            RecommendedAction = "Check that the kubeconfig's server address is a Kubernetes API server.",
            TargetObject = server,
            InnerException = inner,
        };

    /// <summary>Whether a failed write may still have been applied (dropped connection, timeout, 5xx): read back before writing again.</summary>
    public static bool MayHaveBeenApplied(ModuleError error) =>
        error.ErrorId is KubernetesErrorIds.ApiUnreachable or KubernetesErrorIds.RequestTimeout or KubernetesErrorIds.ServerError;

    private static ModuleError WithRetries(ModuleError error, int attempts) =>
        attempts <= 1 ? error : error with { Message = $"{error.Message} (retried {attempts - 1} {(attempts == 2 ? "time" : "times")})" };

    private static int Attempts(IDictionary<string, IEnumerable<string>> headers) =>
        headers.TryGetValue(KubernetesTransportHandler.AttemptsHeader, out var values)
        && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var attempts) ? attempts : 1;

    private static V1Status? TryParseStatus(string? body)
    {
        try
        {
            return string.IsNullOrWhiteSpace(body) ? null : KubernetesJson.Deserialize<V1Status>(body) is { Kind: "Status" } status ? status : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
