namespace AzMLK8s.Engine.Settings;

/// <summary>The extension scenarios a setting has an effect in.</summary>
[Flags]
public enum SettingScenarios
{
    None = 0,
    Training = 1,
    Inference = 2,
    Both = Training | Inference,
}
