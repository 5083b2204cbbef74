namespace AzMLK8s.Tests.Module;

public sealed class PowerShellDataFileTests
{
    [Fact]
    public void Reads_nested_hashtables_arrays_strings_literals_and_comments()
    {
        var data = PowerShellDataFile.ReadHashtable("""
            # leading comment
            @{
                Name = 'it''s'   # trailing comment
                'Quoted Key' = "plain"
                <# block
                   comment #>
                List = @('a', 'b'
                    'c')
                Empty = @()
                Flags = @{ On = $true; Off = $false; Nothing = $null; Count = 42 }
            }
            """);

        Assert.Equal("it's", data["name"]);
        Assert.Equal("plain", data["Quoted Key"]);
        Assert.Equal(new object?[] { "a", "b", "c" }, data["List"]);
        Assert.Equal(Array.Empty<object?>(), data["Empty"]);
        var flags = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(data["Flags"]);
        Assert.Equal(true, flags["On"]);
        Assert.Equal(false, flags["Off"]);
        Assert.Null(flags["Nothing"]);
        Assert.Equal(42L, flags["Count"]);
    }

    [Theory]
    [InlineData("@{ A = 1; A = 2 }", "duplicate key")]
    [InlineData("@{ A = 'open }", "unterminated string")]
    [InlineData("@{ A = $env:PATH }", "variable")]
    [InlineData("@{ A = \"$x\" }", "expandable")]
    [InlineData("@{ A = 1 } extra", "text after")]
    public void Rejects_what_a_data_file_may_not_contain(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => PowerShellDataFile.ReadHashtable(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
