namespace AzMLK8s.Model.Host;

/// <summary>A progress report, the host-independent twin of PowerShell's ProgressRecord.</summary>
public sealed record ProgressUpdate(int ActivityId, string Activity, string Status)
{
    public int ParentActivityId { get; init; } = -1;

    /// <summary>0 to 100, or -1 when unknown.</summary>
    public int PercentComplete { get; init; } = -1;

    public string? CurrentOperation { get; init; }

    public bool Completed { get; init; }
}
