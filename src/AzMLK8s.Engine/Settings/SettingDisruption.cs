namespace AzMLK8s.Engine.Settings;

/// <summary>What changing a setting on an installed extension does to the cluster, mildest first.</summary>
public enum SettingDisruption
{
    /// <summary>Nothing running is affected.</summary>
    None = 0,

    /// <summary>The inference router (azureml-fe) restarts; requests in flight may fail.</summary>
    RestartsInferenceRouter,

    /// <summary>Extension components pick up the new value and restart; work resumes once they are back.</summary>
    RestartsComponents,

    /// <summary>Extension components are installed, removed or replaced; their pods restart.</summary>
    ReinstallsComponents,

    /// <summary>Inference endpoints become unreachable or change address.</summary>
    InterruptsInferenceEndpoints,

    /// <summary>Running training jobs fail or stop being scheduled.</summary>
    InterruptsTrainingJobs,

    /// <summary>Both training jobs and inference endpoints are hit.</summary>
    InterruptsAllWorkloads,

    /// <summary>Fixed at create (it ties the extension to its cluster or namespace); change it by re-creating the extension.</summary>
    ImmutableAfterCreate,
}

/// <summary>When a change of a setting counts as disruptive.</summary>
public enum DisruptionTrigger
{
    /// <summary>Any change of value.</summary>
    AnyChange,

    /// <summary>Only true -> false (turning the feature on is safe).</summary>
    TurningOff,
}
