using System.Management.Automation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;
using AzMLK8s.PowerShellHost.Tests.Infrastructure;

namespace AzMLK8s.PowerShellHost.Tests.Extensions;

/// <summary>
/// What the extension cmdlets' runspace tests share: a fresh emulator and signed-in session per test whose operations
/// say "Retry-After: 1" (a wait polls once a second), the emulator's state read under its gate, PEM files, and the
/// properties of the module's output objects (read through PowerShell, as the module loads only in PowerShell).
/// </summary>
public abstract class ExtensionSessionTest : SessionPerTest
{
    private readonly string _pemDirectory = Directory.CreateTempSubdirectory("azmlk8s-pem-").FullName;

    protected override EmulatorOptions Options()
    {
        var options = EmulatorFixture.FastOptions();
        options.OperationRetryAfterSeconds = 1;
        return options;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_pemDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }

    /// <summary>Requests that change something (ARM and Kubernetes writes); POSTs that only list keys or credentials do not count.</summary>
    protected int Writes => State.Requests.Entries.Count(IsWrite);

    /// <summary>The writes that arrived after <paramref name="arrived"/> (a value of the request log's Arrived).</summary>
    protected IEnumerable<string> WritesArrivedAfter(long arrived) =>
        State.Requests.ArrivedAfter(arrived).Where(IsWrite).Select(e => $"{e.Method} {e.Path}");

    private static bool IsWrite(Emulator.State.LoggedRequest e) =>
        e.Method is "PUT" or "PATCH" or "DELETE" || (e.Method == "POST" && !e.Path.Split('/')[^1].StartsWith("list", StringComparison.OrdinalIgnoreCase));

    protected int Count(string method, string route) => State.Requests.Count(method, route);

    /// <summary>The extension as the emulator holds it (with its protected values), or null.</summary>
    protected EmulatedExtension? Stored(string clusterId, string name = "azureml")
    {
        lock (State.Gate)
        {
            return State.Extensions.Values.SingleOrDefault(e =>
                string.Equals(e.Cluster.ResourceId, clusterId, StringComparison.OrdinalIgnoreCase) && e.Name == name);
        }
    }

    protected Dictionary<string, string> StoredProtected(string clusterId, string name = "azureml")
    {
        lock (State.Gate)
        {
            return new Dictionary<string, string>(Stored(clusterId, name)!.ConfigurationProtectedSettings, StringComparer.Ordinal);
        }
    }

    protected KubernetesCluster Kubernetes(string clusterId) => State.FindCluster(clusterId)!.Kubernetes;

    /// <summary>Runs <paramref name="script"/> and fails the test on any error.</summary>
    protected ScriptResult Ok(string script, params (string Name, object? Value)[] variables) => Session.Run(script, variables).ThrowIfFailed();

    /// <summary>Installs the extension (training, or what <paramref name="parameters"/> say) and waits until it succeeded.</summary>
    protected void Install(string clusterId, string parameters = "-EnableTraining") =>
        Ok($"$null = New-AzMLK8sExtension -ClusterResourceId $cluster {parameters} -WarningAction SilentlyContinue", ("cluster", clusterId));

    /// <summary>A self-signed certificate for ml.contoso.com and its unencrypted key, as PEM files.</summary>
    protected (string Certificate, string Key) Pem(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ml.contoso.com", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("ml.contoso.com");
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(365));
        var certificatePath = Path.Combine(_pemDirectory, name + ".crt.pem");
        var keyPath = Path.Combine(_pemDirectory, name + ".key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    /// <summary>The parameters of an inference install over HTTPS with the given PEM files.</summary>
    protected static string Https((string Certificate, string Key) pem) =>
        $"-EnableInference -SslCertificatePath '{pem.Certificate}' -SslKeyPath '{pem.Key}' -SslCname ml.contoso.com";

    /// <summary>The base64 lines of a PEM key file: each a piece of the secret.</summary>
    protected static IReadOnlyList<string> SecretLines(string keyPath) =>
        File.ReadAllLines(keyPath).Where(l => l.Trim().Length >= 16 && !l.StartsWith("-----", StringComparison.Ordinal)).Select(l => l.Trim()).ToArray();

    protected static object? Property(PSObject item, string name) => item.Properties[name]?.Value;

    /// <summary>Everything a caller can see of a run: every stream, and the output objects as JSON (ConvertTo-Json).</summary>
    protected string Visible(ScriptResult result)
    {
        var json = result.Output.Count == 0
            ? string.Empty
            : string.Join("\n", Session.Run("$items | ConvertTo-Json -Depth 6", ("items", result.Output.ToArray())).ThrowIfFailed().Output.Select(o => o.ToString()));
        return result.AllText + "\n" + json + "\n" + Session.Host.Text;
    }

    protected static async Task Until(Func<bool> condition, string what)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            Assert.False(guard.IsCancellationRequested, $"Gave up waiting until {what}.");
            await Task.Delay(10);
        }
    }
}
