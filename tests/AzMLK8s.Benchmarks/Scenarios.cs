using System.Collections;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AzMLK8s.Cmdlets;
using AzMLK8s.Cmdlets.Computes;
using AzMLK8s.Cmdlets.Extensions;
using AzMLK8s.Cmdlets.Prerequisites;
using AzMLK8s.Cmdlets.Roles;
using AzMLK8s.Emulator.State;
using AzMLK8s.Harness;
using AzMLK8s.Model.Computes;

namespace AzMLK8s.Benchmarks;

/// <summary>ARM requests one cmdlet call sends per scenario (LRO polls included), against the default seed.</summary>
internal static class Scenarios
{
    /// <summary>Prints every request of each scenario under its row (--trace), for auditing what is sent.</summary>
    public static bool Trace { get; set; }

    private const string Rg = EmulatorState.DefaultResourceGroup;
    private static readonly string Sub = EmulatorState.DefaultSubscriptionId;
    private static readonly string Aks = $"/subscriptions/{Sub}/resourceGroups/{Rg}/providers/Microsoft.ContainerService/managedClusters/aks-demo";
    private static readonly string Arc = $"/subscriptions/{Sub}/resourceGroups/{Rg}/providers/Microsoft.Kubernetes/connectedClusters/arc-demo";

    public static async Task PrintRequestCountsAsync()
    {
        Console.WriteLine("ARM requests per scenario (LROs of 300 ms; the emulator answers Retry-After: 1, so one poll each when polls follow the server)");
        Console.WriteLine("and the Kubernetes API requests the call sends to the cluster beside them");
        Console.WriteLine($"{"scenario",-44} {"requests",8} {"of which polls",15} {"writes",7} {"k8s API",8} {"errors",7}");
        await using var bench = await Bench.StartAsync(TimeSpan.FromMilliseconds(300), TimeSpan.Zero, retryAfterSeconds: 1);
        var dir = Directory.CreateTempSubdirectory("azmlk8s-bench-");
        try
        {
            var (cert, key) = WritePem(dir.FullName, "tls");
            var (cert2, key2) = WritePem(dir.FullName, "tls2");
            Row(bench, "create training on AKS", new NewAzMLK8sExtensionCommand { ClusterResourceId = Aks }.WithSwitch(nameof(NewAzMLK8sExtensionCommand.EnableTraining)));
            Row(bench, "create inference HTTPS on Arc (relay)", new NewAzMLK8sExtensionCommand
            {
                ClusterResourceId = Arc,
                SslCertificatePath = cert,
                SslKeyPath = key,
                SslCname = "ml.contoso.com",
            }.WithSwitch(nameof(NewAzMLK8sExtensionCommand.EnableInference)));
            Row(bench, "update public setting only", new UpdateAzMLK8sExtensionCommand
            {
                ClusterResourceId = Aks,
                ConfigurationSetting = new Hashtable { ["clusterPurpose"] = "FastProd" },
            });
            Row(bench, "update with protected (new TLS key)", new UpdateAzMLK8sExtensionCommand
            {
                ClusterResourceId = Arc,
                SslCertificatePath = cert2,
                SslKeyPath = key2,
            }.WithSwitch(nameof(UpdateAzMLK8sExtensionCommand.Force)));
            var attach = Row(bench, "attach (Connect-AzMLK8sCompute)", new ConnectAzMLK8sComputeCommand
            {
                WorkspaceName = "ws-demo",
                ResourceGroupName = Rg,
                Name = "k8s-training",
                ClusterResourceId = Aks,
                Namespace = "team-a",
                IdentityType = "SystemAssigned",
            });
            var compute = attach.OfType<AzMLK8sCompute>().FirstOrDefault();
            if (compute is not null)
            {
                var grants = new (string Name, Func<GrantAzMLComputeRoleCommand> Cmdlet)[]
                {
                    ("AcrPull", () => new GrantAzMLComputeRoleCommand { Role = "AcrPull", ContainerRegistry = "acrdemo" }),
                    ("Storage Blob Data Reader", () => new GrantAzMLComputeRoleCommand { Role = "Storage Blob Data Reader", StorageAccount = "stdemo" }),
                    ("Reader (resource group)", () => new GrantAzMLComputeRoleCommand { Role = "Reader", Scope = $"/subscriptions/{Sub}/resourceGroups/{Rg}" }),
                };
                var sum = 0;
                var kubernetes = 0;
                var writes = 0;
                var errors = 0;
                foreach (var (name, make) in grants)
                {
                    var (host, figures) = bench.Run(make(), new object[] { compute });
                    sum += figures.ArmRequests;
                    kubernetes += figures.KubernetesRequests;
                    writes += Writes(bench);
                    errors += figures.Errors;
                    Print($"  grant {name}", figures, 0, Writes(bench), host, bench.State.Requests.Entries);
                }

                Console.WriteLine($"{"grant 3 roles (total)",-44} {sum,8} {0,15} {writes,7} {kubernetes,8} {errors,7}");
            }

            Row(bench, "prerequisite test (Test-AzMLK8sPrerequisite)", new TestAzMLK8sPrerequisiteCommand
            {
                ClusterResourceId = Aks,
                WorkspaceName = "ws-demo",
                ResourceGroupName = Rg,
                Namespace = "team-a",
            });
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static IReadOnlyList<object> Row(Bench bench, string scenario, AzMLK8sCmdlet cmdlet)
    {
        var (host, figures) = bench.Run(cmdlet);
        var polls = bench.State.Requests.Entries.Count(e => e.Method == "GET" && e.Path.Contains("operation", StringComparison.OrdinalIgnoreCase));
        Print(scenario, figures, polls, Writes(bench), host, bench.State.Requests.Entries);
        return host.Output;
    }

    private static void Print(string scenario, RunFigures figures, int polls, int writes, BenchHost host, IReadOnlyList<LoggedRequest> log)
    {
        Console.WriteLine($"{scenario,-44} {figures.ArmRequests,8} {polls,15} {writes,7} {figures.KubernetesRequests,8} {figures.Errors,7}");
        if (Trace)
        {
            foreach (var request in log)
            {
                Console.WriteLine($"      {request.Status} {request.Method,-6} {ShortPath(request.Path)}");
            }
        }

        foreach (var error in host.Errors)
        {
            Console.WriteLine($"    error {error.ErrorId}: {error.Message}");
        }
    }

    // The subscription and resource group are the same in every request of the default seed.
    private static string ShortPath(string path) =>
        path.Replace($"/subscriptions/{Sub}/resourceGroups/{Rg}", "~", StringComparison.OrdinalIgnoreCase).Replace($"/subscriptions/{Sub}", "~sub", StringComparison.OrdinalIgnoreCase);

    private static int Writes(Bench bench) => bench.State.Requests.Entries.Count(e => e.Method is not "GET" and not "HEAD" && !Bench.IsKubernetes(e));

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
}
