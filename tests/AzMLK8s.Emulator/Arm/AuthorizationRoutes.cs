using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Emulator.Arm;

/// <summary>Microsoft.Authorization role assignments (2022-04-01) and built-in role definitions.</summary>
public static class AuthorizationRoutes
{
    private const string Scope = "^(?<scope>(/subscriptions/.+?)?)";
    private const string Assignments = Scope + "/providers/Microsoft\\.Authorization/roleAssignments";
    private const string Definitions = Scope + "/providers/Microsoft\\.Authorization/roleDefinitions";

    public static void Map(ArmRouter router)
    {
        router.Add("RoleAssignments_ListForScope", "GET", Assignments + "$", List);
        router.Add("RoleAssignments_Get", "GET", Assignments + "/(?<name>[^/]+)$", Get);
        router.Add("RoleAssignments_Create", "PUT", Assignments + "/(?<name>[^/]+)$", Create);
        router.Add("RoleAssignments_Delete", "DELETE", Assignments + "/(?<name>[^/]+)$", Delete);
        router.Add("RoleDefinitions_List", "GET", Definitions + "$", ListDefinitions);
        router.Add("RoleDefinitions_Get", "GET", Definitions + "/(?<name>[^/]+)$", GetDefinition);
    }

    private static ArmResult Create(ArmCall call)
    {
        if (!Guid.TryParse(call["name"], out _))
        {
            return ArmResult.Error(400, "InvalidRoleAssignmentId", $"The role assignment ID '{call["name"]}' is not valid. The role assignment ID must be a GUID.");
        }

        var properties = call.Body?["properties"] as JsonObject;
        var roleDefinitionId = properties?["roleDefinitionId"]?.GetValue<string>();
        var principalId = properties?["principalId"]?.GetValue<string>();
        if (string.IsNullOrEmpty(roleDefinitionId) || string.IsNullOrEmpty(principalId))
        {
            return ArmResult.Error(400, "InvalidRequestContent", "properties.roleDefinitionId and properties.principalId are required.");
        }

        var roleGuid = roleDefinitionId[(roleDefinitionId.LastIndexOf('/') + 1)..];
        if (call.State.FindRoleDefinition(roleGuid) is null)
        {
            return ArmResult.Error(400, "RoleDefinitionDoesNotExist", $"The specified role definition with ID '{roleGuid}' does not exist.");
        }

        if (!call.State.Directory.IsVisible(principalId, call.Now))
        {
            return ArmResult.Error(400, "PrincipalNotFound",
                $"Principal {principalId.Replace("-", string.Empty, StringComparison.Ordinal)} does not exist in the directory {EmulatorState.DefaultTenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group. See https://aka.ms/docs-principaltype");
        }

        var scope = NormalizeScope(call["scope"]);
        var sameName = call.State.RoleAssignments.FirstOrDefault(a => SameScope(a.Scope, scope) && string.Equals(a.Name, call["name"], StringComparison.OrdinalIgnoreCase));
        var sameTriple = call.State.RoleAssignments.FirstOrDefault(a =>
            SameScope(a.Scope, scope)
            && string.Equals(a.PrincipalId, principalId, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.RoleGuid, roleGuid, StringComparison.OrdinalIgnoreCase));
        if (sameTriple is not null && sameTriple != sameName)
        {
            return ArmResult.Error(409, "RoleAssignmentExists",
                $"The role assignment already exists. The ID of the existing role assignment is {sameTriple.Name.Replace("-", string.Empty, StringComparison.Ordinal)}.");
        }

        if (sameName is not null)
        {
            return sameTriple == sameName
                ? ArmResult.Ok(ToJson(sameName))
                : ArmResult.Error(400, "RoleAssignmentUpdateNotPermitted", "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.");
        }

        var assignment = new EmulatedRoleAssignment(
            scope,
            call["name"].ToLowerInvariant(),
            $"/subscriptions/{SubscriptionOf(scope) ?? EmulatorState.DefaultSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{roleGuid}",
            principalId,
            properties!["principalType"]?.GetValue<string>() ?? "User",
            properties["description"]?.GetValue<string>(),
            call.Now);
        call.State.RoleAssignments.Add(assignment);
        return new ArmResult(201, ToJson(assignment));
    }

    private static ArmResult Get(ArmCall call) =>
        FindByName(call) is { } assignment
            ? ArmResult.Ok(ToJson(assignment))
            : ArmResult.Error(404, "RoleAssignmentNotFound", $"The role assignment '{call["name"]}' is not found.");

    private static ArmResult Delete(ArmCall call)
    {
        if (FindByName(call) is not { } assignment)
        {
            return new ArmResult(204, null);
        }

        call.State.RoleAssignments.Remove(assignment);
        return ArmResult.Ok(ToJson(assignment));
    }

    /// <summary>
    /// No filter: at, above and below the scope. atScope(): at or above. principalId eq '{id}': that principal at,
    /// above or below. Both may be joined with "and".
    /// </summary>
    private static ArmResult List(ArmCall call)
    {
        var scope = NormalizeScope(call["scope"]);
        var filter = call.Query("$filter") ?? string.Empty;
        var atScope = filter.Contains("atScope()", StringComparison.OrdinalIgnoreCase);
        var principal = Regex.Match(filter, "principalId\\s+eq\\s+'(?<id>[^']+)'", RegexOptions.IgnoreCase);
        if (filter.Length > 0 && !atScope && !principal.Success)
        {
            return ArmResult.Error(400, "UnsupportedQuery", $"The filter '{filter}' is not supported. Supported filters are atScope() and principalId eq '{{id}}'.");
        }

        var items = call.State.RoleAssignments
            .Where(a => IsAtOrAbove(a.Scope, scope) || (!atScope && IsAtOrAbove(scope, a.Scope)))
            .Where(a => !principal.Success || string.Equals(a.PrincipalId, principal.Groups["id"].Value, StringComparison.OrdinalIgnoreCase))
            .Where(a => call.Now - a.CreatedOn >= call.State.Options.RoleAssignmentListDelay)
            .OrderBy(a => a.CreatedOn)
            .Select(a => (JsonNode)ToJson(a))
            .ToArray();
        return ArmResult.Ok(new JsonObject { ["value"] = new JsonArray(items) });
    }

    private static ArmResult ListDefinitions(ArmCall call)
    {
        var filter = call.Query("$filter") ?? string.Empty;
        var byName = Regex.Match(filter, "roleName\\s+eq\\s+'(?<name>(?:[^']|'')+)'", RegexOptions.IgnoreCase);
        var roles = call.State.RoleDefinitions
            .Where(r => !byName.Success || string.Equals(r.Name, byName.Groups["name"].Value.Replace("''", "'", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
            .Select(r => (JsonNode)DefinitionJson(call, r))
            .ToArray();
        return ArmResult.Ok(new JsonObject { ["value"] = new JsonArray(roles) });
    }

    private static ArmResult GetDefinition(ArmCall call) =>
        call.State.FindRoleDefinition(call["name"]) is { } role
            ? ArmResult.Ok(DefinitionJson(call, role))
            : ArmResult.Error(404, "RoleDefinitionDoesNotExist", $"The specified role definition with ID '{call["name"]}' does not exist.");

    private static JsonObject DefinitionJson(ArmCall call, EmulatedRoleDefinition role) => new()
    {
        ["id"] = $"/subscriptions/{SubscriptionOf(call["scope"]) ?? EmulatorState.DefaultSubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{role.Guid}",
        ["name"] = role.Guid,
        ["type"] = "Microsoft.Authorization/roleDefinitions",
        ["properties"] = new JsonObject
        {
            ["roleName"] = role.Name,
            ["type"] = role.Type,
            ["description"] = $"{(role.Type == "BuiltInRole" ? "Built-in" : "Custom")} role {role.Name}.",
            ["assignableScopes"] = new JsonArray("/"),
            ["permissions"] = new JsonArray(new JsonObject
            {
                ["actions"] = Strings(role.Permission.Actions),
                ["notActions"] = Strings(role.Permission.NotActions),
                ["dataActions"] = Strings(role.Permission.DataActions),
                ["notDataActions"] = Strings(role.Permission.NotDataActions),
            }),
        },
    };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static JsonObject ToJson(EmulatedRoleAssignment assignment) => new()
    {
        ["id"] = assignment.Id,
        ["name"] = assignment.Name,
        ["type"] = "Microsoft.Authorization/roleAssignments",
        ["properties"] = new JsonObject
        {
            ["roleDefinitionId"] = assignment.RoleDefinitionId,
            ["principalId"] = assignment.PrincipalId,
            ["principalType"] = assignment.PrincipalType,
            ["scope"] = assignment.Scope,
            ["description"] = assignment.Description,
            ["createdOn"] = assignment.CreatedOn.ToString("o", CultureInfo.InvariantCulture),
        },
    };

    private static EmulatedRoleAssignment? FindByName(ArmCall call)
    {
        var scope = NormalizeScope(call["scope"]);
        return call.State.RoleAssignments.FirstOrDefault(a => SameScope(a.Scope, scope) && string.Equals(a.Name, call["name"], StringComparison.OrdinalIgnoreCase));
    }

    private static string NormalizeScope(string scope) => scope.Length == 0 ? "/" : scope.TrimEnd('/');

    private static bool SameScope(string left, string right) => string.Equals(left, right, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="candidate"/> is <paramref name="scope"/> or one of its ancestors.</summary>
    private static bool IsAtOrAbove(string candidate, string scope) =>
        SameScope(candidate, scope)
        || candidate == "/"
        || scope.StartsWith(candidate + "/", StringComparison.OrdinalIgnoreCase);

    private static string? SubscriptionOf(string scope)
    {
        var match = Regex.Match(scope, "^/subscriptions/(?<sub>[^/]+)", RegexOptions.IgnoreCase);
        return match.Success ? match.Groups["sub"].Value : null;
    }
}
