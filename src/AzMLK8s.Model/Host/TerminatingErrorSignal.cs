using AzMLK8s.Model;

namespace AzMLK8s.Model.Host;

/// <summary>
/// Thrown by implementations of the host seam other than PowerShell's (the engine's test doubles) where PowerShell's
/// ThrowTerminatingError would end the command.
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
