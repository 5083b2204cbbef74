using System.Management.Automation;
using System.Text.RegularExpressions;
using AzMLK8s.PowerShellHost.Tests.Fleet;
using AzMLK8s.PowerShellHost.Tests.Infrastructure;

namespace AzMLK8s.PowerShellHost.Tests.Host;

/// <summary>
/// The host seam under the real cmdlets: the engine works on worker threads, while PowerShell takes output, errors,
/// progress, verbose text and questions only on the pipeline thread (it throws otherwise), so every one of them must
/// be carried there, in order; and every text is masked of the call's secrets on the way.
/// </summary>
public sealed class HostSeamTests : FleetSessionPerTest
{
    private static string OcpId => ClusterId("Microsoft.Kubernetes/connectedClusters", "arc-ocp");

    [Fact]
    public async Task A_fleets_results_verbose_text_and_progress_made_on_worker_threads_all_reach_PowerShell_each_inputs_in_the_order_made()
    {
        var clusters = new[] { AksId, ArcId, OcpId };
        var alone = clusters.Select(c => Session.Run("Test-AzMLK8sPrerequisite -ClusterResourceId $id", ("id", c)).ThrowIfFailed().Output.Select(Name).ToArray()).ToArray();
        const string fleet = "$ids | ForEach-Object { [pscustomobject]@{ ClusterResourceId = $_ } } | Test-AzMLK8sPrerequisite -Verbose";

        using var asCompleted = Session.Start(fleet, ("ids", clusters));
        var completed = await asCompleted.Completion.WaitAsync(FleetWaiting.HangGuard);
        using var inOrder = Session.Start(fleet + " -PreserveOrder", ("ids", clusters));
        var ordered = await inOrder.Completion.WaitAsync(FleetWaiting.HangGuard);

        foreach (var result in new[] { completed, ordered })
        {
            Assert.Null(result.Terminated);
            Assert.Empty(result.Errors);
            Assert.Equal(alone.SelectMany(names => names).Order(), result.Output.Select(Name).Order());
            Assert.Equal(3, result.Verbose.Count(v => Regex.IsMatch(v.Message, @"^\d+ passed, \d+ warnings, \d+ failed, \d+ skipped\.$")));
            Assert.Contains(result.Progress, p => p.Activity == "Test-AzMLK8sPrerequisite on 3 inputs" && p.RecordType == ProgressRecordType.Completed);
        }

        Assert.Equal(alone.SelectMany(names => names), ordered.Output.Select(Name));
    }

    [Fact]
    public void Questions_a_flow_asks_after_its_awaits_are_asked_on_the_pipeline_thread_and_each_answer_applies_to_its_own_question()
    {
        var threads = new List<int>();
        var answers = new Queue<string>(new[] { "Yes" }.Concat(Enumerable.Repeat("No", 10)));
        Session.Host.OnPrompt = (_, _) =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            Session.Host.Answers.Enqueue(answers.Dequeue());
        };

        Session.Run("New-AzMLK8sExtension -ClusterResourceId $ocp -EnableTraining -WarningAction SilentlyContinue | Out-Null", ("ocp", OcpId)).ThrowIfFailed();
        State.Requests.Clear();

        var result = Session.Run("[Environment]::CurrentManagedThreadId; Grant-AzMLK8sOpenShiftAccess -ClusterResourceId $ocp -Confirm", ("ocp", OcpId));

        Assert.Empty(result.Errors);
        var pipelineThread = (int)result.BaseObjects[0];
        Assert.Equal(11, threads.Count);
        Assert.All(threads, thread => Assert.Equal(pipelineThread, thread));
        var grant = result.Output[1];
        Assert.Equal("Skipped", grant.Properties["Status"].Value.ToString());
        Assert.StartsWith("1 service account(s) added to the privileged SCC: system:serviceaccount:", (string)grant.Properties["Detail"].Value, StringComparison.Ordinal);
        Assert.EndsWith("10 not added (-WhatIf, or answered No).", (string)grant.Properties["Detail"].Value, StringComparison.Ordinal);
        Assert.Single(State.Requests.Entries, e => e.Method != "GET" && e.Path.Contains("securitycontextconstraints", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Secrets_of_the_call_are_masked_in_every_inputs_error_and_no_stream_shows_them()
    {
        const string canary = "Endpoint=sb://canary-relay-5b1e.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=CANARYKEY-91d2e4";
        var clusters = AddFleet(3);

        // The same value as a protected setting (a secret of the call) and, by mistake, as a public setting whose
        // error quotes the value it refuses.
        Session.Runspace.SessionStateProxy.SetVariable("secret", canary);
        Session.Runspace.SessionStateProxy.SetVariable("DebugPreference", ActionPreference.Continue);
        using var running = StartFleet(
            "New-AzMLK8sExtension -EnableTraining -ConfigurationProtectedSetting @{ 'relayserver.relayConnectionString' = $secret } " +
            "-ConfigurationSetting @{ clusterPurpose = $secret } -Verbose -ErrorAction Continue",
            clusters);
        var result = await Finish(running);

        Assert.Equal(3, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal("Setting 'clusterPurpose' must be one of DevTest, FastProd, but is '***'. Did you mean 'DevTest'?", e.ErrorDetails?.Message ?? e.Exception.Message));
        Assert.DoesNotContain("CANARYKEY-91d2e4", result.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("CANARYKEY-91d2e4", Session.Host.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(State.Requests.Entries, e => e.Method == "PUT");
    }

    private static string Name(PSObject check) => (string)check.Properties["Name"].Value;

}
