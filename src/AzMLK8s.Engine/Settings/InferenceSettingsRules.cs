namespace AzMLK8s.Engine.Settings;

/// <summary>
/// The inference rules shared by create and update: how the router is exposed (service type, internal load
/// balancer) and where its TLS certificate comes from (PEM files, a Kubernetes secret, or none with an explicit
/// allowInsecureConnections).
/// </summary>
internal static class InferenceSettingsRules
{
    /// <summary>Rejects an internal load balancer on a router that is not a LoadBalancer service.</summary>
    public static void CheckServiceType(IReadOnlyDictionary<string, string> settings)
    {
        var serviceType = settings.GetValueOrDefault(SettingsCatalog.InferenceRouterServiceType) ?? SettingsCatalog.ServiceTypes.LoadBalancer;
        if (IsInternalLoadBalancer(settings) && !string.Equals(serviceType, SettingsCatalog.ServiceTypes.LoadBalancer, StringComparison.OrdinalIgnoreCase))
        {
            throw SettingErrors.Invalid(
                SettingErrors.ServiceTypeConflict,
                $"internalLoadBalancerProvider=azure puts the inference router on an internal load balancer, which needs inferenceRouterServiceType=LoadBalancer, but it is {serviceType}.",
                "Choose one: inferenceRouterServiceType=NodePort (your own load balancing) without internalLoadBalancerProvider, " +
                "or inferenceRouterServiceType=LoadBalancer with internalLoadBalancerProvider=azure.",
                SettingsCatalog.InternalLoadBalancerProvider);
        }
    }

    public static bool IsInternalLoadBalancer(IReadOnlyDictionary<string, string> settings) =>
        string.Equals(settings.GetValueOrDefault(SettingsCatalog.InternalLoadBalancerProvider), SettingsCatalog.AzureLoadBalancerProvider, StringComparison.OrdinalIgnoreCase);

    public static bool IsNodePort(IReadOnlyDictionary<string, string> settings) =>
        string.Equals(settings.GetValueOrDefault(SettingsCatalog.InferenceRouterServiceType), SettingsCatalog.ServiceTypes.NodePort, StringComparison.OrdinalIgnoreCase);

    /// <summary>The PEM file paths of the input; both or neither.</summary>
    public static (string Certificate, string Key)? PemFiles(SettingsInput input)
    {
        var certificate = input.Protected.GetValueOrDefault(SettingsCatalog.SslCertPemFile);
        var key = input.Protected.GetValueOrDefault(SettingsCatalog.SslKeyPemFile);
        if (certificate is null && key is null)
        {
            return null;
        }

        if (certificate is null || key is null)
        {
            var missing = certificate is null ? SettingsCatalog.SslCertPemFile : SettingsCatalog.SslKeyPemFile;
            throw SettingErrors.Invalid(
                SettingErrors.TlsPairIncomplete,
                $"HTTPS needs both the certificate and its key, but {missing} is missing.",
                "Give both files: -SslCertificatePath <cert.pem> -SslKeyPath <key.pem> (protected settings sslCertPemFile and sslKeyPemFile).",
                missing);
        }

        return (certificate, key);
    }

    /// <summary>The TLS error when neither a certificate nor allowInsecureConnections=true is given.</summary>
    public static Model.ModuleErrorException TlsRequired() =>
        SettingErrors.Invalid(
            SettingErrors.TlsRequired,
            "Inference endpoints need a TLS certificate for HTTPS, or an explicit allowInsecureConnections=true for plain HTTP.",
            "Give -SslCertificatePath and -SslKeyPath (PEM files) or -SslSecretName (a secret with cert.pem and key.pem in the azureml namespace), " +
            "each with -SslCname; or, for test clusters only, allowInsecureConnections=true.",
            SettingsCatalog.EnableInference);

    public static Model.ModuleErrorException SslCnameRequired() =>
        SettingErrors.Invalid(
            SettingErrors.SslCnameRequired,
            "HTTPS endpoints need sslCname, the DNS name clients use, which must be one of the certificate's names.",
            "Add sslCname=<host name> (-SslCname), for example sslCname=ml.contoso.com.",
            SettingsCatalog.SslCname);

    public static Model.ModuleErrorException TlsSourceConflict(string detail, string action) =>
        SettingErrors.Invalid(SettingErrors.TlsSourceConflict, $"Two TLS certificate sources were given: {detail}.", action, SettingsCatalog.SslSecret);

    public static Model.ModuleErrorException TlsWithInsecureConnections() =>
        SettingErrors.Invalid(
            SettingErrors.TlsWithInsecureConnections,
            "allowInsecureConnections=true (plain HTTP) was given together with a TLS certificate; the certificate would not be used.",
            "For HTTPS, leave out allowInsecureConnections (or set it to false); for HTTP, leave out the certificate settings.",
            SettingsCatalog.AllowInsecureConnections);

    /// <summary>
    /// The warning when inference gets no router service type: the seed documents' default, a public load balancer,
    /// is kept (today's CLI refuses to guess instead), and the user hears that it is public and how to choose.
    /// </summary>
    public const string PublicRouterWarning =
        "No inference router service type was given, so the inference router gets the default: inferenceRouterServiceType=LoadBalancer " +
        "on a PUBLIC load balancer. The router and its scoring endpoints will be reachable from the internet. To keep them private, choose " +
        "an internal load balancer (-InternalLoadBalancer, internalLoadBalancerProvider=azure; AKS), NodePort (-InferenceRouterServiceType NodePort, " +
        "your own load balancing) or ClusterIP (-InferenceRouterServiceType ClusterIP, reachable inside the cluster only). " +
        "To keep the public load balancer and not see this warning, give -InferenceRouterServiceType LoadBalancer.";

    /// <summary>What the -WhatIf line of the defaulted service type says.</summary>
    public const string PublicRouterEffect =
        "default, not chosen: a PUBLIC load balancer, the inference router will be reachable from the internet; " +
        "for a private router choose -InternalLoadBalancer, -InferenceRouterServiceType NodePort or -InferenceRouterServiceType ClusterIP";

    /// <summary>Whether the router ends up on a public load balancer.</summary>
    public static bool IsPublicLoadBalancer(IReadOnlyDictionary<string, string> settings) =>
        string.Equals(settings.GetValueOrDefault(SettingsCatalog.InferenceRouterServiceType) ?? SettingsCatalog.ServiceTypes.LoadBalancer, SettingsCatalog.ServiceTypes.LoadBalancer, StringComparison.OrdinalIgnoreCase)
        && !IsInternalLoadBalancer(settings);

    public const string InsecureWarning =
        "allowInsecureConnections=true: inference endpoints will serve plain HTTP; requests and scoring keys travel unencrypted. Use a TLS certificate for anything but tests.";

    /// <summary>Reads and checks the PEM pair; puts their base64 into the protected scoringFe keys and drops the paths.</summary>
    public static void ReplacePemFilesWithContent(
        SettingsInput input, (string Certificate, string Key) files, string? sslCname, DateTimeOffset now, string? baseDirectory, ICollection<string> warnings)
    {
        var material = PemTlsMaterial.Load(Resolve(files.Certificate, baseDirectory), Resolve(files.Key, baseDirectory), sslCname, now, warnings);
        input.Protected.Remove(SettingsCatalog.SslCertPemFile);
        input.Protected.Remove(SettingsCatalog.SslKeyPemFile);
        input.Protected[SettingsCatalog.ScoringFeSslCert] = material.CertificateBase64;
        input.Protected[SettingsCatalog.ScoringFeSslKey] = material.KeyBase64;
    }

    private static string Resolve(string path, string? baseDirectory) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(path, baseDirectory ?? Environment.CurrentDirectory);
}
