namespace AzMLK8s.Engine.Kubernetes.Authentication;

/// <summary>Credentials from an exec plugin, cached until the plugin's expirationTimestamp (or until a 401).</summary>
internal sealed class ExecPluginKubernetesCredential : KubernetesCredential
{
    // Refresh a little before the plugin's expiry so a request does not start with a token about to lapse.
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(10);

    private readonly ExecCredentialPlugin _plugin;
    private readonly string _userDescription;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ExecCredentialStatus? _cached;
    private KubernetesAuthentication? _cachedAuthentication;

    public ExecPluginKubernetesCredential(ExecCredentialPlugin plugin, string userDescription)
    {
        _plugin = plugin;
        _userDescription = userDescription;
    }

    public override async ValueTask<KubernetesAuthentication> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cachedAuthentication is not null && IsFresh(_cached!))
            {
                return _cachedAuthentication;
            }

            var status = await _plugin.RunAsync(cancellationToken).ConfigureAwait(false);
            var certificate = status.ClientCertificatePem is not null && status.ClientKeyPem is not null
                ? ClientCertificateLoader.FromPem(status.ClientCertificatePem, status.ClientKeyPem, _userDescription)
                : null;
            var previous = CurrentClientCertificate;
            CurrentClientCertificate = certificate;
            previous?.Dispose();
            _cached = status;
            _cachedAuthentication = new KubernetesAuthentication(status.Token, certificate);
            return _cachedAuthentication;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override bool Invalidate()
    {
        _cachedAuthentication = null;
        return true;
    }

    public override void Dispose()
    {
        base.Dispose();
        _gate.Dispose();
    }

    private static bool IsFresh(ExecCredentialStatus status) =>
        status.ExpiresOn is not { } expiresOn || expiresOn - ExpiryMargin > DateTimeOffset.UtcNow;
}
