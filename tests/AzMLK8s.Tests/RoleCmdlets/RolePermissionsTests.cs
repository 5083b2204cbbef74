using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Engine.Operations.Roles;

namespace AzMLK8s.Tests.RoleCmdlets;

/// <summary>Whether held roles permit what a needed role permits, with the built-in roles' published permissions.</summary>
public sealed class RolePermissionsTests
{
    [Theory]
    [InlineData("*", "Microsoft.Relay/*", true)]
    [InlineData("Microsoft.Relay/*", "microsoft.relay/namespaces/read", true)]
    [InlineData("Microsoft.Relay/*", "*", false)]
    [InlineData("*/read", "Microsoft.Authorization/*/read", true)]
    [InlineData("*/read", "Microsoft.ContainerService/managedClusters/*", false)]
    [InlineData("Microsoft.ContainerService/managedClusters/*", "Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action", true)]
    [InlineData("Microsoft.ContainerService/managedClusters/read", "Microsoft.ContainerService/managedClusters/read", true)]
    [InlineData("Microsoft.ContainerService/managedClusters/read", "Microsoft.ContainerService/managedClusters/*", false)]
    public void A_pattern_includes_another_when_every_operation_of_the_other_matches_it(string broader, string pattern, bool expected) =>
        Assert.Equal(expected, RolePermissions.Includes(broader, pattern));

    [Theory]
    [InlineData("Microsoft.Authorization/*/Write", "Microsoft.Relay/*", false)]
    [InlineData("Microsoft.Authorization/*/Write", "*", true)]
    [InlineData("Microsoft.Authorization/*/Delete", "*/read", false)]
    [InlineData("Microsoft.Authorization/*/Write", "Microsoft.Authorization/roleAssignments/*", true)]
    [InlineData("Microsoft.Authorization/elevateAccess/Action", "Microsoft.Authorization/*/read", false)]
    public void Two_patterns_overlap_when_some_operation_matches_both(string first, string second, bool expected) =>
        Assert.Equal(expected, RolePermissions.Overlap(first, second));

    [Theory]
    [InlineData("Owner", "Kubernetes Extension Contributor", true)]
    [InlineData("Owner", "Reader", true)]
    [InlineData("Contributor", "Azure Kubernetes Service Cluster Admin Role", true)]
    [InlineData("Contributor", "Azure Kubernetes Service Contributor Role", true)]
    [InlineData("Owner", "Azure Relay Owner", false)]
    [InlineData("Contributor", "Azure Service Bus Data Owner", false)]
    [InlineData("Reader", "Kubernetes Extension Contributor", false)]
    [InlineData("Azure Kubernetes Service Contributor Role", "Azure Kubernetes Service Cluster Admin Role", true)]
    [InlineData("Azure Kubernetes Service Cluster Admin Role", "Reader", false)]
    public void Built_in_roles_include_the_roles_their_permissions_cover(string held, string needed, bool expected) =>
        Assert.Equal(expected, RolePermissions.Include(Permissions(held), Permissions(needed)));

    [Fact]
    public void A_NotAction_of_the_held_role_excludes_what_it_overlaps()
    {
        var roleWriter = new[] { Permission(new[] { "Microsoft.Authorization/roleAssignments/write" }) };

        Assert.False(RolePermissions.Include(Permissions("Contributor"), roleWriter));
        Assert.True(RolePermissions.Include(Permissions("Owner"), roleWriter));
    }

    [Fact]
    public void Roles_held_together_cover_what_none_covers_alone()
    {
        var needed = new[] { Permission(new[] { "Microsoft.Relay/namespaces/read", "Microsoft.ContainerService/managedClusters/read" }) };
        var relay = Permission(new[] { "Microsoft.Relay/*" });
        var aks = Permission(new[] { "Microsoft.ContainerService/*" });

        Assert.False(RolePermissions.Include(new[] { relay }, needed));
        Assert.True(RolePermissions.Include(new[] { relay, aks }, needed));
    }

    private static RoleDefinitionPermission[] Permissions(string builtInRole)
    {
        var role = BuiltInRoles.All.Single(r => r.Name == builtInRole).Permission;
        return new[]
        {
            new RoleDefinitionPermission
            {
                Actions = role.Actions.ToList(),
                NotActions = role.NotActions.ToList(),
                DataActions = role.DataActions.ToList(),
                NotDataActions = role.NotDataActions.ToList(),
            },
        };
    }

    private static RoleDefinitionPermission Permission(string[] actions) => new() { Actions = actions.ToList() };
}
