using System.Net.Sockets;
using System.Security.Authentication;
using AzMLK8s.Model;
using global::Azure;

namespace AzMLK8s.Engine.Azure;

/// <summary>
/// What went wrong below HTTP on the way to an endpoint, and the error that says so. A rejected certificate never
/// becomes valid by trying again, so it is not retried; an endpoint that refuses connections, cannot be resolved or
/// does not answer in time gets a short, bounded retry (<see cref="ArmRetryPolicy"/>), then an error naming it.
/// </summary>
public enum TransportFailureKind
{
    None,
    CertificateRejected,
    Unreachable,
    TimedOut,
}

public static class TransportFailure
{
    public static TransportFailureKind Classify(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case AuthenticationException:
                    return TransportFailureKind.CertificateRejected;
                case SocketException:
                    return TransportFailureKind.Unreachable;
                case TimeoutException:
                    return TransportFailureKind.TimedOut;
                case TaskCanceledException when current.Message.Contains("timeout", StringComparison.OrdinalIgnoreCase):
                    return TransportFailureKind.TimedOut;
                case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                    return Classify(aggregate.InnerExceptions[^1]);
                case HttpRequestException { InnerException: null }:
                    return TransportFailureKind.Unreachable;
            }
        }

        return TransportFailureKind.None;
    }

    /// <summary>
    /// The module error for a request to <paramref name="endpoint"/> that failed after <paramref name="attempts"/>
    /// attempts, or null when it is not a transport failure.
    /// </summary>
    public static ModuleError? ToError(Exception exception, string service, Uri endpoint, string operation, object? target, CertificateRejection? rejection, int attempts)
    {
        var authority = endpoint.GetLeftPart(UriPartial.Authority);
        var last = exception is AggregateException many && many.InnerExceptions.Count > 0 ? many.InnerExceptions[^1] : exception;
        var cause = Innermost(last);
        var prefix = service == "Kubernetes" ? "Kubernetes" : "Arm";
        return Classify(exception) switch
        {
            TransportFailureKind.CertificateRejected => new ModuleError(
                $"{prefix}.CertificateRejected",
                ErrorKind.SecurityError,
                $"{operation}: the {service} endpoint {authority} presented a certificate that is not trusted{Describe(rejection)}. The request was not sent, and is not retried.")
            {
                RecommendedAction = rejection?.ExpectedThumbprint is not null
                    ? $"If {authority} is the endpoint you meant and its certificate changed, pin the new one: Set-AzMLK8sContext -TrustedCertificateThumbprint {rejection.PresentedThumbprint ?? "<thumbprint>"} (check it out of band first). Otherwise check the address."
                    : "Check the address. A proxy that inspects TLS needs its certificate trusted by the system, or pinned with Set-AzMLK8sContext -TrustedCertificateThumbprint.",
                TargetObject = target,
                InnerException = exception,
            },
            TransportFailureKind.Unreachable => new ModuleError(
                $"{prefix}.ConnectionFailed",
                ErrorKind.ConnectionError,
                $"{operation} could not reach {service} at {authority} ({attempts} attempt(s)): {cause.Message}")
            {
                RecommendedAction = service == "Kubernetes"
                    ? "Check that the cluster's API server is reachable from here (a private cluster is reachable only from its network), then run the command again."
                    : "Check the address, the network connection and proxy settings, then run the command again.",
                TargetObject = target,
                InnerException = exception,
            },
            TransportFailureKind.TimedOut => new ModuleError(
                $"{prefix}.Timeout",
                ErrorKind.OperationTimeout,
                $"{operation}: {service} at {authority} did not answer in time ({attempts} attempt(s)).")
            {
                RecommendedAction = "Check the network path to the endpoint (firewall, proxy, private cluster), then run the command again.",
                TargetObject = target,
                InnerException = exception,
            },
            _ => null,
        };
    }

    private static string Describe(CertificateRejection? rejection) => rejection switch
    {
        null => string.Empty,
        { ExpectedThumbprint: { } expected } => $" (it presented {rejection.PresentedThumbprint ?? "no certificate"}; the context pins {expected})",
        _ => $" ({rejection.PolicyErrors}; it presented {rejection.PresentedThumbprint ?? "no certificate"})",
    };

    private static Exception Innermost(Exception exception)
    {
        var current = exception;
        while (current.InnerException is not null && current is RequestFailedException or HttpRequestException)
        {
            current = current.InnerException;
        }

        return current;
    }
}

/// <summary>The last certificate an endpoint presented that was not accepted (thumbprints as SHA-256 hex).</summary>
public sealed record CertificateRejection(string? PresentedThumbprint, string? ExpectedThumbprint, string PolicyErrors);
