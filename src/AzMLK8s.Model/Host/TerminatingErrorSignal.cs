using AzMLK8s.Model;

namespace AzMLK8s.Model.Host;

/// <summary>
/// Thrown by hosts other than PowerShell's (tests, the walk-through) to end a cmdlet the way
/// ThrowTerminatingError does.
/// </summary>
public sealed class TerminatingErrorSignal : Exception
{
    public TerminatingErrorSignal(ModuleError error)
        : base(error.Message, error.InnerException)
    {
        Error = error;
    }

    public ModuleError Error { get; }
}
