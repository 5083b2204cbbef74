using System.Reflection;
using AzMLK8s.Engine.Azure;

namespace AzMLK8s.Tests.Azure;

/// <summary>The cmdlets live outside the engine's load context, so the engine's public Azure layer must not expose Azure SDK types.</summary>
public sealed class EnginePublicSurfaceTests
{
    [Fact]
    public void No_public_member_of_the_Azure_layer_exposes_an_Azure_SDK_type()
    {
        var offenders = typeof(ArmConnection).Assembly.GetExportedTypes()
            .Where(t => t.Namespace?.StartsWith("AzMLK8s.Engine.Azure", StringComparison.Ordinal) == true)
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .SelectMany(m => SignatureTypes(m).Select(type => $"{t.Name}.{m.Name}: {type.FullName}")))
            .Concat(typeof(ArmConnection).Assembly.GetExportedTypes()
                .Where(t => t.BaseType is not null && IsAzureSdk(t.BaseType))
                .Select(t => $"{t.Name} derives from {t.BaseType!.FullName}"))
            .ToArray();

        Assert.Empty(offenders);
    }

    private static IEnumerable<Type> SignatureTypes(MemberInfo member) => (member switch
    {
        MethodInfo method => method.GetParameters().Select(p => p.ParameterType).Append(method.ReturnType),
        PropertyInfo property => new[] { property.PropertyType },
        FieldInfo field => new[] { field.FieldType },
        ConstructorInfo constructor => constructor.GetParameters().Select(p => p.ParameterType),
        _ => Enumerable.Empty<Type>(),
    }).SelectMany(Flatten).Where(IsAzureSdk);

    private static IEnumerable<Type> Flatten(Type type) =>
        new[] { type.HasElementType ? type.GetElementType()! : type }
            .Concat(type.IsGenericType ? type.GetGenericArguments().SelectMany(Flatten) : Enumerable.Empty<Type>());

    private static bool IsAzureSdk(Type type) => type.Assembly.GetName().Name?.StartsWith("Azure.", StringComparison.Ordinal) == true;
}
