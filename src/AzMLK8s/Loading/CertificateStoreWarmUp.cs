using System.Security.Cryptography.X509Certificates;

namespace AzMLK8s.Loading;

/// <summary>
/// On Linux, the first HTTPS connection of a process initialises OpenSSL and reads the system's trusted root
/// certificates (a few hundred files) before its handshake can complete: about 100 ms that the first cmdlet would
/// otherwise wait for, whether the server is ARM or a pinned endpoint (the chain is built either way). The module
/// initializer starts that work on a thread-pool thread, so it overlaps loading the engine and building the first
/// request. The runtime keeps the store it read, so the handshake finds it ready. Best effort: if anything fails here,
/// the handshake does the work itself, as it would have.
/// </summary>
internal static class CertificateStoreWarmUp
{
    private static int _started;

    /// <summary>Starts the warm-up once per process; returns whether this call started it.</summary>
    public static bool Start()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref _started, 1) == 1)
        {
            return false;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static _ => Warm(), null);
        return true;
    }

    private static void Warm()
    {
        try
        {
            using var store = new X509Store(StoreName.Root, StoreLocation.LocalMachine);
            store.Open(OpenFlags.ReadOnly);
            foreach (var certificate in store.Certificates)
            {
                certificate.Dispose();
            }
        }
        catch (Exception)
        {
            // A warm-up must never fail the import: the handshake repeats anything that went wrong here.
        }
    }
}
