namespace AzMLK8s.Model;

/// <summary>
/// A host-independent error record. <see cref="ErrorId"/> is stable across versions (no spaces, no values that
/// change between runs); PowerShell shows it as the FullyQualifiedErrorId "ErrorId,CmdletType".
/// <see cref="Message"/> says what went wrong and <see cref="RecommendedAction"/> what to do next.
/// </summary>
public sealed record ModuleError(string ErrorId, ErrorKind Category, string Message)
{
    public string? RecommendedAction { get; init; }

    /// <summary>What the error is about (a resource id, a setting key); never a secret.</summary>
    public object? TargetObject { get; init; }

    /// <summary>The underlying cause, kept for -ErrorAction Stop / $_.Exception.InnerException.</summary>
    public Exception? InnerException { get; init; }

    public override string ToString() => $"{ErrorId}: {Message}";
}
