using AzMLK8s.Model;
using AzMLK8s.Model.Host;

namespace AzMLK8s.Cmdlets;

/// <summary>
/// A file the user named on the command line: resolved as PowerShell resolves paths (on the pipeline thread, through
/// the host), and required to exist — a missing file is the user's error, not something to report as a finding.
/// </summary>
internal static class UserFile
{
    public static string? Existing(ICmdletHost host, string? path, string parameterName)
    {
        if (path is null)
        {
            return null;
        }

        var resolved = host.ResolvePath(path);
        if (!File.Exists(resolved))
        {
            throw new ModuleErrorException(new ModuleError(
                "FileNotFound",
                ErrorKind.ObjectNotFound,
                $"-{parameterName} '{path}' does not exist ({resolved}).")
            {
                RecommendedAction = $"Give the path of an existing file to -{parameterName} (relative paths are relative to the current PowerShell location), or leave it out.",
                TargetObject = path,
            });
        }

        return resolved;
    }
}
