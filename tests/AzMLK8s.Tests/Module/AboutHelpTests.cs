namespace AzMLK8s.Tests.Module;

public sealed class AboutHelpTests
{
    private static string Text => File.ReadAllText(RepositoryPaths.AboutHelpFile);

    [Fact]
    public void The_about_topic_names_every_cmdlet_of_the_module()
    {
        var text = Text;

        var unmentioned = ModuleAssemblies.AllCmdlets.Select(c => c.Name).Where(name => !text.Contains(name, StringComparison.OrdinalIgnoreCase)).ToArray();

        Assert.True(unmentioned.Length == 0, "about_AzMLK8s.help.txt does not mention: " + string.Join(", ", unmentioned));
    }

    [Fact]
    public void The_about_topic_has_the_standard_sections_and_wraps_prose_at_80_columns()
    {
        var lines = File.ReadAllLines(RepositoryPaths.AboutHelpFile);

        Assert.Equal("TOPIC", lines[0]);
        Assert.Equal("    about_AzMLK8s", lines[1]);
        foreach (var section in new[] { "SHORT DESCRIPTION", "LONG DESCRIPTION", "SEE ALSO" })
        {
            Assert.Contains(section, lines);
        }

        // A link cannot wrap, so it may run longer.
        Assert.All(lines.Where(l => !l.TrimStart().StartsWith("https://", StringComparison.Ordinal)), line => Assert.True(line.Length <= 80, $"Longer than 80 columns: {line}"));
        Assert.All(lines, line => Assert.True(line.All(char.IsAscii), $"Not ASCII: {line}"));
    }
}
