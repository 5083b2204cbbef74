namespace AzMLK8s.Model.Host;

/// <summary>Passes every text bound for a stream through a <see cref="SecretRedactor"/>.</summary>
public sealed class RedactingHost : ICmdletHost
{
    private readonly ICmdletHost _inner;
    private readonly SecretRedactor _redactor;

    public RedactingHost(ICmdletHost inner, SecretRedactor redactor)
    {
        _inner = inner;
        _redactor = redactor;
    }

    public CancellationToken Stopping => _inner.Stopping;

    public IDictionary<string, object?> Session => _inner.Session;

    public string CurrentDirectory => _inner.CurrentDirectory;

    public void WriteObject(object item) => _inner.WriteObject(item);

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> InvokeCommand(string commandName, IReadOnlyDictionary<string, object?> parameters) =>
        _inner.InvokeCommand(commandName, parameters);

    public void WriteError(ModuleError error) => _inner.WriteError(Redact(error));

    public void ThrowTerminatingError(ModuleError error) => _inner.ThrowTerminatingError(Redact(error));

    public void WriteWarning(string message) => _inner.WriteWarning(_redactor.Redact(message));

    public void WriteVerbose(string message) => _inner.WriteVerbose(_redactor.Redact(message));

    public void WriteDebug(string message) => _inner.WriteDebug(_redactor.Redact(message));

    public void WriteProgress(ProgressUpdate progress) => _inner.WriteProgress(progress with
    {
        Activity = _redactor.Redact(progress.Activity),
        Status = _redactor.Redact(progress.Status),
        CurrentOperation = progress.CurrentOperation is null ? null : _redactor.Redact(progress.CurrentOperation),
    });

    public bool ShouldProcess(string target, string action) =>
        _inner.ShouldProcess(_redactor.Redact(target), _redactor.Redact(action));

    public bool ShouldContinue(string query, string caption) =>
        _inner.ShouldContinue(_redactor.Redact(query), _redactor.Redact(caption));

    private ModuleError Redact(ModuleError error) => error with
    {
        Message = _redactor.Redact(error.Message),
        RecommendedAction = error.RecommendedAction is null ? null : _redactor.Redact(error.RecommendedAction),
        // The inner exception's text cannot be rewritten; keep only its type when it would leak a secret.
        InnerException = error.InnerException is { } inner && _redactor.Redact(inner.ToString()) != inner.ToString()
            ? new RedactedException(inner.GetType().FullName ?? "Exception")
            : error.InnerException,
    };
}

/// <summary>Stands in for an exception whose text carried a secret.</summary>
public sealed class RedactedException : Exception
{
    public RedactedException(string originalType)
        : base($"An error of type {originalType} occurred; its details were withheld because they contained a secret.")
    {
    }
}
