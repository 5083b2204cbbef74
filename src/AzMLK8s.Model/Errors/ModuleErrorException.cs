namespace AzMLK8s.Model;

/// <summary>
/// How the engine reports an expected failure. The cmdlet base turns it into an ErrorRecord with
/// <see cref="ModuleError.ErrorId"/> and <see cref="ModuleError.Category"/>.
/// </summary>
public sealed class ModuleErrorException : Exception
{
    public ModuleErrorException(ModuleError error)
        : base(error.Message, error.InnerException)
    {
        Error = error;
    }

    public ModuleError Error { get; }
}
