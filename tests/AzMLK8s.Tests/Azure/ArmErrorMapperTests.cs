using AzMLK8s.Engine.Azure;
using AzMLK8s.Model;

namespace AzMLK8s.Tests.Azure;

public sealed class ArmErrorMapperTests
{
    [Theory]
    [InlineData(400, "InvalidRequestContent", ErrorKind.InvalidArgument)]
    [InlineData(401, "InvalidAuthenticationToken", ErrorKind.AuthenticationError)]
    [InlineData(403, "AuthorizationFailed", ErrorKind.PermissionDenied)]
    [InlineData(404, "ResourceNotFound", ErrorKind.ObjectNotFound)]
    [InlineData(409, "RoleAssignmentExists", ErrorKind.ResourceExists)]
    [InlineData(409, "AnotherOperationInProgress", ErrorKind.ResourceBusy)]
    [InlineData(409, "Conflict", ErrorKind.ResourceBusy)]
    [InlineData(409, "SomethingElse", ErrorKind.ResourceExists)]
    [InlineData(429, "TooManyRequests", ErrorKind.LimitsExceeded)]
    [InlineData(500, "InternalServerError", ErrorKind.ResourceUnavailable)]
    [InlineData(503, "ServiceUnavailable", ErrorKind.ResourceUnavailable)]
    [InlineData(400, "PrincipalNotFound", ErrorKind.ObjectNotFound)]
    public void The_category_follows_the_code_where_it_says_more_and_else_the_status(int status, string code, ErrorKind expected)
    {
        var error = ArmErrorMapper.FromResponse(status, new() { Code = code, Message = "m" }, "Do it", "/subscriptions/x");

        Assert.Equal(expected, error.Category);
        Assert.Equal("Arm." + code, error.ErrorId);
        Assert.False(string.IsNullOrWhiteSpace(error.RecommendedAction));
        Assert.Equal("/subscriptions/x", error.TargetObject);
    }

    [Fact]
    public void The_message_carries_code_message_target_and_every_detail()
    {
        var envelope = ArmErrorMapper.ReadEnvelope("""
            {"error":{"code":"InvalidTemplate","message":"Top message","target":"properties.x",
              "details":[{"code":"Inner1","message":"First detail","target":"a"},{"code":"Inner2","message":"Second detail"}]}}
            """);

        var error = ArmErrorMapper.FromResponse(400, envelope, "Create extension 'azureml'", null);

        Assert.StartsWith("Create extension 'azureml' failed (HTTP 400): InvalidTemplate: Top message (target: properties.x)", error.Message);
        Assert.Contains("Inner1: First detail (target: a)", error.Message);
        Assert.Contains("Inner2: Second detail", error.Message);
    }

    [Fact]
    public void Error_ids_stay_stable_identifiers_whatever_the_service_sends()
    {
        Assert.Equal("Arm.BadCode", ArmErrorMapper.ErrorIdFor("Bad Code!", 400));
        Assert.Equal("Arm.Http502", ArmErrorMapper.ErrorIdFor(null, 502));
        Assert.Equal("Arm.Http502", ArmErrorMapper.FromResponse(502, ArmErrorMapper.ReadEnvelope("<html>bad gateway</html>"), "Get", null).ErrorId);
    }

    [Fact]
    public void Envelopes_are_read_wrapped_or_bare_and_junk_is_no_envelope()
    {
        Assert.Equal("Wrapped", ArmErrorMapper.ReadEnvelope("""{"error":{"code":"Wrapped","message":"m"}}""")?.Code);
        Assert.Equal("Bare", ArmErrorMapper.ReadEnvelope("""{"code":"Bare","message":"m"}""")?.Code);
        Assert.Null(ArmErrorMapper.ReadEnvelope("not json"));
        Assert.Null(ArmErrorMapper.ReadEnvelope("""{"value":[]}"""));
        Assert.Null(ArmErrorMapper.ReadEnvelope(""));
    }

    [Fact]
    public void A_failed_operation_keeps_its_code_and_one_without_an_error_is_named_by_its_status()
    {
        var failed = ArmErrorMapper.FromFailedOperation("Failed", new() { Code = "ExtensionOperationFailed", Message = "chart failed" }, "Create extension 'x'", "id");
        var canceled = ArmErrorMapper.FromFailedOperation("Canceled", null, "Create extension 'x'", "id");

        Assert.Equal("Arm.ExtensionOperationFailed", failed.ErrorId);
        Assert.Equal(ErrorKind.InvalidResult, failed.Category);
        Assert.Contains("ended Failed: ExtensionOperationFailed: chart failed", failed.Message);
        Assert.Equal("Arm.OperationCanceled", canceled.ErrorId);
    }
}
