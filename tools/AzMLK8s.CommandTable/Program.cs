using AzMLK8s.CommandTable;

// Usage: AzMLK8s.CommandTable <path to AzMLK8s.dll> [<output .json>]   (stdout when no output path is given)
if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("Usage: AzMLK8s.CommandTable <path to AzMLK8s.dll> [<output .json>]");
    return 2;
}

try
{
    var json = CommandTableDocument.From(ModuleAssembly.Load(args[0]), Console.Error).ToJson();
    if (args.Length == 2)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[1]))!);
        File.WriteAllText(args[1], json + Environment.NewLine);
    }
    else
    {
        Console.WriteLine(json);
    }

    return 0;
}
catch (FileNotFoundException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
