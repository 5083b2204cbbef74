using System.Text.Json.Nodes;
using AzMLK8s.PowerShellHost.Tests.Infrastructure;

namespace AzMLK8s.PowerShellHost.Tests.Extensions;

/// <summary>
/// The questions New-, Update- and Remove-AzMLK8sExtension ask, answered by a host as a user at the console would:
/// the disruptive update's ShouldContinue (with the running work counted), Remove's confirmation at its High impact,
/// -Confirm, "Yes to All" over pipeline inputs, and a host that cannot ask at all.
/// </summary>
public sealed class ExtensionPromptTests : ExtensionSessionTest
{
    [Fact]
    public void A_disruptive_update_asks_with_the_running_work_counted_and_No_sends_nothing_and_points_to_Force()
    {
        Install(AksId, "-EnableTraining " + Https(Pem("tls")));
        var kube = Kubernetes(AksId);
        kube.Upsert("v1", "Pod", "team-a", "job-1-worker-0", RunningPod(("FC_FRAMEWORK_NAME", "job-1")));
        kube.Upsert("v1", "Pod", "team-a", "job-2-worker-0", RunningPod(("FC_FRAMEWORK_NAME", "job-2")));
        kube.Upsert("v1", "Pod", "team-a", "blue-0", RunningPod(("isazuremlapp", "true")));
        var writes = Writes;
        Session.Host.Answers.Enqueue("No");

        var result = Session.Run("Update-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining $false", ("aks", AksId));

        var (caption, query) = Assert.Single(Session.Host.Prompts);
        Assert.Equal("Disruptive update of extension 'azureml'", caption);
        Assert.Contains("enableTraining: true -> false", query);
        Assert.Contains("2 running training job pod(s) and 1 inference deployment pod(s)", query);
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.Contains(result.Warnings, w => w.Message.Contains("-Force", StringComparison.Ordinal));
        Assert.Equal(writes, Writes);
        Assert.Equal("true", Stored(AksId)!.ConfigurationSettings["enableTraining"]);
    }

    [Fact]
    public void A_disruptive_update_answered_Yes_makes_the_change()
    {
        Install(AksId);
        Session.Host.Answers.Enqueue("Yes");

        var result = Session.Run("Update-AzMLK8sExtension -ClusterResourceId $aks -InstallVolcano $false", ("aks", AksId)).ThrowIfFailed();

        Assert.Single(Session.Host.Prompts);
        var settings = Assert.IsAssignableFrom<IReadOnlyDictionary<string, string>>(Property(Assert.Single(result.Output), "ConfigurationSettings"));
        Assert.Equal("false", settings["installVolcano"]);
        Assert.Equal("false", Stored(AksId)!.ConfigurationSettings["installVolcano"]);
    }

    [Fact]
    public void A_disruptive_update_says_when_the_running_work_could_not_be_counted_and_Force_skips_the_question()
    {
        Install(ArcId, "-EnableTraining " + Https(Pem("tls")));
        Session.Host.Answers.Enqueue("No");

        // The cluster's API does not answer (a private cluster seen from outside), so the running work cannot be counted.
        State.Faults.Add(new AzMLK8s.Emulator.State.FaultRule(AzMLK8s.Emulator.State.FaultKind.ConnectionReset) { PathPattern = "^/k8s/" });
        var asked = Session.Run(
            "Update-AzMLK8sExtension -ClusterResourceId $arc -AllowInsecureConnection $false",
            ("arc", ArcId));
        State.Faults.Clear();
        var prompts = Session.Host.Prompts.Count;
        var forced = Session.Run("Update-AzMLK8sExtension -ClusterResourceId $arc -EnableTraining $false -Force", ("arc", ArcId)).ThrowIfFailed();

        Assert.Empty(asked.Errors);
        Assert.Equal(1, prompts);
        Assert.Contains("could not be counted", Session.Host.Prompts[0].Message);
        Assert.Single(Session.Host.Prompts);
        Assert.Equal(false, Property(Assert.Single(forced.Output), "TrainingEnabled"));
        Assert.Equal("false", Stored(ArcId)!.ConfigurationSettings["enableTraining"]);
    }

    [Fact]
    public void Remove_asks_at_its_High_impact_saying_running_work_stops_and_Yes_removes_the_extension()
    {
        Install(AksId);
        Session.Host.Answers.Enqueue("Yes");

        var result = Session.Run("Remove-AzMLK8sExtension -ClusterResourceId $aks", ("aks", AksId)).ThrowIfFailed();

        var (_, message) = Assert.Single(Session.Host.Prompts);
        Assert.Contains("Remove the AzureML extension 'azureml'", message);
        Assert.Contains("running jobs and inference endpoints stop", message);
        Assert.Empty(result.Output);
        Assert.Null(Stored(AksId));
        Assert.Equal(1, Count("DELETE", "Extensions_Delete"));
    }

    [Fact]
    public void Remove_answered_No_sends_no_delete_and_leaves_the_extension()
    {
        Install(AksId);
        Session.Host.Answers.Enqueue("No");

        var result = Session.Run("Remove-AzMLK8sExtension -ClusterResourceId $aks", ("aks", AksId));

        Assert.Single(Session.Host.Prompts);
        Assert.Empty(result.Errors);
        Assert.Equal(0, Count("DELETE", "Extensions_Delete"));
        Assert.NotNull(Stored(AksId));
    }

    [Fact]
    public void Yes_to_All_at_the_first_of_two_piped_extensions_removes_both_with_one_question()
    {
        Install(AksId);
        Install(ArcId);
        Session.Host.Answers.Enqueue("Yes to All");

        var result = Session.Run("$aks, $arc | ForEach-Object { Get-AzMLK8sExtension -ClusterResourceId $_ } | Remove-AzMLK8sExtension", ("aks", AksId), ("arc", ArcId));

        Assert.Empty(result.Errors);
        Assert.Null(result.Terminated);
        Assert.Single(Session.Host.Prompts);
        Assert.Null(Stored(AksId));
        Assert.Null(Stored(ArcId));
    }

    [Fact]
    public void No_to_All_at_the_first_of_two_piped_extensions_removes_neither()
    {
        Install(AksId);
        Install(ArcId);
        Session.Host.Answers.Enqueue("No to All");

        var result = Session.Run("$aks, $arc | ForEach-Object { Get-AzMLK8sExtension -ClusterResourceId $_ } | Remove-AzMLK8sExtension", ("aks", AksId), ("arc", ArcId));

        Assert.Empty(result.Errors);
        Assert.Single(Session.Host.Prompts);
        Assert.Equal(0, Count("DELETE", "Extensions_Delete"));
        Assert.NotNull(Stored(AksId));
        Assert.NotNull(Stored(ArcId));
    }

    [Fact]
    public void New_with_Confirm_shows_the_install_and_No_writes_nothing_while_Yes_installs()
    {
        Session.Host.Answers.Enqueue("No");
        var declined = Session.Run("New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining -Confirm", ("aks", AksId));
        var writesAfterNo = Writes;
        Session.Host.Answers.Enqueue("Yes");
        var accepted = Session.Run("New-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining -Confirm", ("aks", AksId)).ThrowIfFailed();

        Assert.Empty(declined.Errors);
        Assert.Empty(declined.Output);
        Assert.Equal(0, writesAfterNo);
        Assert.Equal(2, Session.Host.Prompts.Count);
        Assert.Contains("Install the AzureML extension 'azureml' (training)", Session.Host.Prompts[0].Message);
        Assert.Contains(AksId, Session.Host.Prompts[0].Message);
        Assert.Equal("Succeeded", Property(Assert.Single(accepted.Output), "ProvisioningState"));
    }

    [Fact]
    public void ConfirmPreference_Medium_makes_Update_ask_and_No_sends_nothing()
    {
        Install(AksId);
        var writes = Writes;
        Session.Host.Answers.Enqueue("No");

        var result = Session.Run("$ConfirmPreference = 'Medium'; Update-AzMLK8sExtension -ClusterResourceId $aks -ConfigurationSetting @{ clusterPurpose = 'FastProd' } -Force", ("aks", AksId));

        Assert.Empty(result.Errors);
        var (_, message) = Assert.Single(Session.Host.Prompts);
        Assert.Contains("clusterPurpose", message);
        Assert.Equal(writes, Writes);
    }

    // Issue #12 gives a question nobody can answer an ErrorId of its own; until then only "an error, and nothing changed".
    [Fact]
    public void A_host_that_cannot_ask_gets_an_error_from_Remove_and_nothing_is_deleted()
    {
        Install(AksId);
        Session.Host.CanPrompt = false;

        var result = Session.Run("Remove-AzMLK8sExtension -ClusterResourceId $aks", ("aks", AksId));

        Assert.True(result.Errors.Count > 0 || result.Terminated is not null, "Remove raised no error.");
        Assert.Equal(0, Count("DELETE", "Extensions_Delete"));
        Assert.NotNull(Stored(AksId));
    }

    [Fact]
    public void A_host_that_cannot_ask_gets_an_error_from_a_disruptive_update_and_nothing_is_sent()
    {
        Install(AksId);
        var writes = Writes;
        Session.Host.CanPrompt = false;

        var result = Session.Run("Update-AzMLK8sExtension -ClusterResourceId $aks -EnableTraining $false -EnableInference $true -AllowInsecureConnection $true", ("aks", AksId));

        Assert.True(result.Errors.Count > 0 || result.Terminated is not null, "Update raised no error.");
        Assert.Empty(result.Output);
        Assert.Equal(writes, Writes);
        Assert.Equal("true", Stored(AksId)!.ConfigurationSettings["enableTraining"]);
    }

    private static JsonObject RunningPod(params (string Key, string Value)[] labels)
    {
        var map = new JsonObject();
        foreach (var (key, value) in labels)
        {
            map[key] = value;
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = map },
            ["status"] = new JsonObject { ["phase"] = "Running" },
        };
    }
}
