using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Emulator.State;

namespace AzMLK8s.Benchmarks;

/// <summary>
/// ARM requests one command line sends per scenario (LRO polls included) and the Kubernetes API requests beside them,
/// each typed into a runspace of the real PowerShell against the default seed of the in-process emulator.
/// </summary>
internal static class Scenarios
{
    /// <summary>Prints every request of each scenario under its row (--trace), for auditing what is sent.</summary>
    public static bool Trace { get; set; }

    private const string Rg = EmulatorState.DefaultResourceGroup;
    private static readonly string Sub = EmulatorState.DefaultSubscriptionId;

    public static async Task PrintRequestCountsAsync()
    {
        Console.WriteLine($"Requests per command line (LROs of {BenchEmulator.Lro.TotalMilliseconds:0} ms answered with Retry-After: {BenchEmulator.RetryAfterSeconds}: the module's poll follows it, so one poll each)");
        Console.WriteLine("typed into a runspace of PowerShell 7.6 (Microsoft.PowerShell.SDK) that imported out/AzMLK8s/<version>/ and signed in, with");
        Console.WriteLine($"  $aks = '/subscriptions/{Sub}/resourceGroups/{Rg}/providers/Microsoft.ContainerService/managedClusters/aks-demo'");
        Console.WriteLine($"  $arc = '/subscriptions/{Sub}/resourceGroups/{Rg}/providers/Microsoft.Kubernetes/connectedClusters/arc-demo'");
        Console.WriteLine("  $cert, $key, $cert2, $key2: PEM files of a certificate for ml.contoso.com and its key (and a second pair)");
        Console.WriteLine("Kubernetes API: the requests the call sends to the cluster's API server beside ARM's. A question is answered Yes.");
        Console.WriteLine();
        Console.WriteLine($"{"scenario",-44} {"requests",8} {"of which polls",15} {"writes",7} {"k8s API",8} {"errors",7}");
        await using var emulator = await BenchEmulator.StartAsync(TimeSpan.Zero);
        using var session = ModuleRunspace.Open(emulator);
        var dir = Directory.CreateTempSubdirectory("azmlk8s-bench-");
        try
        {
            var (cert, key) = WritePem(dir.FullName, "tls");
            var (cert2, key2) = WritePem(dir.FullName, "tls2");
            session.Set("aks", $"/subscriptions/{Sub}/resourceGroups/{Rg}/providers/Microsoft.ContainerService/managedClusters/aks-demo");
            session.Set("arc", $"/subscriptions/{Sub}/resourceGroups/{Rg}/providers/Microsoft.Kubernetes/connectedClusters/arc-demo");
            session.Set("cert", cert);
            session.Set("key", key);
            session.Set("cert2", cert2);
            session.Set("key2", key2);

            Row(emulator, session, "create training on AKS",
                "New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining");
            Row(emulator, session, "create inference HTTPS on Arc (relay)",
                "New-AzMLK8sExtension -ClusterResourceId $arc -EnableInference -SslCertificatePath $cert -SslKeyPath $key -SslCname ml.contoso.com");
            Row(emulator, session, "update public setting (question answered Yes)",
                "Update-AzMLK8sExtension -ClusterResourceId $aks -ConfigurationSetting @{ clusterPurpose = 'FastProd' }");
            Row(emulator, session, "update with protected (new TLS key), -Force",
                "Update-AzMLK8sExtension -ClusterResourceId $arc -SslCertificatePath $cert2 -SslKeyPath $key2 -Force");
            var attach = Row(emulator, session, "attach (Connect-AzMLK8sCompute)",
                "$compute = Connect-AzMLK8sCompute -Name k8s-training -WorkspaceName ws-demo -ResourceGroupName rg-demo -ClusterResourceId $aks -Namespace team-a -IdentityType SystemAssigned");
            if (attach.ErrorCount == 0)
            {
                var total = new ScenarioFigures();
                total += Row(emulator, session, "  grant AcrPull", "$compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo");
                total += Row(emulator, session, "  grant Storage Blob Data Reader", "$compute | Grant-AzMLComputeRole -Role 'Storage Blob Data Reader' -StorageAccount stdemo");
                total += Row(emulator, session, "  grant Reader (resource group)", $"$compute | Grant-AzMLComputeRole -Role Reader -Scope /subscriptions/{Sub}/resourceGroups/{Rg}");
                Console.WriteLine($"{"grant 3 roles (total)",-44} {total.Requests,8} {total.Polls,15} {total.Writes,7} {total.Kubernetes,8} {total.ErrorCount,7}");
            }

            Row(emulator, session, "prerequisite test (Test-AzMLK8sPrerequisite)",
                "Test-AzMLK8sPrerequisite -ClusterResourceId $aks -WorkspaceName ws-demo -ResourceGroupName rg-demo -Namespace team-a");
            Console.WriteLine($"  questions answered: {session.Host.Prompts}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static ScenarioFigures Row(EmulatorServer emulator, ModuleRunspace session, string scenario, string commandLine)
    {
        emulator.State.Requests.Clear();
        var run = session.Run(commandLine);
        var log = emulator.State.Requests.Entries;
        var figures = new ScenarioFigures
        {
            Requests = log.Count(r => !BenchEmulator.IsKubernetes(r)),
            Polls = log.Count(BenchEmulator.IsPoll),
            Writes = log.Count(BenchEmulator.IsArmWrite),
            Kubernetes = log.Count(BenchEmulator.IsKubernetes),
            ErrorCount = run.ErrorCount,
        };
        Console.WriteLine($"{scenario,-44} {figures.Requests,8} {figures.Polls,15} {figures.Writes,7} {figures.Kubernetes,8} {figures.ErrorCount,7}");
        Console.WriteLine($"    PS> {commandLine}");
        if (Trace)
        {
            foreach (var request in log)
            {
                Console.WriteLine($"      {request.Status} {request.Method,-6} {ShortPath(request.Path)}");
            }
        }

        foreach (var error in run.Describe())
        {
            Console.WriteLine($"    error {error}");
        }

        return figures;
    }

    // The subscription and resource group are the same in every request of the default seed.
    private static string ShortPath(string path) =>
        path.Replace($"/subscriptions/{Sub}/resourceGroups/{Rg}", "~", StringComparison.OrdinalIgnoreCase).Replace($"/subscriptions/{Sub}", "~sub", StringComparison.OrdinalIgnoreCase);

    private static (string Certificate, string Key) WritePem(string directory, string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=ml.contoso.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("ml.contoso.com");
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
        var certPath = Path.Combine(directory, name + ".crt.pem");
        var keyPath = Path.Combine(directory, name + ".key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    private sealed record ScenarioFigures
    {
        public int Requests { get; init; }

        public int Polls { get; init; }

        public int Writes { get; init; }

        public int Kubernetes { get; init; }

        public int ErrorCount { get; init; }

        public static ScenarioFigures operator +(ScenarioFigures a, ScenarioFigures b) => new()
        {
            Requests = a.Requests + b.Requests,
            Polls = a.Polls + b.Polls,
            Writes = a.Writes + b.Writes,
            Kubernetes = a.Kubernetes + b.Kubernetes,
            ErrorCount = a.ErrorCount + b.ErrorCount,
        };
    }
}
