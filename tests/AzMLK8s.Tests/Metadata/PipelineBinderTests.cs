using System.Management.Automation;
using AzMLK8s.Cmdlets;
using AzMLK8s.Tests.Infrastructure;

namespace AzMLK8s.Tests.Metadata;

/// <summary>The binder behind the pipeline-chain test, proven on cmdlets of the test assembly.</summary>
public sealed class PipelineBinderTests
{
    [Fact]
    public void An_object_binds_by_value_when_its_type_fits_a_ValueFromPipeline_parameter()
    {
        var target = CmdletDeclaration.From(typeof(ConsumeWidgetCmdlet));

        Assert.Equal(new[] { "InputObject" }, PipelineBinder.BindableParameters(target, typeof(Widget)));
    }

    [Fact]
    public void An_object_binds_by_property_name_including_aliases_when_no_parameter_takes_it_by_value()
    {
        var target = CmdletDeclaration.From(typeof(ConsumeByNameCmdlet));

        Assert.Equal(new[] { "Id", "Name" }, PipelineBinder.BindableParameters(target, typeof(Widget)).OrderBy(n => n));
    }

    [Fact]
    public void An_unrelated_object_does_not_bind()
    {
        var target = CmdletDeclaration.From(typeof(ConsumeByNameCmdlet));

        Assert.Empty(PipelineBinder.BindableParameters(target, typeof(Unrelated)));
        Assert.Throws<InvalidOperationException>(() => PipelineBinder.Bind(new ConsumeByNameCmdlet(), new Unrelated(3)));
    }

    [Fact]
    public void Binding_sets_the_parameter_values_the_cmdlet_then_sees()
    {
        var cmdlet = new ConsumeByNameCmdlet();

        PipelineBinder.Bind(cmdlet, new Widget("w1", "/subscriptions/s/widgets/w1"));

        Assert.Equal("w1", cmdlet.Name);
        Assert.Equal("/subscriptions/s/widgets/w1", cmdlet.Id);
    }

    public sealed record Widget(string Name, string ResourceId);

    public sealed record Unrelated(int Count);

    [Cmdlet(VerbsCommon.Set, "AzMLK8sWidget")]
    [OutputType(typeof(Widget))]
    public sealed class ConsumeWidgetCmdlet : AzMLK8sCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        public Widget? InputObject { get; set; }
    }

    [Cmdlet(VerbsCommon.Set, "AzMLK8sWidgetByName")]
    [OutputType(typeof(Widget))]
    public sealed class ConsumeByNameCmdlet : AzMLK8sCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Name { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ResourceId")]
        public string? Id { get; set; }
    }
}
