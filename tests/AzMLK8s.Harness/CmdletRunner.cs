using System.Reflection;
using AzMLK8s.Cmdlets;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Harness;

/// <summary>
/// Runs a real cmdlet object the way PowerShell's command processor does: BeginProcessing, ProcessRecord once per
/// pipeline input (binding it first), EndProcessing. A terminating error ends the run as it would in PowerShell.
/// </summary>
public static class CmdletRunner
{
    private static readonly MethodInfo Begin = Protected("BeginProcessing");
    private static readonly MethodInfo Process = Protected("ProcessRecord");
    private static readonly MethodInfo End = Protected("EndProcessing");
    private static readonly MethodInfo Stop = Protected("StopProcessing");

    public static RunResult Run(AzMLK8sCmdlet cmdlet, ICmdletHost host, params object[] pipelineInput)
    {
        cmdlet.UseHost(host);
        try
        {
            Invoke(Begin, cmdlet);
            if (pipelineInput.Length == 0)
            {
                Invoke(Process, cmdlet);
            }
            else
            {
                foreach (var input in pipelineInput)
                {
                    PipelineBinder.Bind(cmdlet, input);
                    Invoke(Process, cmdlet);
                }
            }

            Invoke(End, cmdlet);
            return new RunResult(null);
        }
        catch (TerminatingErrorSignal signal)
        {
            return new RunResult(signal.Error);
        }
    }

    /// <summary>What PowerShell does on Ctrl+C: StopProcessing on another thread while the cmdlet runs.</summary>
    public static void RequestStop(AzMLK8sCmdlet cmdlet) => Invoke(Stop, cmdlet);

    private static void Invoke(MethodInfo method, object target)
    {
        try
        {
            method.Invoke(target, null);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
        }
    }

    private static MethodInfo Protected(string name) =>
        typeof(AzMLK8sCmdlet).GetMethod(name, BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new MissingMethodException(nameof(AzMLK8sCmdlet), name);
}

public sealed record RunResult(AzMLK8s.Model.ModuleError? TerminatingError);

/// <summary>Sets parameters the way a command line would, including switches (see AzMLK8sCmdlet.IsPresent).</summary>
public static class CmdletParameters
{
    /// <summary>Gives the switch <paramref name="parameterName"/>, like <c>-Force</c> on a command line.</summary>
    public static T WithSwitch<T>(this T cmdlet, string parameterName, bool present = true)
        where T : AzMLK8sCmdlet
    {
        var property = cmdlet.GetType().GetProperty(parameterName)
            ?? throw new ArgumentException($"{cmdlet.GetType().Name} has no parameter {parameterName}.", nameof(parameterName));
        if (property.PropertyType != typeof(System.Management.Automation.SwitchParameter))
        {
            throw new ArgumentException($"{parameterName} is not a switch parameter.", nameof(parameterName));
        }

        cmdlet.SetSwitchOutsidePowerShell(parameterName, present);
        return cmdlet;
    }
}
