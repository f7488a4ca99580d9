namespace DeviceApp.Flow
{
    /// <summary>
    /// The HTTP side of the device status URL (docs/bench.md "Real-device mode"): answers every
    /// GET on <c>port</c> with the handler's JSON (200, application/json). Device binding:
    /// nanoFramework's System.Net.HttpListener; host binding: a TcpListener on 127.0.0.1.
    /// </summary>
    public interface IStatusListener
    {
        /// <summary>Starts listening on <paramref name="port"/>; requests are answered on a background thread.</summary>
        void Start(int port, StatusRequestHandler handler);

        /// <summary>Stops listening (idempotent).</summary>
        void Stop();
    }
}
