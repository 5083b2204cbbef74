namespace AzMLK8s.Engine.Kubernetes;

/// <summary>The stable ErrorIds of the Kubernetes layer; callers match on them (for example to skip a check with a reason).</summary>
public static class KubernetesErrorIds
{
    public const string KubeconfigNotFound = "KubeconfigNotFound";
    public const string KubeconfigUnreadable = "KubeconfigUnreadable";
    public const string KubeconfigInvalid = "KubeconfigInvalid";
    public const string KubeconfigContextNotFound = "KubeconfigContextNotFound";
    public const string KubeconfigCredentialInvalid = "KubeconfigCredentialInvalid";
    public const string KubeconfigAuthUnsupported = "KubeconfigAuthUnsupported";

    public const string ExecPluginNotFound = "KubernetesExecPluginNotFound";
    public const string ExecPluginFailed = "KubernetesExecPluginFailed";
    public const string AzureAdTokenFailed = "KubernetesAzureAdTokenFailed";

    /// <summary>The API server could not be reached (DNS, refused, reset, TLS handshake not completed).</summary>
    public const string ApiUnreachable = "KubernetesApiUnreachable";

    /// <summary>The server's certificate did not validate against the kubeconfig's certificate authority.</summary>
    public const string ServerCertificateInvalid = "KubernetesServerCertificateInvalid";

    public const string RequestTimeout = "KubernetesRequestTimeout";
    public const string Unauthorized = "KubernetesUnauthorized";
    public const string Forbidden = "KubernetesForbidden";
    public const string NotFound = "KubernetesObjectNotFound";
    public const string AlreadyExists = "KubernetesObjectAlreadyExists";
    public const string Conflict = "KubernetesConflict";
    public const string Invalid = "KubernetesInvalidRequest";
    public const string ServerError = "KubernetesServerError";

    /// <summary>The API server kept answering 429 (API priority and fairness) after the client's retries.</summary>
    public const string TooManyRequests = "KubernetesTooManyRequests";
    public const string UnexpectedResponse = "KubernetesUnexpectedResponse";
}
