namespace Ota.Tools.Serve;

/// <summary>
/// Chooses a fault per request (by URL, request number, or anything else in the head). The server
/// calls it once per request, from the connection's thread; implementations must be thread-safe.
/// </summary>
public interface IServeFaultHook
{
    /// <summary>The fault for this request, or null to answer normally.</summary>
    ServeFault? Plan(HttpRequestHead request);
}
