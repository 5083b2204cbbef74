using System.Text.Json.Serialization;

namespace AzMLK8s.Engine.Azure.Wire;

/// <summary>An AKS managedCluster or an Arc connectedCluster: the fields this module reads from either.</summary>
public sealed class ClusterResource : TrackedArmResource
{
    [JsonPropertyName("identity")]
    public ArmIdentity? Identity { get; set; }

    [JsonPropertyName("properties")]
    public ClusterProperties Properties { get; set; } = new();
}

public sealed class ClusterProperties
{
    [JsonPropertyName("provisioningState")]
    public string? ProvisioningState { get; set; }

    [JsonPropertyName("kubernetesVersion")]
    public string? KubernetesVersion { get; set; }

    /// <summary>AKS only.</summary>
    [JsonPropertyName("agentPoolProfiles")]
    public List<AgentPoolProfile>? AgentPoolProfiles { get; set; }

    /// <summary>AKS only: present when the cluster uses Entra ID for Kubernetes authentication.</summary>
    [JsonPropertyName("aadProfile")]
    public AksAadProfile? AadProfile { get; set; }

    /// <summary>AKS only: true when the cluster has no local accounts, so Azure ML reaches it through trusted access.</summary>
    [JsonPropertyName("disableLocalAccounts")]
    public bool? DisableLocalAccounts { get; set; }

    /// <summary>Arc only: aks, openshift, k3s, ...</summary>
    [JsonPropertyName("distribution")]
    public string? Distribution { get; set; }

    /// <summary>Arc only.</summary>
    [JsonPropertyName("totalNodeCount")]
    public int? TotalNodeCount { get; set; }

    /// <summary>Arc only: Connected, Offline, Expired, Connecting.</summary>
    [JsonPropertyName("connectivityStatus")]
    public string? ConnectivityStatus { get; set; }
}

public sealed class AgentPoolProfile
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("count")]
    public int? Count { get; set; }

    [JsonPropertyName("vmSize")]
    public string? VmSize { get; set; }

    [JsonPropertyName("osType")]
    public string? OsType { get; set; }
}

public sealed class AksAadProfile
{
    [JsonPropertyName("managed")]
    public bool? Managed { get; set; }

    [JsonPropertyName("enableAzureRBAC")]
    public bool? EnableAzureRbac { get; set; }
}

/// <summary>listClusterUserCredential result: base64 kubeconfigs.</summary>
public sealed class CredentialResults
{
    [JsonPropertyName("kubeconfigs")]
    public List<CredentialResult>? Kubeconfigs { get; set; }
}

public sealed class CredentialResult
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("value")]
    public string? Value { get; set; }
}

/// <summary>Arc's request body (both fields required).</summary>
public sealed class ConnectedClusterCredentialRequest
{
    [JsonPropertyName("authenticationMethod")]
    public string AuthenticationMethod { get; set; } = "Token";

    [JsonPropertyName("clientProxy")]
    public bool ClientProxy { get; set; }
}
