using AzMLK8s.Model;
using AzMLK8s.Model.Host;
using global::Azure;
using global::Azure.Identity;
using global::Azure.ResourceManager.Resources;

namespace AzMLK8s.Engine.Azure.Resources;

/// <summary>
/// Feature flags (Microsoft.Features) and resource provider registration, through Azure.ResourceManager's typed
/// resources on the same endpoint, transport, retry and correlation id as the raw calls.
/// States are the service's strings (Registered, Registering, NotRegistered, ...); compare them ignoring case.
/// </summary>
public sealed class RegistrationOperations : ResourceOperations
{
    internal RegistrationOperations(ArmConnection connection)
        : base(connection)
    {
    }

    public Task<string?> GetFeatureStateAsync(string providerNamespace, string featureName, CancellationToken cancellationToken) =>
        CallAsync($"Get feature '{providerNamespace}/{featureName}'", async () =>
        {
            var response = await Feature(providerNamespace, featureName).GetAsync(cancellationToken).ConfigureAwait(false);
            return response.Value.Data.FeatureState;
        });

    public Task<string?> RegisterFeatureAsync(string providerNamespace, string featureName, CancellationToken cancellationToken) =>
        CallAsync($"Register feature '{providerNamespace}/{featureName}'", async () =>
        {
            var response = await Feature(providerNamespace, featureName).RegisterAsync(cancellationToken).ConfigureAwait(false);
            return response.Value.Data.FeatureState;
        });

    public Task<string?> GetProviderStateAsync(string providerNamespace, CancellationToken cancellationToken) =>
        CallAsync($"Get resource provider '{providerNamespace}'", async () =>
        {
            var response = await Provider(providerNamespace).GetAsync(expand: null, cancellationToken).ConfigureAwait(false);
            return response.Value.Data.RegistrationState;
        });

    public Task<string?> RegisterProviderAsync(string providerNamespace, CancellationToken cancellationToken) =>
        CallAsync($"Register resource provider '{providerNamespace}'", async () =>
        {
            var response = await Provider(providerNamespace).RegisterAsync(content: null, cancellationToken).ConfigureAwait(false);
            return response.Value.Data.RegistrationState;
        });

    /// <summary>Registers the feature (if it is not already) and waits until it is Registered.</summary>
    public async Task<string> RegisterFeatureAndWaitAsync(string providerNamespace, string featureName, CancellationToken cancellationToken)
    {
        await RegisterFeatureAsync(providerNamespace, featureName, cancellationToken).ConfigureAwait(false);
        return await WaitUntilRegisteredAsync(ct => GetFeatureStateAsync(providerNamespace, featureName, ct), $"feature {providerNamespace}/{featureName}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Registers the resource provider (if it is not already) and waits until it is Registered.</summary>
    public async Task<string> RegisterProviderAndWaitAsync(string providerNamespace, CancellationToken cancellationToken)
    {
        await RegisterProviderAsync(providerNamespace, cancellationToken).ConfigureAwait(false);
        return await WaitUntilRegisteredAsync(ct => GetProviderStateAsync(providerNamespace, ct), $"resource provider {providerNamespace}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Polls until the state is Registered (progress through the host); gives up after the polling timeout.</summary>
    private async Task<string> WaitUntilRegisteredAsync(Func<CancellationToken, Task<string?>> getState, string what, CancellationToken cancellationToken)
    {
        const int ActivityId = 7299;
        var polling = Connection.Poller.Options;
        var deadline = DateTimeOffset.UtcNow + polling.Timeout;
        var reported = false;
        try
        {
            while (true)
            {
                var state = await getState(cancellationToken).ConfigureAwait(false);
                if (string.Equals(state, "Registered", StringComparison.OrdinalIgnoreCase))
                {
                    return state!;
                }

                if (DateTimeOffset.UtcNow >= deadline)
                {
                    throw new ModuleErrorException(new ModuleError(
                        "Arm.RegistrationTimeout",
                        ErrorKind.OperationTimeout,
                        $"{what} is still '{state}' after {polling.Timeout.TotalMinutes.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} minutes.")
                    {
                        RecommendedAction = "Registration can take up to an hour. Run the command again later.",
                        TargetObject = what,
                    });
                }

                Connection.Host.WriteProgress(new ProgressUpdate(ActivityId, $"Waiting for {what}", state ?? "Unknown"));
                reported = true;
                await Task.Delay(polling.DefaultInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (reported)
            {
                Connection.Host.WriteProgress(new ProgressUpdate(ActivityId, $"Waiting for {what}", "Done") { Completed = true });
            }
        }
    }


    private global::Azure.ResourceManager.Resources.FeatureResource Feature(string providerNamespace, string featureName) =>
        Connection.ArmClient.GetFeatureResource(global::Azure.ResourceManager.Resources.FeatureResource.CreateResourceIdentifier(Connection.SubscriptionId, providerNamespace, featureName));

    private ResourceProviderResource Provider(string providerNamespace) =>
        Connection.ArmClient.GetResourceProviderResource(ResourceProviderResource.CreateResourceIdentifier(Connection.SubscriptionId, providerNamespace));

    private static async Task<string?> CallAsync(string operation, Func<Task<string?>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status != 0)
        {
            var content = ex.GetRawResponse()?.Content?.ToString();
            throw new ModuleErrorException(ArmErrorMapper.FromResponse(ex.Status, ArmErrorMapper.ReadEnvelope(content), operation, target: operation) with { InnerException = ex });
        }
        catch (RequestFailedException ex)
        {
            throw new ModuleErrorException(new ModuleError("Arm.ConnectionFailed", ErrorKind.ConnectionError, $"{operation} could not reach Azure Resource Manager: {ex.InnerException?.Message ?? ex.Message}")
            {
                RecommendedAction = "Check the network connection and proxy settings, then run the command again.",
                InnerException = ex,
            });
        }
        catch (AuthenticationFailedException ex)
        {
            throw new ModuleErrorException(Credentials.CredentialErrors.SignInFailed(ex));
        }
    }
}
