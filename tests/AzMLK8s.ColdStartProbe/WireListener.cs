using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace AzMLK8s.ColdStartProbe;

/// <summary>When the first request went through HttpClient's stages.</summary>
/// <param name="CpuAtHeadersStart">The process's CPU time (all threads) when the first request's headers started.</param>
internal readonly record struct FirstRequest(long RequestStart, long HandshakeStart, long HandshakeStop, long RequestHeadersStart, TimeSpan CpuAtHeadersStart);

/// <summary>
/// Listens to the runtime's networking telemetry (the System.Net.Http and System.Net.Security event sources) in
/// process. It adds no handler to the module's HTTP pipeline and does not turn on the DiagnosticsHandler's activities
/// and header injection (which a DiagnosticListener subscription would); the only cost it adds is the dispatch of a
/// handful of events, each timestamped on the thread that raised it as soon as the callback is entered.
/// </summary>
internal sealed class WireListener : EventListener
{
    private readonly object _gate = new();
    private readonly Dictionary<string, long> _first = new(StringComparer.Ordinal);
    private int _requests;
    private TimeSpan _cpuAtHeadersStart;

    public int RequestCount
    {
        get
        {
            lock (_gate)
            {
                return _requests;
            }
        }
    }

    public FirstRequest First
    {
        get
        {
            lock (_gate)
            {
                return new FirstRequest(At("RequestStart"), At("HandshakeStart"), At("HandshakeStop"), At("RequestHeadersStart"), _cpuAtHeadersStart);
            }
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        // Also called from the base constructor, for the sources that exist already.
        if (eventSource.Name is "System.Net.Http" or "System.Net.Security")
        {
            EnableEvents(eventSource, EventLevel.Informational);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        var at = Stopwatch.GetTimestamp();
        if (eventData.EventName is not { } name)
        {
            return;
        }

        lock (_gate)
        {
            if (_first.TryAdd(name, at) && name == "RequestHeadersStart")
            {
                // Read after the timestamp: the clock has stopped. getrusage, so cheap either way.
                _cpuAtHeadersStart = Environment.CpuUsage.TotalTime;
            }

            if (name == "RequestStart")
            {
                _requests++;
            }
        }
    }

    private long At(string name) => _first.TryGetValue(name, out var at) ? at : 0;
}
