using System.Reflection;
using System.Xml.Linq;

namespace AzMLK8s.Tests.Module;

public sealed class FormatViewTests
{
    private static readonly Assembly[] ModuleTypes = [ModuleAssemblies.Cmdlets, ModuleAssemblies.Model];

    [Fact]
    public void Every_output_type_of_the_module_has_a_view_and_every_view_shows_real_properties()
    {
        var views = FormatView.Read(XDocument.Load(RepositoryPaths.FormatFile));

        var problems = FormatViewRules.Problems(ModuleAssemblies.OutputTypes, views, ModuleTypes);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Views_are_named_after_the_type_they_show_so_Format_Table_View_finds_them()
    {
        var views = FormatView.Read(XDocument.Load(RepositoryPaths.FormatFile));

        Assert.All(views, view => Assert.Contains(view.Name, view.TypeNames));
        Assert.Equal(views.Count, views.Select(v => v.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_missing_view_an_unknown_type_a_missing_property_and_a_header_mismatch_are_each_reported()
    {
        var views = FormatView.Read(XDocument.Parse(SampleFormatFile));

        var problems = FormatViewRules.Problems([typeof(SampleRecord), typeof(UnviewedRecord), typeof(string)], views, [typeof(FormatViewTests).Assembly]);

        Assert.Equal(
            [
                $"{typeof(UnviewedRecord).FullName} is an output type but has no view.",
                $"View 'Sample' shows {typeof(SampleRecord).FullName}.Missing, which does not exist.",
                "View 'Stale' has 1 headers for 2 columns.",
                "View 'Stale' names AzMLK8s.Tests.Module.RemovedRecord, which is no type of the module.",
            ],
            problems);
    }

    [Fact]
    public void The_reader_takes_type_names_and_property_columns_and_counts_script_block_columns()
    {
        var views = FormatView.Read(XDocument.Parse(SampleFormatFile));

        var sample = Assert.Single(views, v => v.Name == "Sample");
        Assert.Equal([typeof(SampleRecord).FullName!], sample.TypeNames);
        Assert.Equal(["Name", "Missing"], sample.PropertyNames);
        Assert.Equal(3, sample.ColumnCount);
        Assert.Equal(3, sample.HeaderCount);
    }

    private const string SampleFormatFile = """
        <Configuration>
          <ViewDefinitions>
            <View>
              <Name>Sample</Name>
              <ViewSelectedBy><TypeName>AzMLK8s.Tests.Module.SampleRecord</TypeName></ViewSelectedBy>
              <TableControl>
                <TableHeaders><TableColumnHeader /><TableColumnHeader /><TableColumnHeader /></TableHeaders>
                <TableRowEntries><TableRowEntry><TableColumnItems>
                  <TableColumnItem><PropertyName>Name</PropertyName></TableColumnItem>
                  <TableColumnItem><PropertyName>Missing</PropertyName></TableColumnItem>
                  <TableColumnItem><ScriptBlock>$_.Count * 2</ScriptBlock></TableColumnItem>
                </TableColumnItems></TableRowEntry></TableRowEntries>
              </TableControl>
            </View>
            <View>
              <Name>Stale</Name>
              <ViewSelectedBy><TypeName>AzMLK8s.Tests.Module.RemovedRecord</TypeName></ViewSelectedBy>
              <TableControl>
                <TableHeaders><TableColumnHeader /></TableHeaders>
                <TableRowEntries><TableRowEntry><TableColumnItems>
                  <TableColumnItem><PropertyName>Name</PropertyName></TableColumnItem>
                  <TableColumnItem><PropertyName>Count</PropertyName></TableColumnItem>
                </TableColumnItems></TableRowEntry></TableRowEntries>
              </TableControl>
            </View>
          </ViewDefinitions>
        </Configuration>
        """;
}

public sealed record SampleRecord(string Name, int Count);

public sealed record UnviewedRecord(string Name);
