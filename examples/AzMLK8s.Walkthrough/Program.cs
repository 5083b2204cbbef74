using AzMLK8s.Emulator.Hosting;
using AzMLK8s.Walkthrough;

WalkthroughOptions options;
try
{
    options = WalkthroughOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(WalkthroughOptions.Usage);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(WalkthroughOptions.Usage);
    return 0;
}

return await Walkthrough.RunAsync(options);
