using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Engine.Azure.Context;

/// <summary>What this module reads from Az.Accounts' Get-AzContext: subscription, tenant and environment.</summary>
internal sealed record AzAccountsContext(string? SubscriptionId, string? TenantId, string? EnvironmentName, Uri? ResourceManagerUrl, string? TokenAudience)
{
    public const string CommandName = "Get-AzContext";

    /// <summary>The session's Az.Accounts context, or null when Az.Accounts is absent or nobody signed in.</summary>
    public static AzAccountsContext? TryRead(ICmdletHost host)
    {
        IReadOnlyList<IReadOnlyDictionary<string, object?>> output;
        try
        {
            output = host.InvokeCommand(CommandName, new Dictionary<string, object?>());
        }
        catch (ModuleErrorException ex) when (ex.Error.ErrorId == "HostCommandNotFound")
        {
            return null;
        }

        var context = output.FirstOrDefault();
        if (context is null || Bag(context, "Account") is null)
        {
            return null;
        }

        var subscription = Bag(context, "Subscription");
        var environment = Bag(context, "Environment");
        return new AzAccountsContext(
            Text(subscription, "Id"),
            Text(Bag(context, "Tenant"), "Id") ?? Text(subscription, "TenantId"),
            Text(environment, "Name"),
            Uri.TryCreate(Text(environment, "ResourceManagerUrl"), UriKind.Absolute, out var arm) ? arm : null,
            Text(environment, "ActiveDirectoryServiceEndpointResourceId"));
    }

    private static IReadOnlyDictionary<string, object?>? Bag(IReadOnlyDictionary<string, object?>? parent, string name) =>
        parent is not null && parent.TryGetValue(name, out var value) ? value as IReadOnlyDictionary<string, object?> : null;

    private static string? Text(IReadOnlyDictionary<string, object?>? parent, string name) =>
        parent is not null && parent.TryGetValue(name, out var value) && value is not null && value.ToString() is { Length: > 0 } text ? text : null;
}
