using AzMLK8s.Engine.Azure.Wire;

namespace AzMLK8s.Engine.Azure.Resources;

/// <summary>What every typed operations class shares: its connection, GET-or-null and paged lists.</summary>
public abstract class ResourceOperations
{
    private protected ResourceOperations(ArmConnection connection)
    {
        Connection = connection;
    }

    private protected ArmConnection Connection { get; }

    private protected async Task<T?> GetOrNullAsync<T>(ArmRequest request, CancellationToken cancellationToken) where T : class
    {
        var response = await Connection.Client.SendOrNotFoundAsync(request, cancellationToken).ConfigureAwait(false);
        return response?.Read<T>();
    }

    private protected async Task<T> SendAsync<T>(ArmRequest request, CancellationToken cancellationToken) where T : class, new()
    {
        var response = await Connection.Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.Read<T>() ?? new T();
    }

    private protected async Task<T> SendAndWaitAsync<T>(ArmRequest request, string activity, CancellationToken cancellationToken) where T : class, new()
    {
        var response = await Connection.SendAndWaitAsync(request, activity, cancellationToken).ConfigureAwait(false);
        return response?.Read<T>() ?? new T();
    }

    /// <summary>Waits for a resource that a read just showed in a running provisioningState (see <see cref="ArmOperationPoller.WaitForProvisioningAsync"/>).</summary>
    private protected async Task<T> WaitForProvisioningAsync<T>(ArmRequest get, string activity, CancellationToken cancellationToken)
        where T : class, new()
    {
        var final = await Connection.Poller.WaitForProvisioningAsync(get, activity, cancellationToken).ConfigureAwait(false);
        return final?.Read<T>() ?? new T();
    }

    /// <summary>
    /// Sends a DELETE and waits for its long-running operation. Returns false when the service answered 204: there
    /// was nothing to delete.
    /// </summary>
    private protected async Task<bool> DeleteAndWaitAsync(ArmRequest request, string activity, CancellationToken cancellationToken)
    {
        var initial = await Connection.Client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (initial.Status == 204)
        {
            return false;
        }

        await Connection.Poller.WaitAsync(request, initial, activity, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Follows nextLink until the last page.</summary>
    private protected async Task<IReadOnlyList<T>> ListAsync<T>(ArmRequest firstPage, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        ArmRequest? request = firstPage;
        while (request is not null)
        {
            var page = (await Connection.Client.SendAsync(request, cancellationToken).ConfigureAwait(false)).Read<ArmPage<T>>();
            items.AddRange(page?.Value ?? Enumerable.Empty<T>());
            request = string.IsNullOrEmpty(page?.NextLink) ? null : new ArmRequest("GET", page!.NextLink!, firstPage.ApiVersion).Describe(firstPage.Operation, firstPage.Target);
        }

        return items;
    }
}
