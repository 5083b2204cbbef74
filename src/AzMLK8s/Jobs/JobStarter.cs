using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace AzMLK8s.Jobs;

/// <summary>
/// -AsJob: instead of running, the cmdlet asks its ShouldProcess question here (the job cannot ask), then starts a
/// <see cref="CommandJob"/> that runs the same command with the same parameters, and writes the job. One job per
/// pipeline input, as the Az modules do.
/// </summary>
internal static class JobStarter
{
    // Parameters that name the caller's variables or answer questions the job cannot ask are not passed on.
    private static readonly HashSet<string> NotPassedOn = new(StringComparer.OrdinalIgnoreCase)
    {
        "AsJob", "Confirm", "WhatIf", "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    public static void Start(PSCmdlet cmdlet, string target)
    {
        var command = cmdlet.MyInvocation.MyCommand;
        var parameters = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in cmdlet.MyInvocation.BoundParameters)
        {
            if (!NotPassedOn.Contains(name))
            {
                parameters[name] = value;
            }
        }

        // Parameter names only: a value typed on the command line may be a secret.
        var commandLine = $"{command.Name} {string.Join(" ", parameters.Keys.Cast<string>().Order(StringComparer.OrdinalIgnoreCase).Select(n => "-" + n))}".TrimEnd();
        if (!cmdlet.ShouldProcess(target, $"Start a job that runs {commandLine}"))
        {
            return;
        }

        parameters["Confirm"] = false;
        var modulePath = Path.Combine(command.Module?.ModuleBase ?? Path.GetDirectoryName(typeof(JobStarter).Assembly.Location)!, "AzMLK8s.psd1");
        var job = CommandJob.Start(commandLine, command.Name, parameters, modulePath, Runspace.DefaultRunspace);
        cmdlet.JobRepository.Add(job);
        cmdlet.WriteObject(job);
    }
}
