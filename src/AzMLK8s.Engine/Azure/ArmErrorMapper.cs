using System.Net;
using System.Text;
using System.Text.Json;
using AzMLK8s.Engine.Azure.Wire;
using AzMLK8s.Model;

namespace AzMLK8s.Engine.Azure;

/// <summary>
/// Turns an ARM failure into a <see cref="ModuleError"/>. ErrorId scheme: "Arm.{code}" with the ARM error code as
/// the service sent it (only letters, digits, '.' and '_' kept), e.g. "Arm.ResourceNotFound",
/// "Arm.RoleAssignmentExists"; "Arm.Http{status}" when the response carried no code. A failed long-running
/// operation uses the code of the operation's error the same way. The category follows the code where the code
/// says more than the status (AnotherOperationInProgress is busy, not a duplicate), else the HTTP status.
/// </summary>
public static class ArmErrorMapper
{
    public const string ErrorIdPrefix = "Arm.";

    private static readonly Dictionary<string, ErrorKind> KindByCode = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ResourceNotFound"] = ErrorKind.ObjectNotFound,
        ["ResourceGroupNotFound"] = ErrorKind.ObjectNotFound,
        ["SubscriptionNotFound"] = ErrorKind.ObjectNotFound,
        ["ParentResourceNotFound"] = ErrorKind.ObjectNotFound,
        ["PrincipalNotFound"] = ErrorKind.ObjectNotFound,
        ["AuthorizationFailed"] = ErrorKind.PermissionDenied,
        ["LinkedAuthorizationFailed"] = ErrorKind.PermissionDenied,
        ["RoleAssignmentExists"] = ErrorKind.ResourceExists,
        ["Conflict"] = ErrorKind.ResourceBusy,
        ["AnotherOperationInProgress"] = ErrorKind.ResourceBusy,
        ["OperationNotAllowed"] = ErrorKind.InvalidOperation,
        ["InvalidApiVersionParameter"] = ErrorKind.InvalidArgument,
        ["MissingApiVersionParameter"] = ErrorKind.InvalidArgument,
        ["SubscriptionRequestsThrottled"] = ErrorKind.LimitsExceeded,
        ["TooManyRequests"] = ErrorKind.LimitsExceeded,
        ["AuthenticationFailed"] = ErrorKind.AuthenticationError,
        ["InvalidAuthenticationToken"] = ErrorKind.AuthenticationError,
        ["ExpiredAuthenticationToken"] = ErrorKind.AuthenticationError,
    };

    /// <summary>Reads the error envelope from a failed response; tolerates bodies that are not ARM JSON.</summary>
    public static ArmErrorDetail? ReadEnvelope(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(content);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            // Most providers wrap the detail in "error"; a few (older RPs) send the detail at the top level.
            var detailElement = document.RootElement.TryGetProperty("error", out var wrapped) ? wrapped : document.RootElement;
            var detail = detailElement.Deserialize<ArmErrorDetail>();
            return detail?.Code is null && detail?.Message is null ? null : detail;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A failed HTTP response, the last of <paramref name="attempts"/> (the retries said so in the message).</summary>
    public static ModuleError FromResponse(int status, ArmErrorDetail? detail, string operation, string? target, int attempts = 1)
    {
        var code = detail?.Code;
        var kind = KindFor(code, status);
        var message = new StringBuilder()
            .Append(operation).Append(" failed (HTTP ").Append(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (attempts > 1)
        {
            message.Append(", after ").Append(attempts.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" attempts");
        }

        message.Append(')');
        AppendDetail(message, detail, status);
        return new ModuleError(ErrorIdFor(code, status), kind, message.ToString())
        {
            RecommendedAction = RecommendedActionFor(code, kind, target),
            TargetObject = target,
        };
    }

    /// <summary>A long-running operation that ended Failed or Canceled.</summary>
    public static ModuleError FromFailedOperation(string finalStatus, ArmErrorDetail? detail, string operation, string? target)
    {
        var code = detail?.Code;
        var kind = code is not null && KindByCode.TryGetValue(code, out var known) ? known : ErrorKind.InvalidResult;
        var message = new StringBuilder().Append(operation).Append(" ended ").Append(finalStatus);
        AppendDetail(message, detail, status: null);
        return new ModuleError(code is null ? ErrorIdPrefix + "Operation" + Sanitize(finalStatus) : ErrorIdPrefix + Sanitize(code), kind, message.ToString())
        {
            RecommendedAction = code is not null && KindByCode.ContainsKey(code)
                ? RecommendedActionFor(code, kind, target)
                : "Read the error details above, correct the cause, and run the command again. The resource's status and statuses show what the service saw.",
            TargetObject = target,
        };
    }

    public static string ErrorIdFor(string? code, int status) =>
        ErrorIdPrefix + (string.IsNullOrWhiteSpace(code) ? "Http" + status.ToString(System.Globalization.CultureInfo.InvariantCulture) : Sanitize(code));

    public static ErrorKind KindFor(string? code, int status)
    {
        if (code is not null && KindByCode.TryGetValue(code, out var kind))
        {
            return kind;
        }

        return status switch
        {
            (int)HttpStatusCode.BadRequest => ErrorKind.InvalidArgument,
            (int)HttpStatusCode.Unauthorized => ErrorKind.AuthenticationError,
            (int)HttpStatusCode.Forbidden => ErrorKind.PermissionDenied,
            (int)HttpStatusCode.NotFound => ErrorKind.ObjectNotFound,
            (int)HttpStatusCode.Conflict => ErrorKind.ResourceExists,
            (int)HttpStatusCode.PreconditionFailed => ErrorKind.ResourceBusy,
            (int)HttpStatusCode.TooManyRequests => ErrorKind.LimitsExceeded,
            >= 500 => ErrorKind.ResourceUnavailable,
            _ => ErrorKind.NotSpecified,
        };
    }

    private static string RecommendedActionFor(string? code, ErrorKind kind, string? target)
    {
        if (string.Equals(code, "PrincipalNotFound", StringComparison.OrdinalIgnoreCase))
        {
            return "The identity was created moments ago and has not reached every directory replica yet. Wait a minute and run the command again.";
        }

        if (string.Equals(code, "RoleAssignmentExists", StringComparison.OrdinalIgnoreCase))
        {
            return "The role is already granted; no change is needed.";
        }

        return kind switch
        {
            ErrorKind.ObjectNotFound => $"Check the name, resource group and subscription of '{target}'. Set-AzMLK8sContext -SubscriptionId chooses the subscription.",
            ErrorKind.PermissionDenied => "Ask an owner of the scope to grant your account a role that allows this action, or sign in with an account that has it.",
            ErrorKind.AuthenticationError => "Sign in again (Connect-AzAccount, or Set-AzMLK8sContext with another -AuthMethod) and run the command again.",
            ErrorKind.ResourceBusy => "Another operation is running on the resource. Wait for it to finish and run the command again.",
            ErrorKind.ResourceExists => "The resource already exists. Use it as it is, or remove it first.",
            ErrorKind.LimitsExceeded => "Azure throttled the requests. Wait a few minutes and run the command again.",
            ErrorKind.ResourceUnavailable => "Azure had a transient failure that retries did not overcome. Run the command again later.",
            ErrorKind.InvalidArgument => "Correct the value the message names and run the command again.",
            _ => "Read the error details above and run the command again after correcting the cause.",
        };
    }

    private static void AppendDetail(StringBuilder message, ArmErrorDetail? detail, int? status)
    {
        if (detail is null)
        {
            message.Append(status is null ? "." : ": the service returned no error details.");
            return;
        }

        message.Append(": ");
        if (detail.Code is not null)
        {
            message.Append(detail.Code).Append(": ");
        }

        message.Append(detail.Message ?? "(no message)");
        if (detail.Target is not null)
        {
            message.Append(" (target: ").Append(detail.Target).Append(')');
        }

        foreach (var inner in detail.Details ?? Enumerable.Empty<ArmErrorDetail>())
        {
            message.Append(Environment.NewLine).Append("  - ");
            if (inner.Code is not null)
            {
                message.Append(inner.Code).Append(": ");
            }

            message.Append(inner.Message ?? "(no message)");
            if (inner.Target is not null)
            {
                message.Append(" (target: ").Append(inner.Target).Append(')');
            }
        }
    }

    private static string Sanitize(string code) =>
        new(code.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_').ToArray());
}
