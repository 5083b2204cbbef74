using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AzMLK8s.Engine.Kubernetes.Transport;
using AzMLK8s.Model;
using AzMLK8s.Model.Host;
using k8s.KubeConfigModels;

namespace AzMLK8s.Engine.Kubernetes.Authentication;

/// <summary>
/// A kubeconfig exec credential plugin (kubelogin, aws-iam-authenticator, gke-gcloud-auth-plugin...) from the library's
/// <see cref="ExternalExecution"/>, run as kubectl runs it: without a terminal (stdin closed, interactive false),
/// arguments passed one by one, cancellable, within the caller's timeout, exit code and stderr reported without
/// secrets. The library's runner runs it synchronously while the configuration is built, with the session's stdin, an
/// interactive flag and one joined argument string, and ignores exit code and stderr. Cached until its
/// expirationTimestamp or a 401; a client certificate it returns is offered in the TLS handshake.
/// </summary>
internal sealed partial class ExecCredentialPlugin : KubernetesCredential
{
    public const string ApiVersionV1 = "client.authentication.k8s.io/v1";
    public const string ApiVersionV1Beta1 = "client.authentication.k8s.io/v1beta1";

    private readonly ExternalExecution _exec;
    private readonly string _userDescription;
    private readonly TimeSpan _timeout;
    private readonly JsonObject? _clusterInfo;
    private readonly SemaphoreSlim _gate = new(1, 1); // one run at a time; nothing to dispose while its wait handle is unused
    private (bool Cached, AuthenticationHeaderValue? Header, DateTime? ExpiresOn) _last;

    /// <param name="interactiveMode">exec.interactiveMode, which the library's model does not carry.</param>
    /// <param name="clusterInfo">spec.cluster of KUBERNETES_EXEC_INFO, passed when the kubeconfig sets provideClusterInfo.</param>
    public ExecCredentialPlugin(ExternalExecution exec, string? interactiveMode, string userDescription, TimeSpan timeout, JsonObject? clusterInfo)
    {
        (_exec, _userDescription, _timeout, _clusterInfo) = (exec, userDescription, timeout, exec.ProvideClusterInfo ? clusterInfo : null);
        if (exec.ApiVersion is not (ApiVersionV1 or ApiVersionV1Beta1))
        {
            throw Unsupported($"uses apiVersion '{exec.ApiVersion}'; only {ApiVersionV1} and {ApiVersionV1Beta1} are supported",
                "Update the plugin and the kubeconfig to client.authentication.k8s.io/v1 (for kubelogin: 'kubelogin convert-kubeconfig').");
        }

        // The module never has a terminal to offer (runbooks, jobs), as kubectl without a TTY.
        if (string.Equals(interactiveMode, "Always", StringComparison.OrdinalIgnoreCase))
        {
            throw Unsupported("needs an interactive terminal (interactiveMode: Always), which the module cannot offer",
                "Use a non-interactive login for the plugin (for kubelogin: 'kubelogin convert-kubeconfig -l azurecli', '-l msi' or '-l workloadidentity').");
        }

        if (string.IsNullOrWhiteSpace(exec.Command))
        {
            throw KubernetesErrorMapper.Error(KubernetesErrorIds.KubeconfigCredentialInvalid, ErrorKind.InvalidData, $"The exec credential plugin of {userDescription} has no command.",
                "Fix the user's exec.command in the kubeconfig.", userDescription);
        }
    }

    /// <summary>Whether a plugin command is kubelogin (Azure's), whatever its folder and extension.</summary>
    public static bool IsKubelogin(string? command) => string.Equals(Path.GetFileNameWithoutExtension(command), "kubelogin", StringComparison.OrdinalIgnoreCase);

    public override async Task<AuthenticationHeaderValue?> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Refreshed a little before the plugin's expiry so that a request does not start with a token about to lapse.
            if (!_last.Cached || _last.ExpiresOn - TimeSpan.FromSeconds(10) <= DateTime.UtcNow)
            {
                var status = await RunAsync(cancellationToken).ConfigureAwait(false);
                var certificate = string.IsNullOrEmpty(status.ClientCertificateData) ? null : LoadCertificate(status.ClientCertificateData, status.ClientKeyData!);
                (ClientCertificate, var previous) = (certificate, ClientCertificate);
                previous?.Dispose();
                _last = (true, string.IsNullOrEmpty(status.Token) ? null : Bearer(status.Token), status.ExpirationTimestamp);
            }

            return _last.Header;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override bool Invalidate()
    {
        _last.Cached = false;
        return true;
    }

    /// <summary>
    /// The first lines of what the plugin wrote to stderr, shortened, with anything that looks like a credential
    /// (JWTs, long base64 or hex runs, values of the plugin's env) masked.
    /// </summary>
    internal string SummarizeStderr(string stderr)
    {
        var redactor = new SecretRedactor();
        foreach (var variable in _exec.EnvironmentVariables ?? [])
        {
            redactor.Add(variable.GetValueOrDefault("value"));
        }

        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(3).Select(line => line.Length > 200 ? line[..200] + "…" : line);
        return SecretPattern().Replace(redactor.Redact(string.Join(" | ", lines)), SecretRedactor.Mask);
    }

    private async Task<ExecCredentialResponse.ExecStatus> RunAsync(CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = CreateStartInfo() };
        try
        {
            process.Start();
        }
        catch (Win32Exception)
        {
            throw KubernetesErrorMapper.Error(KubernetesErrorIds.ExecPluginNotFound, ErrorKind.NotInstalled,
                $"The credential plugin '{_exec.Command}' that {_userDescription} needs could not be started: it was not found or is not executable.",
                string.IsNullOrWhiteSpace(_exec.InstallHint) ? $"Install '{_exec.Command}' and make sure it is on the PATH." : _exec.InstallHint.Trim(), _exec.Command);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited on its own meanwhile.
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw Failure($"did not finish within {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds");
        }

        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw Failure($"exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}", SummarizeStderr(errors));
        }

        // null: not JSON, or an expirationTimestamp that is not an RFC 3339 time
        var response = KubernetesErrorMapper.TryDeserialize<ExecCredentialResponse>(output);
        return response is not { Kind: "ExecCredential" } || response.ApiVersion != _exec.ApiVersion ? throw Failure($"did not return an ExecCredential of apiVersion {_exec.ApiVersion}")
            : response.Status?.IsValid() == true ? response.Status : throw Failure("returned neither a token nor a client certificate and key");
    }

    private ProcessStartInfo CreateStartInfo()
    {
        var info = new ProcessStartInfo(_exec.Command, _exec.Arguments ?? [])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var variable in (_exec.EnvironmentVariables ?? []).Where(v => !string.IsNullOrEmpty(v.GetValueOrDefault("name"))))
        {
            info.Environment[variable["name"]] = variable.GetValueOrDefault("value") ?? string.Empty;
        }

        var spec = new JsonObject { ["interactive"] = false };
        if (_clusterInfo is not null)
        {
            spec["cluster"] = _clusterInfo.DeepClone();
        }

        info.Environment["KUBERNETES_EXEC_INFO"] = new JsonObject { ["apiVersion"] = _exec.ApiVersion, ["kind"] = "ExecCredential", ["spec"] = spec }.ToJsonString();
        return info;
    }

    private X509Certificate2 LoadCertificate(string certificatePem, string keyPem)
    {
        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            // Windows' TLS stack cannot use an ephemeral key for client authentication; a PKCS#12 round trip gives it one.
#pragma warning disable SYSLIB0057 // X509CertificateLoader is not in net8.0.
            return new X509Certificate2(ephemeral.Export(X509ContentType.Pkcs12));
#pragma warning restore SYSLIB0057
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw Failure("returned a client certificate and key that could not be read (an RSA or EC key in PEM that matches the certificate is needed)");
        }
    }

    private ModuleErrorException Failure(string what, string? stderrSummary = null) => KubernetesErrorMapper.Error(KubernetesErrorIds.ExecPluginFailed, ErrorKind.AuthenticationError,
        $"The credential plugin '{_exec.Command}' of {_userDescription} {what}." + (string.IsNullOrEmpty(stderrSummary) ? string.Empty : $" It said: {stderrSummary}"),
        IsKubelogin(_exec.Command)
            ? "Run the same kubelogin command in a terminal to see its full output; for non-interactive use convert the kubeconfig with 'kubelogin convert-kubeconfig -l azurecli' or '-l msi'."
            : $"Run '{_exec.Command}' with the same arguments in a terminal to see its full output, and fix its login.", _exec.Command);

    private ModuleErrorException Unsupported(string what, string action) =>
        KubernetesErrorMapper.Error(KubernetesErrorIds.KubeconfigAuthUnsupported, ErrorKind.NotImplemented, $"The exec credential plugin of {_userDescription} {what}.", action, _userDescription);

    // A JWT, or a long run of base64 or hex.
    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]*)?|[A-Za-z0-9+/=_\-]{32,}")]
    private static partial Regex SecretPattern();
}
