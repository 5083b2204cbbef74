using System.Net;
using System.Security.Cryptography;
using AzMLK8s.Cmdlets;
using AzMLK8s.Cmdlets.Computes;
using AzMLK8s.Cmdlets.Extensions;
using AzMLK8s.Cmdlets.Prerequisites;
using AzMLK8s.Cmdlets.Roles;
using AzMLK8s.Harness;
using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Model.Context;

namespace AzMLK8s.Walkthrough;

/// <summary>The module's main job, step by step: sign in, deploy the extension, attach the cluster, grant roles.</summary>
internal sealed class MainJob
{
    private readonly WalkthroughOptions _options;
    private readonly Transcript _transcript;

    public MainJob(WalkthroughOptions options, Transcript transcript)
    {
        _options = options;
        _transcript = transcript;
    }

    public void Run(EmulatorServer? emulator)
    {
        SignIn(emulator);
        _transcript.Run(new GetAzMLK8sContextCommand());

        var subscription = emulator is null ? _options.SubscriptionId! : Emulator.State.EmulatorState.DefaultSubscriptionId;
        var cluster = $"/subscriptions/{subscription}/resourceGroups/{_options.ResourceGroup}/providers/Microsoft.ContainerService/managedClusters/{_options.Cluster}";
        _transcript.Variables[cluster] = "$aks";
        _transcript.Prompt($"$aks = '{cluster}'");

        CheckPrerequisites(cluster);
        var extension = DeployExtension(cluster);
        var compute = Attach(extension);
        Grant(compute);
    }

    private void CheckPrerequisites(string cluster)
    {
        _transcript.Run(new RegisterAzMLK8sPrerequisiteCommand { ClusterResourceId = cluster });
        _transcript.Run(new TestAzMLK8sPrerequisiteCommand
        {
            ClusterResourceId = cluster,
            WorkspaceName = _options.Workspace,
            ResourceGroupName = _options.ResourceGroup,
            Namespace = ComputeNamespace,
        });
    }

    private IReadOnlyList<object> DeployExtension(string cluster)
    {
        var extension = _transcript.Run(new NewAzMLK8sExtensionCommand { ClusterResourceId = cluster }.WithSwitch(nameof(NewAzMLK8sExtensionCommand.EnableTraining)), assignTo: "$extension");
        _transcript.Run(new TestAzMLK8sExtensionCommand { ClusterResourceId = cluster });
        return extension;
    }

    private IReadOnlyList<object> Attach(IReadOnlyList<object> extension) =>
        _transcript.Run(
            new ConnectAzMLK8sComputeCommand
            {
                WorkspaceName = _options.Workspace,
                ResourceGroupName = _options.ResourceGroup,
                Name = "k8s-training",
                Namespace = ComputeNamespace,
                IdentityType = "SystemAssigned",
            },
            assignTo: "$compute",
            input: ("$extension", extension));

    private void Grant(IReadOnlyList<object> compute) =>
        _transcript.Run(new GrantAzMLComputeRoleCommand { Role = "AcrPull", ContainerRegistry = _options.ContainerRegistry }, input: ("$compute", compute));

    private const string ComputeNamespace = "team-a";

    private void SignIn(EmulatorServer? emulator)
    {
        if (emulator is null)
        {
            _transcript.Run(new SetAzMLK8sContextCommand
            {
                SubscriptionId = _options.SubscriptionId,
                TenantId = _options.TenantId,
                AuthMethod = AzMLK8sAuthMethod.Environment,
            });
            return;
        }

        // The emulator accepts any bearer token; its self-signed certificate is pinned by thumbprint.
        var token = new NetworkCredential(string.Empty, "walkthrough-emulator-token").SecurePassword;
        _transcript.Variables[token] = "$token";
        _transcript.Prompt("$token = Read-Host -AsSecureString   # the emulator accepts any token");
        _transcript.Run(new SetAzMLK8sContextCommand
        {
            ArmEndpoint = emulator.BaseAddress,
            TrustedCertificateThumbprint = emulator.Certificate.GetCertHashString(HashAlgorithmName.SHA256),
            SubscriptionId = Emulator.State.EmulatorState.DefaultSubscriptionId,
            AuthMethod = AzMLK8sAuthMethod.AccessToken,
            AccessToken = token,
        });
    }
}
