namespace AzMLK8s.Walkthrough;

/// <summary>The command line of the walk-through. Without --subscription it runs against the embedded emulator.</summary>
public sealed record WalkthroughOptions
{
    public string? SubscriptionId { get; init; }

    public string? TenantId { get; init; }

    public string ResourceGroup { get; init; } = "rg-demo";

    public string Cluster { get; init; } = "aks-demo";

    public string Workspace { get; init; } = "ws-demo";

    public string ContainerRegistry { get; init; } = "acrdemo";

    public bool Verbose { get; init; }

    public bool ShowHelp { get; init; }

    public bool UsesEmulator => SubscriptionId is null;

    public const string Usage = """
        AzMLK8s walk-through: runs examples/MainJob.ps1 in pwsh - sign in, check prerequisites, install the AzureML
        extension, verify its health, attach the cluster to a workspace and let the compute pull from a registry.

        dotnet run --project examples/AzMLK8s.Walkthrough -c Release [-- options]

          (no options)              run against the embedded emulator (no Azure needed)
          --subscription <id>       run against Azure: signs in with the Az.Accounts sign-in when there is one
                                    (Connect-AzAccount), else environment credentials, workload or managed
                                    identity, or the Azure CLI's sign-in
          --tenant <id>             the tenant to sign in to
          --resource-group <name>   resource group of the cluster and workspace (emulator: rg-demo)
          --cluster <name>          AKS cluster name (emulator: aks-demo)
          --workspace <name>        Azure ML workspace name (emulator: ws-demo)
          --registry <name>         container registry to grant AcrPull on (emulator: acrdemo)
          --verbose                 show verbose messages
        """;

    public static WalkthroughOptions Parse(IReadOnlyList<string> args)
    {
        var options = new WalkthroughOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--subscription" => options with { SubscriptionId = Value() },
                "--tenant" => options with { TenantId = Value() },
                "--resource-group" => options with { ResourceGroup = Value() },
                "--cluster" => options with { Cluster = Value() },
                "--workspace" => options with { Workspace = Value() },
                "--registry" => options with { ContainerRegistry = Value() },
                "--verbose" => options with { Verbose = true },
                "--help" or "-h" => options with { ShowHelp = true },
                var other => throw new ArgumentException($"Unknown option {other}."),
            };
        }

        return options;
    }
}
