using System.Net;
using System.Security.Cryptography;
using AzMLK8s.Cmdlets;
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
    }

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
