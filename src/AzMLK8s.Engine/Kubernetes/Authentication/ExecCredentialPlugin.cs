using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AzMLK8s.Engine.Kubernetes.Kubeconfig;
using AzMLK8s.Model;

namespace AzMLK8s.Engine.Kubernetes.Authentication;

/// <summary>What an exec credential plugin returned (client.authentication.k8s.io ExecCredential status).</summary>
internal sealed record ExecCredentialStatus(string? Token, string? ClientCertificatePem, string? ClientKeyPem, DateTimeOffset? ExpiresOn);

/// <summary>
/// Runs a kubeconfig exec credential plugin (kubelogin, aws-iam-authenticator, gke-gcloud-auth-plugin...) the way
/// kubectl does: non-interactive, KUBERNETES_EXEC_INFO set, stdout read as an ExecCredential.
/// </summary>
internal sealed partial class ExecCredentialPlugin
{
    public const string ApiVersionV1 = "client.authentication.k8s.io/v1";
    public const string ApiVersionV1Beta1 = "client.authentication.k8s.io/v1beta1";

    private const int StderrSummaryLines = 3;
    private const int StderrSummaryLineLength = 200;

    private readonly KubeconfigExec _config;
    private readonly string _baseDirectory;
    private readonly string _userDescription;
    private readonly TimeSpan _timeout;
    private readonly JsonObject? _clusterInfo;

    /// <param name="clusterInfo">spec.cluster of KUBERNETES_EXEC_INFO, passed when the kubeconfig sets provideClusterInfo.</param>
    public ExecCredentialPlugin(KubeconfigExec config, string baseDirectory, string userDescription, TimeSpan timeout, JsonObject? clusterInfo = null)
    {
        _config = config;
        _clusterInfo = config.ProvideClusterInfo ? clusterInfo : null;
        _baseDirectory = baseDirectory;
        _userDescription = userDescription;
        _timeout = timeout;
        if (config.ApiVersion is not (ApiVersionV1 or ApiVersionV1Beta1))
        {
            throw new ModuleErrorException(new ModuleError(KubernetesErrorIds.KubeconfigAuthUnsupported, ErrorKind.NotImplemented,
                $"The exec credential plugin of {userDescription} uses apiVersion '{config.ApiVersion}'; only {ApiVersionV1} and {ApiVersionV1Beta1} are supported.")
            {
                RecommendedAction = "Update the plugin and the kubeconfig to client.authentication.k8s.io/v1 (for kubelogin: 'kubelogin convert-kubeconfig').",
                TargetObject = userDescription,
            });
        }

        // The module never has a terminal to offer (runbooks, jobs), as kubectl without a TTY.
        if (string.Equals(config.InteractiveMode, "Always", StringComparison.OrdinalIgnoreCase))
        {
            throw new ModuleErrorException(new ModuleError(KubernetesErrorIds.KubeconfigAuthUnsupported, ErrorKind.NotImplemented,
                $"The exec credential plugin of {userDescription} needs an interactive terminal (interactiveMode: Always), which the module cannot offer.")
            {
                RecommendedAction = "Use a non-interactive login for the plugin (for kubelogin: 'kubelogin convert-kubeconfig -l azurecli', '-l msi' or '-l workloadidentity').",
                TargetObject = userDescription,
            });
        }

        if (string.IsNullOrWhiteSpace(config.Command))
        {
            throw new ModuleErrorException(new ModuleError(KubernetesErrorIds.KubeconfigCredentialInvalid, ErrorKind.InvalidData,
                $"The exec credential plugin of {userDescription} has no command.")
            {
                RecommendedAction = "Fix the user's exec.command in the kubeconfig.",
                TargetObject = userDescription,
            });
        }
    }

    /// <summary>The command's file name without extension, e.g. "kubelogin".</summary>
    public string CommandName => Path.GetFileNameWithoutExtension(_config.Command!);

    public async Task<ExecCredentialStatus> RunAsync(CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = CreateStartInfo() };
        try
        {
            process.Start();
        }
        catch (Win32Exception)
        {
            throw new ModuleErrorException(new ModuleError(KubernetesErrorIds.ExecPluginNotFound, ErrorKind.NotInstalled,
                $"The credential plugin '{_config.Command}' that {_userDescription} needs could not be started: it was not found or is not executable.")
            {
                RecommendedAction = string.IsNullOrWhiteSpace(_config.InstallHint)
                    ? $"Install '{_config.Command}' and make sure it is on the PATH."
                    : _config.InstallHint.Trim(),
                TargetObject = _config.Command,
            });
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
            TryKill(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw Failure($"did not finish within {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds", stderrSummary: null);
        }

        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw Failure($"exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}", SummarizeStderr(errors));
        }

        return ParseOutput(output);
    }

    private ProcessStartInfo CreateStartInfo()
    {
        var info = new ProcessStartInfo(ResolveCommand())
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in _config.Args ?? new List<string>())
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var variable in _config.Env ?? new List<KubeconfigExecEnvVar>())
        {
            if (!string.IsNullOrEmpty(variable.Name))
            {
                info.Environment[variable.Name] = variable.Value ?? string.Empty;
            }
        }

        var spec = new JsonObject { ["interactive"] = false };
        if (_clusterInfo is not null)
        {
            spec["cluster"] = _clusterInfo.DeepClone();
        }

        info.Environment["KUBERNETES_EXEC_INFO"] = new JsonObject
        {
            ["apiVersion"] = _config.ApiVersion,
            ["kind"] = "ExecCredential",
            ["spec"] = spec,
        }.ToJsonString();
        return info;
    }

    // kubectl: a command with a path separator is relative to the kubeconfig's directory; a bare name is looked up on PATH.
    private string ResolveCommand()
    {
        var command = _config.Command!;
        var hasSeparator = command.Contains('/') || command.Contains(Path.DirectorySeparatorChar);
        return hasSeparator && !Path.IsPathRooted(command) ? Path.GetFullPath(Path.Combine(_baseDirectory, command)) : command;
    }

    private ExecCredentialStatus ParseOutput(string output)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(output);
        }
        catch (JsonException)
        {
            throw Failure("wrote something that is not an ExecCredential JSON document", stderrSummary: null);
        }

        if (root?["kind"]?.GetValue<string>() != "ExecCredential" || root["apiVersion"]?.GetValue<string>() != _config.ApiVersion)
        {
            throw Failure($"did not return an ExecCredential of apiVersion {_config.ApiVersion}", stderrSummary: null);
        }

        var status = root["status"];
        var token = status?["token"]?.GetValue<string>();
        var certificate = status?["clientCertificateData"]?.GetValue<string>();
        var key = status?["clientKeyData"]?.GetValue<string>();
        if (string.IsNullOrEmpty(token) && (string.IsNullOrEmpty(certificate) || string.IsNullOrEmpty(key)))
        {
            throw Failure("returned neither a token nor a client certificate and key", stderrSummary: null);
        }

        DateTimeOffset? expiresOn = null;
        var expiration = status?["expirationTimestamp"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(expiration))
        {
            if (!DateTimeOffset.TryParse(expiration, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                throw Failure("returned an expirationTimestamp that is not an RFC 3339 time", stderrSummary: null);
            }

            expiresOn = parsed;
        }

        return new ExecCredentialStatus(string.IsNullOrEmpty(token) ? null : token, certificate, key, expiresOn);
    }

    private ModuleErrorException Failure(string what, string? stderrSummary)
    {
        var message = $"The credential plugin '{_config.Command}' of {_userDescription} {what}.";
        if (!string.IsNullOrEmpty(stderrSummary))
        {
            message += $" It said: {stderrSummary}";
        }

        return new ModuleErrorException(new ModuleError(KubernetesErrorIds.ExecPluginFailed, ErrorKind.AuthenticationError, message)
        {
            RecommendedAction = CommandName.Equals("kubelogin", StringComparison.OrdinalIgnoreCase)
                ? "Run the same kubelogin command in a terminal to see its full output; for non-interactive use convert the kubeconfig with 'kubelogin convert-kubeconfig -l azurecli' or '-l msi'."
                : $"Run '{_config.Command}' with the same arguments in a terminal to see its full output, and fix its login.",
            TargetObject = _config.Command,
        });
    }

    /// <summary>
    /// The first lines of what the plugin wrote to stderr, shortened, with anything that looks like a credential
    /// (JWTs, long base64 or hex runs, values of the plugin's env) masked.
    /// </summary>
    internal string SummarizeStderr(string stderr)
    {
        var lines = stderr
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Take(StderrSummaryLines)
            .Select(line => line.Length > StderrSummaryLineLength ? line[..StderrSummaryLineLength] + "…" : line);
        var summary = string.Join(" | ", lines);
        foreach (var value in (_config.Env ?? new List<KubeconfigExecEnvVar>()).Select(e => e.Value).Where(v => v is { Length: >= 6 }))
        {
            summary = summary.Replace(value!, "***", StringComparison.Ordinal);
        }

        summary = JwtPattern().Replace(summary, "***");
        return LongOpaqueRunPattern().Replace(summary, "***");
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited on its own meanwhile.
        }
    }

    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]*)?")]
    private static partial Regex JwtPattern();

    [GeneratedRegex(@"[A-Za-z0-9+/=_\-]{32,}")]
    private static partial Regex LongOpaqueRunPattern();
}
