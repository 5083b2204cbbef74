namespace AzMLK8s.Model.Host;

/// <summary>
/// Marks the point in the flow of one pipeline input where its questions (ShouldProcess, ShouldContinue) are all
/// answered and the long work (writes, waits) starts. A cmdlet that runs its inputs concurrently keeps the next
/// input waiting until this point, so questions are asked one input at a time and before that input changes
/// anything. Outside such a cmdlet it does nothing.
/// </summary>
public static class PipelineInputWork
{
    private static readonly AsyncLocal<Action?> CurrentStarting = new();

    /// <summary>Called by a flow after its last question, right before its first change.</summary>
    public static void Starting()
    {
        var starting = CurrentStarting.Value;
        CurrentStarting.Value = null;
        starting?.Invoke();
    }

    /// <summary>Sets what <see cref="Starting"/> does in the calling flow (its async context) and what it awaits.</summary>
    public static void OnStarting(Action starting) => CurrentStarting.Value = starting;
}
