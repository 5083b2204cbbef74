using System.Management.Automation;
using AzMLK8s.Engine.Azure.Context;
using AzMLK8s.Model.Context;

namespace AzMLK8s.Cmdlets;

/// <summary>Shows the Azure context AzMLK8s cmdlets use in this session (never a secret).</summary>
[Cmdlet(VerbsCommon.Get, "AzMLK8sContext", HelpUri = AzMLK8sCmdlet.HelpUriBase + "Get-AzMLK8sContext.md")]
[OutputType(typeof(AzMLK8sContextInfo))]
public sealed class GetAzMLK8sContextCommand : AzMLK8sCmdlet
{
    protected override Task ProcessAsync(CancellationToken cancellationToken)
    {
        Seam.WriteObject(AzureContextCommands.Get(Seam));
        return Task.CompletedTask;
    }
}
