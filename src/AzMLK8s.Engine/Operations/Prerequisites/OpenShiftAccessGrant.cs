using AzMLK8s.Engine.Azure;
using AzMLK8s.Engine.Kubernetes;
using AzMLK8s.Engine.Operations.Common;
using AzMLK8s.Model;
using AzMLK8s.Model.Prerequisites;

namespace AzMLK8s.Engine.Operations.Prerequisites;

/// <summary>
/// Adds the AzureML service accounts to OpenShift's `privileged` SCC, one user at a time through the client's
/// read-merge-patch (so users added by others stay), skipping those already there.
/// </summary>
public static class OpenShiftAccessGrant
{
    /// <summary>Connects to the cluster's API (an error when it cannot be reached) and grants.</summary>
    public static async Task<AzMLK8sPrerequisiteCheck> GrantAsync(
        ArmConnection connection,
        ClusterReference cluster,
        KubernetesAccessOptions? access,
        string extensionName,
        string computeNamespace,
        Func<string, string, bool> shouldProcess,
        CancellationToken cancellationToken)
    {
        using var api = await ClusterApiAccess.ConnectAsync(connection, cluster, access, cancellationToken).ConfigureAwait(false);
        if (api.Client is null)
        {
            throw new ModuleErrorException(api.Unavailable!);
        }

        return await GrantAsync(api.Client, cluster.ResourceId, extensionName, computeNamespace, shouldProcess, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="shouldProcess">(target, action) -> whether to add that user; the cmdlet's ShouldProcess.</param>
    public static async Task<AzMLK8sPrerequisiteCheck> GrantAsync(
        KubernetesClient client,
        string clusterResourceId,
        string extensionName,
        string computeNamespace,
        Func<string, string, bool> shouldProcess,
        CancellationToken cancellationToken)
    {
        if (!await client.IsApiGroupVersionServedAsync("security.openshift.io", "v1", cancellationToken).ConfigureAwait(false))
        {
            throw new ModuleErrorException(new ModuleError(
                "NotOpenShift",
                ErrorKind.InvalidOperation,
                $"Cluster '{clusterResourceId}' is not OpenShift (it serves no security.openshift.io API), so it has no SecurityContextConstraints to grant.")
            {
                RecommendedAction = "Nothing to do on this cluster. Run this command only for Azure Red Hat OpenShift (ARO) or OpenShift Container Platform (OCP) clusters.",
                TargetObject = clusterResourceId,
            });
        }

        var scc = await client.GetSecurityContextConstraintsAsync(OpenShiftServiceAccounts.PrivilegedScc, cancellationToken).ConfigureAwait(false);
        var wanted = OpenShiftServiceAccounts.For(extensionName, computeNamespace);
        var missing = wanted.Except(scc.Users ?? [], StringComparer.Ordinal).ToArray();
        var added = new List<string>();
        var target = $"SecurityContextConstraints '{OpenShiftServiceAccounts.PrivilegedScc}' on {clusterResourceId}";
        foreach (var user in missing)
        {
            if (!shouldProcess(target, $"Add user '{user}'"))
            {
                continue;
            }

            if (await client.AddUserToSecurityContextConstraintsAsync(OpenShiftServiceAccounts.PrivilegedScc, user, cancellationToken).ConfigureAwait(false))
            {
                added.Add(user);
            }
        }

        var notAdded = missing.Length - added.Count;
        return new AzMLK8sPrerequisiteCheck
        {
            Name = PrerequisiteCheckNames.OpenShift,
            Status = notAdded == 0 ? PrerequisiteStatus.Pass : PrerequisiteStatus.Skipped,
            Target = clusterResourceId,
            Detail = $"{added.Count} service account(s) added to the privileged SCC{(added.Count > 0 ? ": " + string.Join(", ", added) : string.Empty)}; {wanted.Count - missing.Length} already there"
                + (notAdded > 0 ? $"; {notAdded} not added (declined)." : "."),
        };
    }
}
