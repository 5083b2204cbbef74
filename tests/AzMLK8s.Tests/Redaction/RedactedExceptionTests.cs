using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Tests.Redaction;

/// <summary>An error's inner exception after the redactor: secret text masked, type and stack still there.</summary>
public sealed class RedactedExceptionTests
{
    private const string Secret = "canary-secret-4f1e9a";

    [Fact]
    public void An_exception_without_a_secret_is_kept_as_it_is()
    {
        var redactor = new SecretRedactor();
        redactor.Add(Secret);
        var original = Thrown(new HttpRequestException("Connection refused (127.0.0.1:1)"));

        Assert.Same(original, RedactedException.Of(original, redactor));
    }

    [Fact]
    public void An_exception_with_a_secret_keeps_its_type_name_and_stack_with_the_secret_masked()
    {
        var redactor = new SecretRedactor();
        redactor.Add(Secret);
        var original = Thrown(new InvalidOperationException($"bad value {Secret} in settings", Thrown(new FormatException($"near {Secret}"))));

        var redacted = Assert.IsType<RedactedException>(RedactedException.Of(original, redactor));

        Assert.Equal(typeof(InvalidOperationException).FullName, redacted.OriginalTypeName);
        Assert.Equal($"bad value {SecretRedactor.Mask} in settings", redacted.Message);
        Assert.Equal(original.StackTrace, redacted.StackTrace);
        var inner = Assert.IsType<RedactedException>(redacted.InnerException);
        Assert.Equal(typeof(FormatException).FullName, inner.OriginalTypeName);
        Assert.DoesNotContain(Secret, redacted.ToString(), StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", redacted.ToString(), StringComparison.Ordinal);
        Assert.Contains(nameof(Thrown), redacted.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_redacting_host_masks_an_errors_message_and_keeps_a_clean_inner_exception()
    {
        var redactor = new SecretRedactor();
        redactor.Add(Secret);
        var recorded = new List<ModuleError>();
        var host = new RedactingHost(new ErrorSink(recorded), redactor);
        var cause = Thrown(new TimeoutException("no answer"));

        host.WriteError(new ModuleError("Probe", ErrorKind.InvalidData, $"the key {Secret} is wrong") { InnerException = cause });

        var error = Assert.Single(recorded);
        Assert.Equal($"the key {SecretRedactor.Mask} is wrong", error.Message);
        Assert.Same(cause, error.InnerException);
    }

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    private sealed class ErrorSink(List<ModuleError> errors) : ICmdletHost
    {
        public void WriteError(ModuleError error) => errors.Add(error);

        public void WriteObject(object item) => throw new NotSupportedException();

        public void ThrowTerminatingError(ModuleError error) => throw new NotSupportedException();

        public void WriteWarning(string message) => throw new NotSupportedException();

        public void WriteVerbose(string message) => throw new NotSupportedException();

        public void WriteDebug(string message) => throw new NotSupportedException();

        public void WriteProgress(ProgressUpdate progress) => throw new NotSupportedException();

        public bool ShouldProcess(string target, string action) => throw new NotSupportedException();

        public bool ShouldContinue(string query, string caption) => throw new NotSupportedException();

        public CancellationToken Stopping => CancellationToken.None;

        public IReadOnlyList<IReadOnlyDictionary<string, object?>> InvokeCommand(string commandName, IReadOnlyDictionary<string, object?> parameters) => throw new NotSupportedException();

        public string CurrentDirectory => throw new NotSupportedException();

        public IDictionary<string, object?> Session => throw new NotSupportedException();
    }
}
