using System.Collections;
using System.Text.Json;
using AzMLK8s.Cmdlets;
using AzMLK8s.Cmdlets.Extensions;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Azure.Context;
using AzMLK8s.Harness;
using AzMLK8s.Model.Clusters;
using AzMLK8s.Model.Extensions;
using AzMLK8s.Tests.Azure;
using AzMLK8s.Tests.Infrastructure;
using AzMLK8s.Tests.Settings;

namespace AzMLK8s.Tests.ExtensionCmdlets;

/// <summary>One emulator per test; runs the real extension cmdlets against it through the recording host.</summary>
public abstract class ExtensionCmdletTestBase : EmulatorPerTest
{
    public const string CertCname = "ml.contoso.com";

    protected EmulatorState State => Server.State;

    private protected TestCertificates Certificates { get; } = new();

    public override async Task DisposeAsync()
    {
        Certificates.Dispose();
        await base.DisposeAsync();
    }

    public static string ClusterId(AzMLK8sClusterType type) => type == AzMLK8sClusterType.Aks ? ArmTestConnections.AksId : ArmTestConnections.ArcId;

    /// <summary>Runs a cmdlet with the session context pointing at the emulator and fast polls.</summary>
    protected RecordingHost Run(AzMLK8sCmdlet cmdlet, Action<RecordingHost>? configure = null, params object[] pipeline)
    {
        var host = new RecordingHost();
        AzureContextStore.Set(host, ArmTestConnections.Settings(Server));
        configure?.Invoke(host);
        if (cmdlet is ExtensionCmdletBase extensionCmdlet)
        {
            extensionCmdlet.PollingInterval = TimeSpan.FromMilliseconds(25);
        }

        var result = CmdletRunner.Run(cmdlet, host, pipeline);
        if (result.TerminatingError is not null && !host.Calls.Any(c => c.Kind == "TerminatingError"))
        {
            throw new InvalidOperationException(result.TerminatingError.Message);
        }

        return host;
    }

    protected static T Single<T>(RecordingHost host)
    {
        Assert.Empty(host.Errors);
        return Assert.IsType<T>(Assert.Single(host.Output));
    }

    /// <summary>The errors of a run: non-terminating ones and the terminating one.</summary>
    protected static IReadOnlyList<Model.ModuleError> AllErrors(RecordingHost host) =>
        host.Errors.Concat(host.Calls.Where(c => c.Kind == "TerminatingError").Select(c => (Model.ModuleError)c.Payload!)).ToArray();

    protected int Writes => State.Requests.Entries.Count(e => e.Method is "PUT" or "PATCH" or "DELETE" or "POST" && !e.Path.Contains("listClusterUserCredential", StringComparison.OrdinalIgnoreCase));

    protected EmulatedExtension Stored(string name = "azureml") => State.Extensions.Values.Single(e => e.Name == name);

    protected (string Certificate, string Key) Pem(string name = "tls") => Certificates.Write(name, new[] { CertCname });

    protected static NewAzMLK8sExtensionCommand New(AzMLK8sClusterType type, string scenario, (string Certificate, string Key)? pem = null)
    {
        var cmdlet = new NewAzMLK8sExtensionCommand { ClusterResourceId = ClusterId(type) };
        switch (scenario)
        {
            case "training":
                cmdlet.WithSwitch(nameof(cmdlet.EnableTraining));
                break;
            case "inference-lb-https":
            case "inference-ilb-https":
            case "inference-nodeport-https":
            case "both":
                cmdlet.WithSwitch(nameof(cmdlet.EnableInference));
                cmdlet.SslCertificatePath = pem!.Value.Certificate;
                cmdlet.SslKeyPath = pem.Value.Key;
                cmdlet.SslCname = CertCname;
                if (scenario == "inference-ilb-https")
                {
                    cmdlet.WithSwitch(nameof(cmdlet.InternalLoadBalancer));
                }
                else if (scenario == "inference-nodeport-https")
                {
                    cmdlet.InferenceRouterServiceType = "NodePort";
                }
                else if (scenario == "both")
                {
                    cmdlet.WithSwitch(nameof(cmdlet.EnableTraining));
                }

                break;
            case "inference-lb-http":
            case "inference-nodeport-http":
                cmdlet.WithSwitch(nameof(cmdlet.EnableInference));
                cmdlet.WithSwitch(nameof(cmdlet.AllowInsecureConnection));
                if (scenario == "inference-nodeport-http")
                {
                    cmdlet.InferenceRouterServiceType = "NodePort";
                }

                break;
            default:
                throw new ArgumentException(scenario);
        }

        return cmdlet;
    }

    /// <summary>Everything a caller can see: streams and the serialized output objects.</summary>
    protected static string Visible(RecordingHost host) =>
        host.AllText + "\n" + string.Join("\n", host.Output.Select(o => JsonSerializer.Serialize(o, o.GetType())));

    protected static Hashtable Table(params (string Key, object? Value)[] entries) => SettingsTestData.Table(entries);
}
