using System.Management.Automation;
using System.Text.RegularExpressions;
using AzMLK8s.Cmdlets;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Metadata;

/// <summary>What PowerShell users rely on, checked on every cmdlet of AzMLK8s.dll by reflection.</summary>
public sealed class CmdletMetadataTests
{
    public static TheoryData<string> CmdletNames()
    {
        var data = new TheoryData<string>();
        foreach (var cmdlet in ModuleCmdlets.All)
        {
            data.Add(cmdlet.Name);
        }

        return data;
    }

    [Fact]
    public void The_module_exports_cmdlets_and_every_cmdlet_class_is_sealed_and_built_on_the_seam()
    {
        Assert.NotEmpty(ModuleCmdlets.All);
        Assert.All(ModuleCmdlets.All, c =>
        {
            Assert.True(c.Type.IsSealed, $"{c.Name} should be sealed");
            Assert.True(typeof(AzMLK8sCmdlet).IsAssignableFrom(c.Type), $"{c.Name} should derive from AzMLK8sCmdlet");
        });
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Uses_an_approved_verb(string name)
    {
        Assert.Contains(Cmdlet(name).Verb, ModuleCmdlets.ApprovedVerbs);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Noun_belongs_to_the_module_family(string name)
    {
        var noun = Cmdlet(name).Noun;
        Assert.True(
            Regex.IsMatch(noun, "^AzMLK8s[A-Z][A-Za-z]*$") || Regex.IsMatch(noun, "^AzML[A-Z][A-Za-z]*Role$"),
            $"{noun} should be AzMLK8s<Noun> or AzML<Noun>Role");
        // "-ss" is a singular ending (Access), not a plural one.
        Assert.False(
            noun.EndsWith("s", StringComparison.Ordinal) && !noun.EndsWith("K8s", StringComparison.Ordinal) && !noun.EndsWith("ss", StringComparison.Ordinal),
            $"{noun} should be singular");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Declares_its_output_type(string name)
    {
        Assert.NotEmpty(Cmdlet(name).OutputTypes);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Supports_WhatIf_and_Confirm_when_it_changes_anything(string name)
    {
        var cmdlet = Cmdlet(name);
        if (ModuleCmdlets.ReadOnlyVerbs.Contains(cmdlet.Verb) || ModuleCmdlets.SessionOnlyCmdlets.ContainsKey(name))
        {
            Assert.False(cmdlet.SupportsShouldProcess, $"{name} only reads; -WhatIf would promise a change it never makes");
            return;
        }

        Assert.True(cmdlet.SupportsShouldProcess, $"{name} changes something and must support -WhatIf/-Confirm");
        var expected = ModuleCmdlets.DestructiveVerbs.Contains(cmdlet.Verb) ? new[] { "High" } : new[] { "Medium", "High", null };
        Assert.Contains(cmdlet.ConfirmImpact, expected);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Parameter_sets_are_never_ambiguous(string name)
    {
        var cmdlet = Cmdlet(name);
        var sets = cmdlet.ParameterSetNames;
        if (cmdlet.DefaultParameterSetName is { } defaultSet)
        {
            Assert.True(sets.Count == 0 || sets.Contains(defaultSet), $"{name}: default set {defaultSet} does not exist");
        }

        if (sets.Count <= 1 || cmdlet.DefaultParameterSetName is not null)
        {
            foreach (var set in sets)
            {
                Assert.True(HasOwnParameter(cmdlet, set) || set == cmdlet.DefaultParameterSetName, $"{name}: set {set} has no parameter of its own");
            }

            return;
        }

        foreach (var set in sets)
        {
            Assert.True(HasOwnMandatoryParameter(cmdlet, set), $"{name}: without a default set, set {set} needs a mandatory parameter no other set has");
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Positions_are_unique_within_each_parameter_set(string name)
    {
        var cmdlet = Cmdlet(name);
        foreach (var set in cmdlet.ParameterSetNames.DefaultIfEmpty(ParameterSet.AllSets))
        {
            var positions = cmdlet.Parameters
                .SelectMany(p => p.Sets.Where(s => s.Position is not null && (s.SetName == set || s.SetName == ParameterSet.AllSets)).Select(s => s.Position))
                .ToArray();
            Assert.Equal(positions.Length, positions.Distinct().Count());
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Parameter_names_and_aliases_do_not_collide_with_each_other_or_common_parameters(string name)
    {
        var cmdlet = Cmdlet(name);
        var names = cmdlet.Parameters.SelectMany(p => p.Names).ToArray();
        Assert.Equal(names.Length, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Empty(names.Intersect(CommonParameters, StringComparer.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Secret_parameters_are_SecureString_or_files_never_plain_strings(string name)
    {
        var secretish = Cmdlet(name).Parameters.Where(p => Regex.IsMatch(p.Name, "(Token|Password|Secret|Key)$") && !p.Name.EndsWith("File", StringComparison.Ordinal));
        Assert.All(secretish, p => Assert.True(
            p.Type == typeof(System.Security.SecureString) || p.Type == typeof(System.Collections.Hashtable),
            $"{name} -{p.Name} carries a secret and must be a SecureString"));
    }

    [Fact]
    public void Every_documented_pipeline_chain_binds_once_both_cmdlets_exist()
    {
        foreach (var (from, to) in ModuleCmdlets.DocumentedChains)
        {
            if (ModuleCmdlets.Find(from) is not { } source || ModuleCmdlets.Find(to) is not { } target)
            {
                continue;
            }

            var bindable = source.OutputTypes.SelectMany(t => PipelineBinder.BindableParameters(target, t)).ToArray();
            Assert.True(bindable.Length > 0, $"{from} | {to}: no parameter of {to} takes {string.Join(", ", source.OutputTypes.Select(t => t.Name))} from the pipeline");
        }
    }

    private static readonly string[] CommonParameters =
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
        "vb", "db", "ea", "wa", "infa", "proga", "ev", "wv", "iv", "ov", "ob", "pv", "wi", "cf",
    };

    private static CmdletDeclaration Cmdlet(string name) => ModuleCmdlets.Find(name) ?? throw new InvalidOperationException(name);

    private static bool HasOwnParameter(CmdletDeclaration cmdlet, string set) =>
        cmdlet.Parameters.Any(p => p.Sets.Any(s => s.SetName == set) && p.Sets.All(s => s.SetName == set));

    private static bool HasOwnMandatoryParameter(CmdletDeclaration cmdlet, string set) =>
        cmdlet.Parameters.Any(p => p.Sets.Any(s => s.SetName == set && s.Mandatory) && p.Sets.All(s => s.SetName == set));
}
