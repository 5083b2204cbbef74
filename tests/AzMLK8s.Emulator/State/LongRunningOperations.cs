using System.Text.Json.Nodes;

namespace AzMLK8s.Emulator.State;

/// <summary>
/// An asynchronous ARM operation. It runs until <see cref="CompletesAt"/> (or until a test completes it), then its
/// completion decides the outcome: null error for Succeeded, an ErrorDetail for Failed.
/// </summary>
public sealed class LongRunningOperation
{
    internal LongRunningOperation(string resourceId, DateTimeOffset startedAt, DateTimeOffset? completesAt, Func<JsonObject?> complete)
    {
        ResourceId = resourceId;
        StartedAt = startedAt;
        CompletesAt = completesAt;
        Complete = complete;
    }

    public string Id { get; } = Guid.NewGuid().ToString();

    public string ResourceId { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>Null: runs until <see cref="LongRunningOperations.CompleteAll"/>.</summary>
    public DateTimeOffset? CompletesAt { get; }

    /// <summary>InProgress, Succeeded, Failed, Canceled.</summary>
    public string Status { get; private set; } = "InProgress";

    public JsonObject? Error { get; private set; }

    public bool IsRunning => Status == "InProgress";

    internal Func<JsonObject?> Complete { get; }

    internal void Finish()
    {
        Error = Complete();
        Status = Error is null ? "Succeeded" : "Failed";
    }
}

/// <summary>All operations; they advance when a request arrives (the caller holds the state gate).</summary>
public sealed class LongRunningOperations
{
    private readonly Dictionary<string, LongRunningOperation> _operations = new(StringComparer.OrdinalIgnoreCase);

    public LongRunningOperation Start(string resourceId, TimeSpan duration, DateTimeOffset now, Func<JsonObject?> complete)
    {
        var operation = new LongRunningOperation(resourceId, now, duration == Timeout.InfiniteTimeSpan ? null : now + duration, complete);
        _operations[operation.Id] = operation;
        return operation;
    }

    public LongRunningOperation? Find(string operationId) => _operations.GetValueOrDefault(operationId);

    public void Clear() => _operations.Clear();

    /// <summary>The running operation on a resource, if any (a second write gets 409).</summary>
    public LongRunningOperation? RunningOn(string resourceId) =>
        _operations.Values.FirstOrDefault(o => o.IsRunning && string.Equals(o.ResourceId, resourceId, StringComparison.OrdinalIgnoreCase));

    /// <summary>Finishes every operation whose time has come, oldest first.</summary>
    public void Advance(DateTimeOffset now)
    {
        foreach (var operation in _operations.Values.Where(o => o.IsRunning && o.CompletesAt <= now).OrderBy(o => o.StartedAt).ToArray())
        {
            operation.Finish();
        }
    }

    /// <summary>Finishes every running operation now (for tests with <see cref="Timeout.InfiniteTimeSpan"/> durations).</summary>
    public void CompleteAll()
    {
        foreach (var operation in _operations.Values.Where(o => o.IsRunning).OrderBy(o => o.StartedAt).ToArray())
        {
            operation.Finish();
        }
    }
}
