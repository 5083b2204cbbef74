using System.Reflection;
using global::Azure.Core;
using global::Azure.Core.Pipeline;

namespace AzMLK8s.Engine.Azure;

/// <summary>Sets User-Agent to "AzMLK8s/{ModuleVersion}" so the calls are identifiable in the Activity Log.</summary>
internal sealed class UserAgentPolicy : HttpPipelineSynchronousPolicy
{
    public static string UserAgent { get; } = "AzMLK8s/" + ModuleVersion();

    public override void OnSendingRequest(HttpMessage message) => message.Request.Headers.SetValue("User-Agent", UserAgent);

    private static string ModuleVersion()
    {
        var assembly = typeof(UserAgentPolicy).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // The SDK appends "+{commit}" to the informational version; the user agent keeps the version only.
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}

/// <summary>
/// Sends one x-ms-correlation-request-id on every request of a cmdlet call (retries and polls included), so ARM's
/// logs and the Activity Log group them.
/// </summary>
internal sealed class CorrelationIdPolicy : HttpPipelineSynchronousPolicy
{
    public const string HeaderName = "x-ms-correlation-request-id";

    private readonly string _correlationId;

    public CorrelationIdPolicy(string correlationId)
    {
        _correlationId = correlationId;
    }

    public override void OnSendingRequest(HttpMessage message) => message.Request.Headers.SetValue(HeaderName, _correlationId);
}
