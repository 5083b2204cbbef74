using AzMLK8s.Walkthrough;

namespace AzMLK8s.Tests.Walkthrough;

/// <summary>The walk-through, run once (with -Verbose) for the tests that read its transcript.</summary>
public sealed class WalkthroughRun : IAsyncLifetime
{
    public int ExitCode { get; private set; }

    public string Transcript { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var output = new StringWriter();
        ExitCode = await AzMLK8s.Walkthrough.Walkthrough.RunAsync(new WalkthroughOptions { Verbose = true }, output);
        Transcript = output.ToString();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>The README's main command, run as a test: the walk-through against the embedded emulator.</summary>
public sealed class WalkthroughTests : IClassFixture<WalkthroughRun>
{
    private readonly WalkthroughRun _run;

    public WalkthroughTests(WalkthroughRun run)
    {
        _run = run;
    }

    [Fact]
    public void The_walk_through_runs_every_step_against_the_emulator_and_succeeds()
    {
        Assert.True(_run.ExitCode == 0, _run.Transcript);
        Assert.Contains("# Walk-through complete.", _run.Transcript);
        foreach (var step in ExpectedSteps)
        {
            Assert.Contains("PS> " + step, _run.Transcript);
        }
    }

    [Fact]
    public void Each_object_is_printed_through_its_format_view()
    {
        // The context view's headers, as Format-Table would print them.
        Assert.Matches(@"Cloud\s+ArmEndpoint\s+SubscriptionId\s+AuthMethod\s+PinnedCertificate", _run.Transcript);
    }

    [Fact]
    public void The_main_job_deploys_attaches_and_grants_and_each_step_reports_success()
    {
        Assert.Matches(@"azureml\s+aks-demo\s+Aks\s+Succeeded", _run.Transcript);
        Assert.Matches(@"azureml\s+aks-demo\s+Healthy", _run.Transcript);
        Assert.Matches(@"k8s-training\s+ws-demo\s+team-a\s+Succeeded\s+SystemAssigned", _run.Transcript);
        Assert.Matches(@"Created\s+AcrPull", _run.Transcript);
        Assert.DoesNotMatch(@"(?m)^Fail\s", _run.Transcript);
        Assert.DoesNotContain("WARNING:", _run.Transcript);
    }

    [Fact]
    public void The_transcript_never_shows_the_token_even_with_verbose_output()
    {
        Assert.Contains("VERBOSE:", _run.Transcript);
        Assert.DoesNotContain("walkthrough-emulator-token", _run.Transcript);
        Assert.Contains("-AccessToken $token", _run.Transcript);
    }

    [Fact]
    public void Unknown_options_are_refused_and_help_is_available()
    {
        Assert.Throws<ArgumentException>(() => WalkthroughOptions.Parse(new[] { "--subscriptoin", "x" }));
        Assert.True(WalkthroughOptions.Parse(new[] { "--help" }).ShowHelp);
        Assert.Equal("sub-1", WalkthroughOptions.Parse(new[] { "--subscription", "sub-1" }).SubscriptionId);
    }

    private static readonly string[] ExpectedSteps =
    {
        "Set-AzMLK8sContext -ArmEndpoint https://127.0.0.1:",
        "Get-AzMLK8sContext",
        "Register-AzMLK8sPrerequisite -ClusterResourceId $aks",
        "Test-AzMLK8sPrerequisite -ClusterResourceId $aks",
        "$extension = New-AzMLK8sExtension -EnableTraining -ClusterResourceId $aks",
        "Test-AzMLK8sExtension -ClusterResourceId $aks",
        "$compute = $extension | Connect-AzMLK8sCompute -Name k8s-training -WorkspaceName ws-demo -ResourceGroupName rg-demo -Namespace team-a -IdentityType SystemAssigned",
        "$compute | Grant-AzMLComputeRole -Role AcrPull -ContainerRegistry acrdemo",
    };
}

/// <summary>The walk-through renders the module's views without PowerShell, so every column must name a property.</summary>
public sealed class WalkthroughFormatViewTests
{
    [Fact]
    public void Every_view_of_the_module_can_be_rendered_outside_PowerShell()
    {
        var path = Path.Combine(AzMLK8s.Tests.Infrastructure.BuildLayout.RepoRoot, "module", "AzMLK8s.Format.ps1xml");
        var viewCount = System.Xml.Linq.XDocument.Load(path).Descendants("View").Count();

        var views = FormatViews.Load(path);

        Assert.Equal(viewCount, views.TypeNames.Count);
    }

    [Fact]
    public void A_table_is_laid_out_like_Format_Table_with_one_header_rule_and_a_row_per_object()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, """
            <Configuration><ViewDefinitions><View><Name>v</Name>
              <ViewSelectedBy><TypeName>AzMLK8s.Tests.Walkthrough.WalkthroughFormatViewTests+Row</TypeName></ViewSelectedBy>
              <TableControl><TableHeaders><TableColumnHeader><Label>Name</Label></TableColumnHeader><TableColumnHeader><Label>Count</Label><Alignment>Right</Alignment></TableColumnHeader></TableHeaders>
              <TableRowEntries><TableRowEntry><TableColumnItems><TableColumnItem><PropertyName>Name</PropertyName></TableColumnItem><TableColumnItem><PropertyName>Count</PropertyName></TableColumnItem></TableColumnItems></TableRowEntry></TableRowEntries></TableControl>
            </View></ViewDefinitions></Configuration>
            """);
        try
        {
            var text = FormatViews.Load(file).Render(new object[] { new Row("alpha", 7), new Row("b", 12) });

            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
            Assert.Equal(new[] { "Name  Count", "----  -----", "alpha     7", "b        12" }, lines);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public sealed record Row(string Name, int Count);
}
