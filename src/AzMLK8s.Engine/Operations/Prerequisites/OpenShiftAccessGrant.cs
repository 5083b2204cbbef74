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
    /// <summary>
    /// Grants only for what is really there, since `privileged` is the most powerful grant on an OpenShift cluster:
    /// the namespace must be a valid name, an AzureML extension of that name must be installed on the cluster (its
    /// release namespace is where its accounts live), and the namespace must exist. Then connects to the cluster's API
    /// (an error when it cannot be reached) and grants.
    /// </summary>
    public static async Task<AzMLK8sPrerequisiteCheck> GrantAsync(
        ArmConnection connection,
        ClusterReference cluster,
        KubernetesAccessOptions? access,
        string extensionName,
        string computeNamespace,
        Func<string, string, bool> shouldProcess,
        CancellationToken cancellationToken)
    {
        CheckNamespaceName(computeNamespace);
        var releaseNamespace = await InstalledReleaseNamespaceAsync(connection, cluster, extensionName, cancellationToken).ConfigureAwait(false);
        using var api = await ClusterApiAccess.ConnectAsync(connection, cluster, access, cancellationToken).ConfigureAwait(false);
        if (api.Client is null)
        {
            throw new ModuleErrorException(api.Unavailable!);
        }

        return await GrantAsync(api.Client, cluster.ResourceId, extensionName, computeNamespace, shouldProcess, cancellationToken, releaseNamespace).ConfigureAwait(false);
    }

    public const string InvalidNamespaceError = "OpenShift.InvalidNamespace";
    public const string ExtensionNotFoundError = "OpenShift.AzureMLExtensionNotFound";
    public const string NamespaceNotFoundError = "OpenShift.NamespaceNotFound";

    private static void CheckNamespaceName(string computeNamespace)
    {
        try
        {
            Computes.ComputeInputRules.CheckNamespace(computeNamespace);
        }
        catch (ModuleErrorException ex)
        {
            throw new ModuleErrorException(ex.Error with { ErrorId = InvalidNamespaceError, Message = ex.Error.Message + " Nothing was granted." });
        }
    }

    // The extension of that name, of the AzureML type, on this cluster; its accounts live in its release namespace.
    private static async Task<string> InstalledReleaseNamespaceAsync(ArmConnection connection, ClusterReference cluster, string extensionName, CancellationToken cancellationToken)
    {
        var extension = await connection.Extensions.GetAsync(cluster.ResourceId, extensionName, cancellationToken).ConfigureAwait(false);
        if (extension is null || !string.Equals(extension.Properties.ExtensionType, Settings.SettingsCatalog.ExtensionType, StringComparison.OrdinalIgnoreCase))
        {
            var installed = (await connection.Extensions.ListAsync(cluster.ResourceId, cancellationToken).ConfigureAwait(false))
                .Where(e => string.Equals(e.Properties.ExtensionType, Settings.SettingsCatalog.ExtensionType, StringComparison.OrdinalIgnoreCase))
                .Select(e => e.Name)
                .ToArray();
            throw new ModuleErrorException(new ModuleError(
                ExtensionNotFoundError,
                ErrorKind.ObjectNotFound,
                $"Cluster '{cluster.Name}' has no AzureML extension named '{extensionName}'"
                    + (extension is null ? string.Empty : $" ('{extensionName}' is a {extension.Properties.ExtensionType} extension)") + ". Nothing was granted: the privileged SCC is only for the accounts of an installed AzureML extension.")
            {
                RecommendedAction = installed.Length > 0
                    ? $"Give the name of the installed one: -ExtensionName {string.Join(" or -ExtensionName ", installed)}."
                    : $"Install it first: New-AzMLK8sExtension -ClusterResourceId '{cluster.ResourceId}' ..., then grant.",
                TargetObject = cluster.ResourceId,
            });
        }

        return extension.Properties.Scope?.Cluster?.ReleaseNamespace is { Length: > 0 } releaseNamespace ? releaseNamespace : OpenShiftServiceAccounts.ReleaseNamespace;
    }

    /// <param name="shouldProcess">(target, action) -> whether to add that user; the cmdlet's ShouldProcess.</param>
    public static async Task<AzMLK8sPrerequisiteCheck> GrantAsync(
        KubernetesClient client,
        string clusterResourceId,
        string extensionName,
        string computeNamespace,
        Func<string, string, bool> shouldProcess,
        CancellationToken cancellationToken,
        string releaseNamespace = OpenShiftServiceAccounts.ReleaseNamespace)
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

        if (!await client.NamespaceExistsAsync(computeNamespace, cancellationToken).ConfigureAwait(false))
        {
            throw new ModuleErrorException(new ModuleError(
                NamespaceNotFoundError,
                ErrorKind.ObjectNotFound,
                $"Namespace '{computeNamespace}' does not exist on cluster '{clusterResourceId}'. Nothing was granted.")
            {
                RecommendedAction = $"Give the namespace the compute uses, or create it first (Connect-AzMLK8sCompute -Namespace {computeNamespace} -CreateNamespace does), then grant.",
                TargetObject = computeNamespace,
            });
        }

        var scc = await client.GetSecurityContextConstraintsAsync(OpenShiftServiceAccounts.PrivilegedScc, cancellationToken).ConfigureAwait(false);
        var wanted = OpenShiftServiceAccounts.For(extensionName, computeNamespace, releaseNamespace);
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
                + (notAdded > 0 ? $"; {notAdded} not added {PrerequisiteDetails.NotConfirmed}." : "."),
        };
    }
}
