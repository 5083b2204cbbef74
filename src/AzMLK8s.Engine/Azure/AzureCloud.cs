namespace AzMLK8s.Engine.Azure;

/// <summary>One Azure cloud: where ARM is, which audience its tokens are for, and where Entra ID signs in.</summary>
public sealed record AzureCloud(string Name, Uri ResourceManagerEndpoint, string TokenAudience, Uri AuthorityHost)
{
    public static AzureCloud AzureCloudPublic { get; } = new(
        "AzureCloud",
        new Uri("https://management.azure.com/"),
        "https://management.core.windows.net/",
        new Uri("https://login.microsoftonline.com/"));

    public static AzureCloud AzureChinaCloud { get; } = new(
        "AzureChinaCloud",
        new Uri("https://management.chinacloudapi.cn/"),
        "https://management.core.chinacloudapi.cn/",
        new Uri("https://login.chinacloudapi.cn/"));

    public static AzureCloud AzureUSGovernment { get; } = new(
        "AzureUSGovernment",
        new Uri("https://management.usgovcloudapi.net/"),
        "https://management.core.usgovcloudapi.net/",
        new Uri("https://login.microsoftonline.us/"));

    public static IReadOnlyList<AzureCloud> Known { get; } = new[] { AzureCloudPublic, AzureChinaCloud, AzureUSGovernment };

    /// <summary>The OAuth scope for ARM tokens in this cloud.</summary>
    public string TokenScope => TokenAudience.TrimEnd('/') + "/.default";

    public static AzureCloud? Find(string? name) =>
        Known.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The known cloud whose ARM endpoint this is (Az.Accounts environments carry the URL), or null.</summary>
    public static AzureCloud? FindByEndpoint(Uri? endpoint) =>
        endpoint is null ? null : Known.FirstOrDefault(c => Uri.Compare(c.ResourceManagerEndpoint, endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0);
}
