using System.Text.Json.Nodes;
using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Engine.Operations.Common;

namespace AzMLK8s.Engine.Operations.Computes;

/// <summary>A checked compute definition: what is sent, and what an existing compute is compared with.</summary>
public sealed record ComputeDefinition(
    ClusterReference Cluster,
    string Namespace,
    string IdentityType,
    string? UserAssignedIdentityId,
    string? DefaultInstanceType,
    JsonObject? InstanceTypes,
    string? Description)
{
    public const string None = "None";
    public const string SystemAssigned = "SystemAssigned";
    public const string UserAssigned = "UserAssigned";

    private const string IdentityResourceType = "Microsoft.ManagedIdentity/userAssignedIdentities";

    /// <summary>Checks every input rule; throws the first broken one. Sends nothing.</summary>
    public static ComputeDefinition From(ComputeAttachInput input)
    {
        ComputeInputRules.CheckComputeName(input.Name);
        ComputeInputRules.CheckNamespace(input.Namespace);
        var cluster = ClusterReference.Parse(input.ClusterResourceId);
        var (identityType, identityId) = Identity(input.IdentityType, input.UserAssignedIdentities);
        var instanceTypes = input.InstanceTypes is null ? null : InstanceTypeDefinitions.Parse(input.InstanceTypes);
        CheckDefaultInstanceType(input.DefaultInstanceType, instanceTypes);
        return new ComputeDefinition(cluster, input.Namespace, identityType, identityId, input.DefaultInstanceType, instanceTypes, input.Description);
    }

    /// <summary>The instance type Azure ML creates when a compute defines none.</summary>
    public const string BuiltInInstanceType = "defaultinstancetype";

    // The default must be one of the compute's instance types: those -InstanceType defines, else the built-in one.
    private static void CheckDefaultInstanceType(string? defaultInstanceType, JsonObject? instanceTypes)
    {
        if (defaultInstanceType is null)
        {
            return;
        }

        var known = instanceTypes is null ? new[] { BuiltInInstanceType } : instanceTypes.Select(t => t.Key).ToArray();
        if (!known.Contains(defaultInstanceType, StringComparer.Ordinal))
        {
            throw ComputeErrors.Invalid(
                ComputeErrors.InvalidDefaultInstanceType,
                $"-DefaultInstanceType '{defaultInstanceType}' is not one of the compute's instance types ({string.Join(", ", known)}); jobs that ask for the default would find no such type.",
                instanceTypes is null
                    ? $"Define it with -InstanceType @{{ '{defaultInstanceType}' = @{{ resources = @{{ requests = @{{ cpu = '1'; memory = '2Gi' }} }} }} }}, or leave -DefaultInstanceType out."
                    : $"Give one of {string.Join(", ", known)}, or add '{defaultInstanceType}' to -InstanceType.",
                defaultInstanceType);
        }
    }

    /// <summary>The PUT body; attached computes live in the workspace's location.</summary>
    public ComputeResource ToWire(string? location)
    {
        var identity = IdentityType == None
            ? null
            : new ArmIdentity
            {
                Type = IdentityType,
                UserAssignedIdentities = UserAssignedIdentityId is null ? null : new() { [UserAssignedIdentityId] = new ArmUserAssignedIdentityReference() },
            };
        return new ComputeResource
        {
            Location = location,
            Identity = identity,
            Properties = new ComputeProperties
            {
                ComputeType = "Kubernetes",
                ComputeLocation = location,
                ResourceId = Cluster.ResourceId,
                Description = Description,
                Properties = new KubernetesComputeProperties
                {
                    Namespace = Namespace,
                    DefaultInstanceType = DefaultInstanceType,
                    InstanceTypes = (JsonObject?)InstanceTypes?.DeepClone(),
                },
            },
        };
    }

    /// <summary>How an existing compute differs from this definition ("namespace 'a' -> 'b'"); empty when it matches.</summary>
    public IReadOnlyList<string> DifferencesFrom(ComputeResource existing)
    {
        var differences = new List<string>();
        var properties = existing.Properties;
        if (!string.Equals(properties.ResourceId?.TrimEnd('/'), Cluster.ResourceId, StringComparison.OrdinalIgnoreCase))
        {
            differences.Add($"cluster '{properties.ResourceId}' -> '{Cluster.ResourceId}'");
        }

        var existingNamespace = properties.Properties?.Namespace ?? "default";
        if (!string.Equals(existingNamespace, Namespace, StringComparison.Ordinal))
        {
            differences.Add($"namespace '{existingNamespace}' -> '{Namespace}'");
        }

        var existingType = IdentityTypeOf(existing.Identity);
        if (!string.Equals(existingType, IdentityType, StringComparison.OrdinalIgnoreCase))
        {
            differences.Add($"identity type {existingType} -> {IdentityType}");
        }
        else if (UserAssignedIdentityId is not null
                 && existing.Identity?.UserAssignedIdentities?.Keys.Any(k => string.Equals(k, UserAssignedIdentityId, StringComparison.OrdinalIgnoreCase)) != true)
        {
            differences.Add($"user-assigned identity -> '{UserAssignedIdentityId}'");
        }

        if (DefaultInstanceType is not null && !string.Equals(properties.Properties?.DefaultInstanceType, DefaultInstanceType, StringComparison.Ordinal))
        {
            differences.Add($"default instance type '{properties.Properties?.DefaultInstanceType}' -> '{DefaultInstanceType}'");
        }

        if (InstanceTypes is not null && !JsonNode.DeepEquals(InstanceTypes, properties.Properties?.InstanceTypes))
        {
            differences.Add("instance types");
        }

        if (Description is not null && !string.Equals(properties.Description, Description, StringComparison.Ordinal))
        {
            differences.Add("description");
        }

        return differences;
    }

    internal static string IdentityTypeOf(ArmIdentity? identity) =>
        identity?.Type is { Length: > 0 } type ? type.Replace(" ", string.Empty, StringComparison.Ordinal) : None;

    private static (string Type, string? Id) Identity(string? requestedType, IReadOnlyList<string> identities)
    {
        var type = requestedType switch
        {
            null => identities.Count > 0 ? UserAssigned : SystemAssigned,
            _ when string.Equals(requestedType, None, StringComparison.OrdinalIgnoreCase) => None,
            _ when string.Equals(requestedType, SystemAssigned, StringComparison.OrdinalIgnoreCase) => SystemAssigned,
            _ when string.Equals(requestedType, UserAssigned, StringComparison.OrdinalIgnoreCase) => UserAssigned,
            _ => throw ComputeErrors.Invalid(
                ComputeErrors.IdentityMismatch,
                $"-IdentityType '{requestedType}' is not one of None, SystemAssigned, UserAssigned.",
                "Use -IdentityType SystemAssigned, or -IdentityType UserAssigned with -UserAssignedIdentity <identity id>.",
                requestedType),
        };

        if (type != UserAssigned)
        {
            if (identities.Count > 0)
            {
                throw ComputeErrors.Invalid(
                    ComputeErrors.IdentityMismatch,
                    $"-UserAssignedIdentity was given with -IdentityType {type}; a compute has either a system-assigned identity or a user-assigned one.",
                    "Add -IdentityType UserAssigned, or leave out -UserAssignedIdentity.",
                    identities[0]);
            }

            return (type, null);
        }

        if (identities.Count == 0)
        {
            throw ComputeErrors.Invalid(
                ComputeErrors.IdentityMismatch,
                "-IdentityType UserAssigned needs the identity: -UserAssignedIdentity <identity resource id>.",
                "Add -UserAssignedIdentity '/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>'.",
                null);
        }

        if (identities.Count > 1)
        {
            throw ComputeErrors.Invalid(
                ComputeErrors.TooManyUserAssignedIdentities,
                $"{identities.Count} user-assigned identities were given, but Azure ML uses only the first identity of a Kubernetes compute and ignores the rest.",
                "Give exactly one -UserAssignedIdentity; grant that identity every role the compute's jobs need.",
                string.Join(", ", identities));
        }

        var parsed = ArmResourceId.Parse(identities[0], IdentityResourceType, ComputeErrors.InvalidUserAssignedIdentityId, "UserAssignedIdentity");
        return (UserAssigned, parsed.ToString());
    }
}
