using AzMLK8s.Cmdlets;
using AzMLK8s.Cmdlets.Extensions;
using AzMLK8s.Emulator.State;
using AzMLK8s.Engine.Azure.Context;
using AzMLK8s.Harness;
using AzMLK8s.Tests.Azure;
using AzMLK8s.Tests.Infrastructure;

// Kept under its old name and namespace so ConcurrentPipelineTests and ArmThrottlingTests compile unchanged: the
// extension cmdlet tests that defined it moved to real PowerShell (tests/pester/Extension*.Tests.ps1 and
// tests/AzMLK8s.PowerShellHost.Tests/Extensions). Only what those two files use is left. Delete this file with them
// when they move too (issue #11, feature/migrate-misc).
namespace AzMLK8s.Tests.ExtensionCmdlets;

/// <summary>One emulator per test; runs the real extension cmdlets against it through the recording host.</summary>
public abstract class ExtensionCmdletTestBase : EmulatorPerTest
{
    protected EmulatorState State => Server.State;

    /// <summary>Runs a cmdlet with the session context pointing at the emulator and fast polls.</summary>
    protected RecordingHost Run(AzMLK8sCmdlet cmdlet, Action<RecordingHost>? configure = null, params object[] pipeline)
    {
        var host = new RecordingHost();
        AzureContextStore.Set(host, ArmTestConnections.Settings(Server));
        configure?.Invoke(host);
        if (cmdlet is ExtensionCmdletBase extensionCmdlet)
        {
            extensionCmdlet.PollingInterval = TimeSpan.FromMilliseconds(25);
        }

        var result = CmdletRunner.Run(cmdlet, host, pipeline);
        if (result.TerminatingError is not null && !host.Calls.Any(c => c.Kind == "TerminatingError"))
        {
            throw new InvalidOperationException(result.TerminatingError.Message);
        }

        return host;
    }

    /// <summary>The errors of a run: non-terminating ones and the terminating one.</summary>
    protected static IReadOnlyList<Model.ModuleError> AllErrors(RecordingHost host) =>
        host.Errors.Concat(host.Calls.Where(c => c.Kind == "TerminatingError").Select(c => (Model.ModuleError)c.Payload!)).ToArray();
}
