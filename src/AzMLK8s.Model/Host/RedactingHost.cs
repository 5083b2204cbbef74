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

    public string ResolvePath(string path) => _inner.ResolvePath(path);

    public void WriteObject(object item) => _inner.WriteObject(item);

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> InvokeCommand(string commandName, IReadOnlyDictionary<string, object?> parameters) =>
        _inner.InvokeCommand(commandName, parameters);

    public void WriteError(ModuleError error) => _inner.WriteError(Redact(error));

    public void ThrowTerminatingError(ModuleError error) => _inner.ThrowTerminatingError(Redact(error));

    public void WriteWarning(string message) => _inner.WriteWarning(_redactor.Redact(message));

    public void WriteVerbose(string message) => _inner.WriteVerbose(_redactor.Redact(message));

    public void WriteDebug(string message) => _inner.WriteDebug(_redactor.Redact(message));

    public bool WritesDebug => _inner.WritesDebug;

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
        InnerException = RedactedException.Of(error.InnerException, _redactor),
    };
}

/// <summary>
/// Stands in for an exception whose text carried a secret: the same type name, message, stack trace and inner
/// exceptions, with the secret text masked. An exception without a secret is kept as it is.
/// </summary>
public sealed class RedactedException : Exception
{
    private readonly string? _stackTrace;

    private RedactedException(Exception original, SecretRedactor redactor)
        : base(redactor.Redact(original.Message), Of(original.InnerException, redactor))
    {
        OriginalTypeName = original.GetType().FullName ?? original.GetType().Name;
        _stackTrace = original.StackTrace is { } trace ? redactor.Redact(trace) : null;
        HResult = original.HResult;
    }

    /// <summary>The type of the exception this one stands in for (e.g. System.Net.Http.HttpRequestException).</summary>
    public string OriginalTypeName { get; }

    public override string? StackTrace => _stackTrace;

    /// <summary><paramref name="exception"/> itself when no secret is in its text, else a stand-in with the secrets masked.</summary>
    public static Exception? Of(Exception? exception, SecretRedactor redactor)
    {
        if (exception is null)
        {
            return null;
        }

        var text = exception.ToString();
        return redactor.Redact(text) == text ? exception : new RedactedException(exception, redactor);
    }

    public override string ToString()
    {
        var text = $"{OriginalTypeName} (secrets masked): {Message}";
        if (InnerException is not null)
        {
            text += $" ---> {InnerException}{Environment.NewLine}   --- End of inner exception stack trace ---";
        }

        return _stackTrace is null ? text : text + Environment.NewLine + _stackTrace;
    }
}
