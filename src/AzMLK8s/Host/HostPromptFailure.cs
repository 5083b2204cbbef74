using System.Management.Automation;
using System.Management.Automation.Host;
using AzMLK8s.Model;

namespace AzMLK8s.Host;

/// <summary>
/// A question PowerShell could not put to anyone: a -NonInteractive session (Azure Automation, CI), a host without a
/// user interface, or a console whose standard input has ended. The change that needed the answer is refused with
/// <c>ConfirmationRequired</c>, naming the switch that proceeds without asking; nothing has been changed.
/// </summary>
internal static class HostPromptFailure
{
    public const string ErrorId = "ConfirmationRequired";

    /// <summary>
    /// The exceptions a host raises when it cannot prompt: PSInvalidOperationException (NonInteractive mode),
    /// HostException and PSNotImplementedException (no user interface), and NullReferenceException from the console
    /// host's choice prompt once standard input is at its end.
    /// </summary>
    public static bool IsCannotPrompt(Exception exception) =>
        exception is PSInvalidOperationException or HostException or PSNotImplementedException or NullReferenceException;

    /// <summary>ShouldProcess asked (ConfirmImpact at or above $ConfirmPreference, or -Confirm).</summary>
    public static ModuleErrorException ConfirmRefused(string command, string target, Exception cause) => new(new ModuleError(
        ErrorId,
        ErrorKind.InvalidOperation,
        $"{command} asks for confirmation before it changes '{target}', and this PowerShell host cannot ask (it is non-interactive or has no input). Nothing was changed.")
    {
        RecommendedAction = "To go ahead without being asked, add -Confirm:$false (or set $ConfirmPreference = 'None' in the script). To be asked, run the command in an interactive PowerShell.",
        TargetObject = target,
        InnerException = cause,
    });

    /// <summary>ShouldContinue asked (a disruptive change, a compute re-pointed); -Force answers it.</summary>
    public static ModuleErrorException ContinueRefused(string command, string caption, Exception cause) => new(new ModuleError(
        ErrorId,
        ErrorKind.InvalidOperation,
        $"{command} needs an answer before it goes on ({caption}), and this PowerShell host cannot ask (it is non-interactive or has no input). Nothing was changed.")
    {
        RecommendedAction = "To make the change without being asked, add -Force. To be asked, run the command in an interactive PowerShell.",
        TargetObject = caption,
        InnerException = cause,
    });
}
