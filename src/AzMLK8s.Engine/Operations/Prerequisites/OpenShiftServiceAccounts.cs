namespace AzMLK8s.Engine.Operations.Prerequisites;

/// <summary>
/// The service accounts the AzureML extension runs as on OpenShift (ARO/OCP), which must be users of the
/// `privileged` SecurityContextConstraints: the Arc AAD proxy, the extension's components in `azureml`, and the
/// compute namespace's default account.
/// </summary>
public static class OpenShiftServiceAccounts
{
    public const string PrivilegedScc = "privileged";
    public const string ReleaseNamespace = "azureml";

    private static readonly string[] ReleaseNamespaceAccounts =
    {
        "cluster-status-reporter", "prom-admission", "default", "prom-operator", "csi-blob-node-sa", "csi-blob-controller-sa",
        "load-amlarc-selinux-policy-sa", "azureml-fe", "prom-prometheus",
    };

    /// <summary>The SCC user names ("system:serviceaccount:{namespace}:{account}"), without duplicates.</summary>
    public static IReadOnlyList<string> For(string extensionName, string computeNamespace, string releaseNamespace = ReleaseNamespace)
    {
        var users = new List<string>
        {
            User("azure-arc", "azure-arc-kube-aad-proxy-sa"),
            User(releaseNamespace, $"{extensionName}-kube-state-metrics"),
        };
        users.AddRange(ReleaseNamespaceAccounts.Select(a => User(releaseNamespace, a)));

        // The `default` namespace's default account would give every unqualified pod of the cluster privileged access.
        if (!string.Equals(computeNamespace, "default", StringComparison.Ordinal))
        {
            users.Add(User(computeNamespace, "default"));
        }

        return users.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static string User(string ns, string account) => Kubernetes.Models.SecurityContextConstraints.ServiceAccountUser(ns, account);
}
