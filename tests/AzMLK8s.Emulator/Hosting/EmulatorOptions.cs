namespace AzMLK8s.Emulator.Hosting;

public sealed class EmulatorOptions
{
    /// <summary>0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>Seed the default subscription, resource group, clusters and workspaces.</summary>
    public bool SeedDefaults { get; set; } = true;
}
