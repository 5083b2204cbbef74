namespace AzMLK8s.Engine.Operations.Extensions;

/// <summary>
/// The error codes the extension chart's health check writes to the arcml-healthcheck ConfigMap, each with its cause
/// and the fix (from the extension's troubleshooting documentation).
/// </summary>
public static class HealthCheckCodes
{
    private static readonly Dictionary<string, (string Name, string Cause, string Fix)> Codes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["E40000"] = ("UNKNOWN_ERROR", "The health check failed for a reason it could not classify.", "Read the health check's log: kubectl logs healthcheck -n azureml, and the ConfigMap: kubectl describe configmap arcml-healthcheck -n azureml."),
        ["E40001"] = ("LOAD_BALANCER_NOT_SUPPORT", "The cluster cannot provide a LoadBalancer service for the inference router.", "Use another router service type: Update-AzMLK8sExtension -InferenceRouterServiceType NodePort (or ClusterIP)."),
        ["E40002"] = ("INSUFFICIENT_NODE", "Too few healthy nodes for the inference router's replicas (3 with inferenceRouterHA, or the nodes the node selector allows).", "Add nodes, or Update-AzMLK8sExtension -ConfigurationSetting @{ inferenceRouterHA = $false }, and check -NodeSelector matches enough nodes."),
        ["E40003"] = ("INTERNAL_LOAD_BALANCER_NOT_SUPPORT", "The cluster cannot create an Azure internal load balancer (it works only on AKS).", "Use -InferenceRouterServiceType NodePort or ClusterIP without -InternalLoadBalancer on this cluster."),
        ["E40004"] = ("AZUREML_FE_DEPLOYMENT_NOT_FOUND", "The inference router deployment azureml-fe is missing.", "Update the extension again (Update-AzMLK8sExtension with -EnableInference) or remove and create it."),
        ["E40005"] = ("AZUREML_FE_SCALE_UP_TIMEOUT", "The inference router did not reach its replicas in time (pending pods, missing resources).", "Check kubectl get pods -n azureml -l app=azureml-fe for Pending pods and their events; free resources or add nodes."),
        ["E40006"] = ("AZUREML_FE_UPDATE_REPLICAS_FAILED", "The inference router's replica count could not be changed.", "Check the azureml-fe deployment's events (kubectl describe deployment azureml-fe -n azureml) and retry the update."),
        ["E40007"] = ("INVALID_SSL_SETTING", "The TLS key or certificate is not valid, or sslCname does not match the certificate.", "Give a matching PEM pair and sslCname: Update-AzMLK8sExtension -SslCertificatePath <cert.pem> -SslKeyPath <key.pem> -SslCname <name>."),
        ["E45001"] = ("AGENT_UNHEALTHY", "An extension component is not healthy.", "Find the pods not Running in this report and their reason; kubectl describe pod <name> -n azureml shows the events."),
        ["E45002"] = ("PROMETHEUS_CONFLICT", "Another Prometheus operator is installed on the cluster.", "Reuse it: Update-AzMLK8sExtension -ConfigurationSetting @{ installPromOp = $false }, or remove the other operator."),
        ["E45003"] = ("BAD_NETWORK_CONNECTIVITY", "The cluster cannot reach the Azure endpoints the extension needs.", "Open outbound access to the endpoints in the Azure ML network requirements (firewall, proxy, private DNS), then update the extension again."),
        ["E45004"] = ("AZUREML_FE_ROLE_CONFLICT", "A cluster role of the inference router already exists from an older installation.", "Delete the old azureml-fe cluster role and binding (kubectl get clusterrole | grep azureml-fe), then update the extension again."),
        ["E45005"] = ("AZUREML_FE_DEPLOYMENT_CONFLICT", "An inference router from an older (v1) installation exists on the cluster.", "Remove the old azureml-fe deployment and its namespace objects, then update the extension again."),
        ["E45006"] = ("INSTANCE_TYPE_FAILED", "Instance types could not be validated or updated (the InstanceType custom resource is missing or invalid).", "Check kubectl get instancetypes; update the extension to reinstall its custom resource definitions."),
        ["E49999"] = ("CHECKER_PANIC", "The health check itself crashed.", "Read kubectl logs healthcheck -n azureml and retry; report the log if it persists."),
    };

    /// <summary>The code's name, cause and fix; unknown codes get a generic entry.</summary>
    public static (string Name, string Cause, string Fix) Describe(string code) =>
        Codes.TryGetValue(code, out var entry)
            ? entry
            : ("UNKNOWN_CODE", $"The health check reported {code}.", "Read kubectl describe configmap arcml-healthcheck -n azureml for its details.");
}
