using AzMLK8s.Emulator.Hosting;

namespace AzMLK8s.Walkthrough;

/// <summary>Starts the emulator when no subscription is given and runs the main job; returns the process exit code.</summary>
public static class Walkthrough
{
    public const string FormatFileName = "AzMLK8s.Format.ps1xml";

    public static async Task<int> RunAsync(WalkthroughOptions options, TextWriter output)
    {
        var views = FormatViews.Load(Path.Combine(AppContext.BaseDirectory, FormatFileName));
        var transcript = new Transcript(output, views, options.Verbose);
        EmulatorServer? emulator = null;
        try
        {
            if (options.UsesEmulator)
            {
                emulator = await EmulatorServer.StartAsync(new EmulatorOptions
                {
                    OperationDuration = TimeSpan.FromMilliseconds(600),
                    RegistrationDuration = TimeSpan.FromMilliseconds(600),
                });
                output.WriteLine($"# No --subscription given: running against the embedded emulator at {emulator.BaseAddress}");
            }

            new MainJob(options, transcript).Run(emulator);
            output.WriteLine();
            output.WriteLine(transcript.ErrorCount == 0 ? "# Walk-through complete." : $"# Walk-through complete with {transcript.ErrorCount} error(s).");
            return transcript.ErrorCount == 0 ? 0 : 1;
        }
        catch (WalkthroughStepFailed ex)
        {
            output.WriteLine();
            output.WriteLine($"# Walk-through stopped: {ex.Message}");
            return 1;
        }
        finally
        {
            if (emulator is not null)
            {
                await emulator.DisposeAsync();
            }
        }
    }
}
