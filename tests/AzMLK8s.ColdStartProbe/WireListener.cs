using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace AzMLK8s.ColdStartProbe;

/// <summary>When the first request went through HttpClient's stages.</summary>
internal readonly record struct FirstRequest(long RequestStart, long HandshakeStart, long HandshakeStop, long RequestHeadersStart);

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
                return new FirstRequest(At("RequestStart"), At("HandshakeStart"), At("HandshakeStop"), At("RequestHeadersStart"));
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
            _first.TryAdd(name, at);
            if (name == "RequestStart")
            {
                _requests++;
            }
        }
    }

    private long At(string name) => _first.TryGetValue(name, out var at) ? at : 0;
}
