using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Loading;

/// <summary>
/// The module must work in a PowerShell session where another module already loaded an older Azure.Core
/// (Az.Accounts, dbatools, Microsoft.Graph...). A separate process plays that session: it loads Azure.Core 1.36.0
/// into the default load context, imports the built module folder through its module initializer and calls into
/// the engine, which needs the Azure.Core it ships with. The same holds for a session that already uses another
/// KubernetesClient with its YamlDotNet (a module that talks to clusters).
/// </summary>
public sealed class LoadContextIsolationTests
{
    [Fact]
    public void The_engine_runs_on_its_own_Azure_Core_while_an_older_one_is_loaded_in_the_default_context()
    {
        var (exitCode, output) = RunProbe("isolated");

        Assert.True(exitCode == 0, output);
        Assert.Contains("default-context Azure.Core: 1.36.0.0", output);
        Assert.Contains("engine dependency: AzMLK8s.Engine ", output);
        Assert.Matches(@"engine dependency: Azure\.Core 1\.(6[4-9]|[7-9]\d)\.\d+\.\d+ \[AzMLK8s\.Engine\]", output);
        Assert.Contains("engine dependency: Azure.Identity", output);
        Assert.DoesNotMatch(@"engine dependency: .* \[Default\]", output);
        Assert.Contains("default-context Azure.Core after engine call: 1.36.0.0", output);
    }

    [Fact]
    public void The_engine_reads_kubeconfigs_with_its_own_KubernetesClient_and_YamlDotNet_while_other_versions_are_loaded_and_used_in_the_default_context()
    {
        var (exitCode, output) = RunProbe("kubernetes");

        Assert.True(exitCode == 0, output);
        // The session's own KubernetesClient 19 works before the module is imported, and keeps its versions after.
        Assert.Contains("default-context KubernetesClient read a kubeconfig: session", output);
        const string Session = "Azure.Core 1.36.0.0, Fractions 7.3.0.0, KubernetesClient 19.0.0.0, YamlDotNet 16.0.0.0";
        Assert.Contains($"default-context before engine call: {Session}", output);
        Assert.Contains($"default-context after engine call: {Session}", output);
        // The engine's call read a kubeconfig with the KubernetesClient, YamlDotNet and Fractions it ships with.
        Assert.Matches(@"engine dependency: KubernetesClient 2[1-9]\.\d+\.\d+\.\d+ \[AzMLK8s\.Engine\]", output);
        Assert.Matches(@"engine dependency: YamlDotNet 1[89]\.\d+\.\d+\.\d+ \[AzMLK8s\.Engine\]", output);
        Assert.Matches(@"engine dependency: Fractions 8\.\d+\.\d+\.\d+ \[AzMLK8s\.Engine\]", output);
        Assert.DoesNotMatch(@"engine dependency: .* \[Default\]", output);
    }

    [Fact]
    public void Without_the_load_context_the_same_engine_call_fails_which_is_what_isolation_prevents()
    {
        var (exitCode, output) = RunProbe("shared");

        Assert.True(exitCode == 1, output);
        Assert.Contains("engine call: failed", output);
    }

    [Fact]
    public void Removing_the_module_unhooks_the_engine_resolver()
    {
        var (exitCode, output) = RunProbe("removed");

        Assert.True(exitCode == 1, output);
        Assert.Contains("FileNotFoundException", output);
    }

    private static (int ExitCode, string Output) RunProbe(string mode) => ProbeProcess.Isolation(mode);
}
