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
/// Turns what the library's client throws (a non-2xx answer with its Status body, a failure of
/// <see cref="KubernetesTransportHandler"/>, a body that is not the expected JSON) into <see cref="ModuleError"/>s with
/// the ErrorIds of <see cref="KubernetesErrorIds"/>, in the server's own Status words. The library's exception keeps
/// the request, Authorization header included, so it is never attached.
/// </summary>
internal static class KubernetesErrorMapper
{
    /// <summary>The mapped error; null for what is not the API's (cancellation, the module's own errors).</summary>
    /// <param name="operation">What was attempted, e.g. "get Namespace 'team-a'".</param>
    public static ModuleError? Map(Exception exception, string operation, Uri server, object? target) => exception switch
    {
        HttpOperationException { Response: { } response } => WithRetries(FromResponse(response.StatusCode, response.Content, operation, server, target),
            response.Headers.TryGetValue(KubernetesTransportHandler.AttemptsHeader, out var attempts) ? int.Parse(attempts.First(), CultureInfo.InvariantCulture) : 1),
        KubernetesTransportException { Timeout: { } timeout } failed => WithRetries(Error(KubernetesErrorIds.RequestTimeout, ErrorKind.OperationTimeout,
            $"Kubernetes API {server}: could not {operation}: no answer within {timeout.TotalSeconds:0.#} seconds.", "Check the cluster's health and the network path to it, then try again.", server).Error, failed.Attempts),
        KubernetesTransportException { InnerException: HttpRequestException failure } failed => WithRetries(FromTransportFailure(failure, operation, server), failed.Attempts),
        JsonException json => Error(KubernetesErrorIds.UnexpectedResponse, ErrorKind.ProtocolError, $"Kubernetes API {server}: could not {operation}: the answer is not the JSON object that was expected.",
            "Check that the kubeconfig's server address is a Kubernetes API server.", server, json).Error,
        _ => null,
    };

    public static ModuleError FromResponse(HttpStatusCode statusCode, string? body, string operation, Uri server, object? target)
    {
        var status = TryDeserialize<V1Status>(body) is { Kind: "Status" } parsed ? parsed : null;
        var (errorId, kind, action) = ((int)statusCode, status?.Reason) switch
        {
            (401, _) => (KubernetesErrorIds.Unauthorized, ErrorKind.AuthenticationError,
                "The cluster did not accept the credentials. Get fresh ones (for AKS: 'az aks get-credentials'; for Arc: the cluster's listClusterUserCredential) and try again."),
            (403, _) => (KubernetesErrorIds.Forbidden, ErrorKind.PermissionDenied,
                "Ask a cluster administrator for the Kubernetes RBAC permission named in the message, or use a kubeconfig with more rights (for AKS, the 'Azure Kubernetes Service Cluster Admin' role gives admin credentials)."),
            (404, _) => (KubernetesErrorIds.NotFound, ErrorKind.ObjectNotFound, "Check the name and the namespace; list what exists with kubectl get."),
            (409, "AlreadyExists") => (KubernetesErrorIds.AlreadyExists, ErrorKind.ResourceExists, "The object exists already; use it, or delete it first if it must be recreated."),
            (409, _) => (KubernetesErrorIds.Conflict, ErrorKind.ResourceBusy, "The object was changed by someone else meanwhile; run the command again."),
            (400 or 422, _) => (KubernetesErrorIds.Invalid, ErrorKind.InvalidArgument, "The API server rejected the request as invalid; see the message for the field."),
            (429, _) => (KubernetesErrorIds.TooManyRequests, ErrorKind.LimitsExceeded,
                "The API server is throttling this client (API priority and fairness); wait a minute and run the command again, with a lower -ThrottleLimit for a fleet."),
            (>= 500, _) => (KubernetesErrorIds.ServerError, ErrorKind.ResourceUnavailable, "The API server failed; try again later and check the cluster's health."),
            _ => (KubernetesErrorIds.UnexpectedResponse, ErrorKind.ProtocolError,
                "The API server gave an unexpected answer; check that the kubeconfig's server address is a Kubernetes API server."),
        };
        var detail = string.IsNullOrWhiteSpace(status?.Message) ? $"HTTP {(int)statusCode} {statusCode}" : status.Message;
        return new ModuleError(errorId, kind, $"Kubernetes API {server}: could not {operation}: {detail}") { RecommendedAction = action, TargetObject = target };
    }

    public static ModuleError FromTransportFailure(HttpRequestException exception, string operation, Uri server) =>
        (KubernetesTransportHandler.Find<AuthenticationException>(exception) is not null
            ? Error(KubernetesErrorIds.ServerCertificateInvalid, ErrorKind.SecurityError,
                $"Kubernetes API {server}: could not {operation}: the server's TLS certificate is not trusted by the kubeconfig's certificate authority or does not match the server name.",
                "Get fresh credentials for the cluster (its certificate authority may have rotated), or check that the kubeconfig's server address is the cluster's.", server, exception)
            : Error(KubernetesErrorIds.ApiUnreachable, ErrorKind.ConnectionError, $"Kubernetes API {server}: could not {operation}: the API server cannot be reached ({exception.HttpRequestError}).",
                "Check that this machine can reach the API server (VPN, private cluster, firewall, proxy) and that the cluster is running.", server, exception)).Error;

    /// <summary>A JSON document read into the library's model; null when it is empty or not JSON of that shape.</summary>
    public static T? TryDeserialize<T>(string? json)
        where T : class
    {
        try
        {
            return string.IsNullOrWhiteSpace(json) ? null : KubernetesJson.Deserialize<T>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A <see cref="ModuleErrorException"/> with a recommended action.</summary>
    public static ModuleErrorException Error(string errorId, ErrorKind kind, string message, string action, object target, Exception? inner = null) =>
        new(new ModuleError(errorId, kind, message) { RecommendedAction = action, TargetObject = target, InnerException = inner });

    /// <summary>Whether a failed write may still have been applied (dropped connection, timeout, 5xx): read back before writing again.</summary>
    public static bool MayHaveBeenApplied(ModuleError error) =>
        error.ErrorId is KubernetesErrorIds.ApiUnreachable or KubernetesErrorIds.RequestTimeout or KubernetesErrorIds.ServerError;

    private static ModuleError WithRetries(ModuleError error, int attempts) =>
        attempts <= 1 ? error : error with { Message = $"{error.Message} (retried {attempts - 1} {(attempts == 2 ? "time" : "times")})" };
}
