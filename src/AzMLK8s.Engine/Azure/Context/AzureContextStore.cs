using AzMLK8s.Model.Host;

namespace AzMLK8s.Engine.Azure.Context;

/// <summary>Keeps the chosen context in the PowerShell session (one per runspace) through the host seam.</summary>
public static class AzureContextStore
{
    private const string SessionKey = "AzMLK8s.AzureContext";

    public static AzureContextSettings? Get(ICmdletHost host) =>
        host.Session.TryGetValue(SessionKey, out var value) ? value as AzureContextSettings : null;

    public static void Set(ICmdletHost host, AzureContextSettings settings) => host.Session[SessionKey] = settings;

    public static void Clear(ICmdletHost host) => host.Session.Remove(SessionKey);
}
