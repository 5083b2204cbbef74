namespace AzMLK8s.Engine.Azure;

/// <summary>
/// One raw ARM call. <see cref="Path"/> is a resource path ("/subscriptions/...") or an absolute URL the service
/// handed out (an operation status or nextLink URL, which already carries its api-version).
/// </summary>
public sealed record ArmRequest(string Method, string Path, string? ApiVersion)
{
    /// <summary>JSON body: a wire model or a JsonNode; null sends no body.</summary>
    public object? Body { get; init; }

    /// <summary>Extra query parameters (values are escaped; names are sent as given, e.g. "$filter").</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; init; } = Array.Empty<KeyValuePair<string, string>>();

    /// <summary>What the call does, for error messages: "Get extension 'azureml'".</summary>
    public string Operation { get; init; } = "The Azure request";

    /// <summary>What the call is about (a resource id), for errors' TargetObject.</summary>
    public string? Target { get; init; }

    public static ArmRequest Get(string path, string apiVersion) => new("GET", path, apiVersion);

    public static ArmRequest Put(string path, string apiVersion, object body) => new("PUT", path, apiVersion) { Body = body };

    public static ArmRequest Patch(string path, string apiVersion, object body) => new("PATCH", path, apiVersion) { Body = body };

    public static ArmRequest Post(string path, string apiVersion, object? body = null) => new("POST", path, apiVersion) { Body = body };

    public static ArmRequest Delete(string path, string apiVersion) => new("DELETE", path, apiVersion);

    public ArmRequest WithQuery(string name, string value) => this with { Query = Query.Append(new KeyValuePair<string, string>(name, value)).ToArray() };

    public ArmRequest Describe(string operation, string? target) => this with { Operation = operation, Target = target };
}
