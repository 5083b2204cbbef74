using System.Diagnostics;
using System.Management.Automation;
using System.Reflection;
using System.Text.Json;

namespace AzMLK8s.Tests.Module;

/// <summary>
/// tools/AzMLK8s.CommandTable writes what tools/script-check reads. Run on this test assembly, whose
/// <see cref="CommandTableSampleCommand"/> has every kind of parameter the checker must know about.
/// </summary>
public sealed class CommandTableTests
{
    private static string ToolPath => typeof(CommandTableTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CommandTableTool").Value!;

    [Fact]
    public void The_table_lists_cmdlets_with_ShouldProcess_parameters_aliases_and_switches_as_the_script_checker_reads_them()
    {
        var output = Path.Combine(Path.GetTempPath(), $"azmlk8s-command-table-{Guid.NewGuid():N}.json");
        try
        {
            RunTool(typeof(CommandTableTests).Assembly.Location, output);

            using var table = JsonDocument.Parse(File.ReadAllText(output));
            var sample = table.RootElement.GetProperty("cmdlets").EnumerateArray()
                .Single(c => c.GetProperty("name").GetString() == "Get-CommandTableSample");
            Assert.True(sample.GetProperty("supportsShouldProcess").GetBoolean());
            var parameters = sample.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
            Assert.Equal(["ClusterName", "Force"], parameters.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(["Cluster", "Name"], parameters["ClusterName"].GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
            Assert.False(parameters["ClusterName"].GetProperty("switch").GetBoolean());
            Assert.True(parameters["Force"].GetProperty("switch").GetBoolean());
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void A_missing_assembly_is_an_error_that_says_how_to_build_it()
    {
        var (exitCode, error) = RunTool(Path.Combine(Path.GetTempPath(), "no-such-folder", "AzMLK8s.dll"), expectSuccess: false);

        Assert.Equal(1, exitCode);
        Assert.Contains("dotnet build AzMLK8s.sln -c Release", error, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Error) RunTool(string assemblyPath, string? output = null, bool expectSuccess = true)
    {
        Assert.True(File.Exists(ToolPath), $"{ToolPath} has not been built. Run: dotnet build AzMLK8s.sln");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(ToolPath);
        start.ArgumentList.Add(assemblyPath);
        if (output is not null)
        {
            start.ArgumentList.Add(output);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        if (expectSuccess)
        {
            Assert.True(process.ExitCode == 0, $"The command table tool failed ({process.ExitCode}): {error}");
        }

        return (process.ExitCode, error);
    }
}

/// <summary>A cmdlet of this test assembly (not of the module) for <see cref="CommandTableTests"/>.</summary>
[Cmdlet(VerbsCommon.Get, "CommandTableSample", SupportsShouldProcess = true)]
[OutputType(typeof(string))]
public sealed class CommandTableSampleCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("Cluster", "Name")]
    public string ClusterName { get; set; } = "";

    [Parameter]
    public SwitchParameter Force { get; set; }

    // Not a parameter: no [Parameter] attribute.
    public string? Ignored { get; set; }
}
