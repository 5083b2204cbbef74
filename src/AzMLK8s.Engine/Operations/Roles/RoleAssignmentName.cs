using System.Security.Cryptography;
using System.Text;

namespace AzMLK8s.Engine.Operations.Roles;

/// <summary>
/// The name of a role assignment, derived from what it grants: a name-based GUID (RFC 4122 version 5) of
/// scope, principal and role. A rerun PUTs the same name, so it never leaves a second assignment behind.
/// </summary>
public static class RoleAssignmentName
{
    // A fixed namespace GUID for this module's assignment names (random once, never to change).
    private static readonly Guid Namespace = new("5c1f9a0e-3d7b-4a58-9e3c-0b6f2d8a4e71");

    public static string For(string scope, string principalId, string roleDefinitionGuid)
    {
        var key = $"{scope.TrimEnd('/')}|{principalId}|{roleDefinitionGuid}".ToLowerInvariant();
        var namespaceBytes = Namespace.ToByteArray(bigEndian: true);
        var input = namespaceBytes.Concat(Encoding.UTF8.GetBytes(key)).ToArray();
        var hash = SHA1.HashData(input);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
